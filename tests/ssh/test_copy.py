"""``c`` in the viewer: the passage around the current match with its citation, sent
with OSC 52 through ``App.copy_to_clipboard``, sanitized."""

from __future__ import annotations

import datetime as dt
import unicodedata

from tui.passage import citation, clipboard_text, passage


def _safe(text: str) -> bool:
    """No control character but newline, no bidi override: safe to paste anywhere."""
    return not any(
        (unicodedata.category(c) == "Cc" and c != "\n") or c in "\u202a\u202b\u202c\u202d"
        "\u202e\u2066\u2067\u2068\u2069" for c in text)


def test_passage_is_the_paragraph_joined() -> None:
    text = "Title\n\nOne line\nwrapped here. Two.\n\nOther paragraph."
    start = text.index("wrapped")
    assert passage(text, start, start + 7) == "One line wrapped here. Two."
    assert passage(text, len(text) - 3) == "Other paragraph."
    assert passage("", 0) == ""


def test_long_paragraph_is_cut_to_sentences_then_a_window() -> None:
    filler = "Filler sentence number one is here. " * 80
    text = f"{filler}The quokka smiled. {filler}"
    start = text.index("quokka")
    out = passage(text, start, start + 6, limit=300)
    assert "The quokka smiled." in out and len(out) <= 300
    assert out.startswith("Filler") or out.startswith("The")  # whole sentences
    one = "x" * 5000
    out = passage(one, 2500, 2501, limit=200)
    assert out.startswith("…") and out.endswith("…") and len(out) <= 203


def test_citation_and_sanitizing() -> None:
    from index.results import Article

    art = Article(
        doc_id="1", path="odd\nname\x1b[2J.txt", corpus="/srv/articles",
        title="Evil \x1b]52;c;cHduZWQ=\x07 title\u202e", title_origin=None,
        date=dt.date(2021, 2, 3), date_precision="day", date_time=None, date_origin=None,
        date_expression=None, date_notes=(), source="[b]Src\x9b[/b]", source_origin=None,
        agency=None, agency_origin=None, author=None, language="de", language_origin=None,
        encoding="utf-8", furniture=(),
        text="Head\n\nA quokka\x1b[31m here \x1b[201~ echo pwned\x00.\n\nEnd.")
    cite = citation(art)
    assert cite.startswith("“Evil ") and "2021-02-03" in cite and "[b]Src[/b]" in cite
    assert "/srv/articles/odd" in cite and "\n" not in cite
    start = art.text.index("quokka")
    out = clipboard_text(art, start, start + 6)
    assert _safe(out), repr(out)
    assert out.splitlines()[0] == "A quokka[31m here [201~ echo pwned."
    assert out.splitlines()[1].startswith("— “Evil")


async def test_c_copies_the_current_match_with_citation(make_app, settle, monkeypatch) -> None:
    from tui.screens.source import SourceScreen
    from tui.widgets.source_view import SourceView

    app = make_app("quokka")
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        titles = [h.title for h in app.main_screen.result.hits]
        await pilot.press("enter")  # to the results
        row = titles.index("Quokka sightings rise in Perth")
        for _ in range(row):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, SourceScreen)
        # Its footer lists the key.
        assert any(a.binding.id == "source.copy" and a.binding.show
                   for a in app.active_bindings.values())
        view = app.screen.query_one(SourceView)
        await pilot.press("c")
        await pilot.pause()
        assert len(copied) == 1
        first = view.spans[view.current]
        text = copied[0]
        assert "Quokka sightings rose sharply this month" in text
        assert text.endswith("Perth Herald, 2020-11-20, "
                             f"{app.corpora[0].as_posix()}/quokka_en.txt")
        assert "“Quokka sightings rise in Perth”" in text
        # n moves to another match; c copies that one's passage.
        while view.spans[view.current][0] < app.screen.query_one(SourceView).article.text.index(
                "Rangers counted"):
            await pilot.press("n")
        assert view.spans[view.current] != first
        await pilot.press("c")
        await pilot.pause()
        assert "one quokka took a selfie" in copied[-1]
        assert any("copied" in str(n.message) for n in app._notifications)


async def test_copy_of_the_hostile_article_is_clean(make_app, settle, monkeypatch) -> None:
    from tui.screens.source import SourceScreen

    app = make_app("harmlos")
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.main_screen.result.total == 1
        await pilot.press("enter", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, SourceScreen)
        await pilot.press("c")
        await pilot.pause()
    assert len(copied) == 1 and _safe(copied[0]), repr(copied[0])
    assert "[@click=app.quit]harmlos[/]" in copied[0]  # literal, as in the file
    assert "2021-02-03" in copied[0]


def test_help_lists_the_copy_key() -> None:
    from tui.screens.help import help_text

    assert "- `c` — copy the passage" in help_text()
