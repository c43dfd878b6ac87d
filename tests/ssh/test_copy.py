"""``c`` in the viewer: the passage around the current match with its citation, sent
with OSC 52 through ``App.copy_to_clipboard``, sanitized. (The passage and citation
functions on their own: tests/tui/test_passage.py.)"""

from __future__ import annotations

import unicodedata


def _safe(text: str) -> bool:
    """No control character but newline, no bidi override: safe to paste anywhere."""
    return not any(
        (unicodedata.category(c) == "Cc" and c != "\n") or c in "\u202a\u202b\u202c\u202d"
        "\u202e\u2066\u2067\u2068\u2069" for c in text)


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
