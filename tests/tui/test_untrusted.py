"""Article text is untrusted: markup shows literally, no control character escapes."""

from __future__ import annotations

from tui.render import article_body, clean, highlight, hit_prompt
from tui.widgets.results_list import ResultsList
from tui.widgets.source_view import SourceView


async def test_hostile_title_shows_literally(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*list("marschiert"))
        await settle(pilot, app)
        results = app.screen.query_one(ResultsList)
        assert len(results.hits) == 1
        hit = results.hits[0]
        assert "[@click=app.quit]" in hit.title
        await pilot.press("enter")
        await pilot.click(ResultsList, offset=(5, 0))  # a click on the row must not quit
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.is_running
        view = app.screen.query_one(SourceView)
        assert view.article is not None
        meta = str(view.query_one("#source-meta").render())
        assert "[/b] [@click=app.quit]x[/]" in meta
        screen_text = app.export_screenshot()
        assert "\x1b]0;pwned" not in screen_text
        assert "pwned" not in screen_text or "\x07" not in screen_text
        await pilot.press("escape")
        assert app.is_running


def test_render_never_parses_markup_and_strips_controls() -> None:
    text = "a [b]bold[/b] \x1b[31mred\x1b[0m [@click=app.quit]x[/] \x9b2J end"
    content = highlight(text, [(2, 5)])
    assert "[b]bold[/b]" in content.plain
    assert "\x1b" not in content.plain and "\x9b" not in content.plain
    assert len(content.plain) == len(text)  # offsets still fit
    assert clean("x\x00y\x7fz\tw\n") == "xyz\tw\n"


def test_highlights_survive_without_colour() -> None:
    content = highlight("find the quokka here", [(9, 15)])
    styles = [str(span.style) for span in content.spans]
    assert any("bold" in s and ("underline" in s or "reverse" in s) for s in styles)


HOSTILE = "[b]x[/b] [@click=app.quit]q[/] [$var] \x1b]0;pwned\x07 \x9b2J \u202eevil\x00end"


def _hostile_hit(width_title: str = HOSTILE):  # type: ignore[no-untyped-def]
    import datetime as dt

    from index.results import Hit, Snippet

    return Hit(doc_id="d", path="a[b].txt", corpus="c", title=width_title, title_spans=((0, 3),),
               date=dt.date(2021, 1, 13), date_precision="day", date_origin="text",
               source="\x1b[31mOutlet[/]", agency=None, language="de", score=1.0, rank=1,
               snippets=(Snippet(text=HOSTILE, spans=((0, 3),), start=0, end=len(HOSTILE)),),
               spans=())


def _inert(plain: str, whole: bool = True) -> None:
    """No control or bidi character survives; with *whole*, the markup shows literally."""
    if whole:
        assert "[@click=app.quit]q[/]" in plain and "[b]x[/b]" in plain and "[$var]" in plain
    for bad in ("\x1b", "\x07", "\x9b", "\x00", "\u202e"):
        assert bad not in plain, repr(bad)


def test_hit_rows_show_markup_literally_and_drop_controls() -> None:
    _inert(hit_prompt(_hostile_hit()).plain)


def test_article_body_shows_markup_literally_and_drops_controls() -> None:
    import dataclasses

    from index.results import Article

    fields = {f.name: None for f in dataclasses.fields(Article)}
    fields.update(doc_id="d", path="a.txt", corpus="c", title="T", date_notes=(),
                  language="de", text=HOSTILE, furniture=((0, 3),))
    body = article_body(Article(**fields), [(4, 9)], 0, focus=(0, 6))
    _inert(body.plain)


# --- one sanitizing policy, one width, at ingest and at render ---------------------------------

INVISIBLE = "Zero\u200bwidth \u2066bidi\u2069 tag\U000e0041\U000e0042 \ufff9ann\ufffb pua\ue000"
WIDE_TITLE = "Familie 👨‍👩‍👧 liebt ❤️ Quokkas 👍🏽 🏳️‍🌈 中文 " + "x" * 60


def _cells_agree(line: str) -> bool:
    """A terminal drawing per character (xterm, tmux) and one drawing grapheme clusters
    (Rich 15, kitty) give this line the same width."""
    from rich.cells import cell_len

    return cell_len(line) == sum(cell_len(c) for c in line)


def test_render_applies_the_ingest_policy() -> None:
    """Text that did not come from the index gets the same policy as ingest."""
    from index.text import sanitize

    assert clean(INVISIBLE) == sanitize(INVISIBLE) == "Zerowidth bidi tag ann pua"
    assert clean("dritte\x85vierte\u2028fünfte") == "dritte\nvierte\nfünfte"
    content = highlight(INVISIBLE, [(0, 4)])
    assert len(content.plain) == len(INVISIBLE)  # offsets still fit
    assert not any(c in content.plain for c in "\u200b\u2066\U000e0041\ufff9\ue000")


def test_result_rows_have_one_width_whatever_the_terminal(tmp_path) -> None:  # noqa: ANN001
    """Emoji ZWJ sequences and ❤️ in a title or source: after ingest and render, each
    result row measures the same per character and per cluster (so the list's ellipsis
    cut lands where the terminal draws it)."""

    from index.build import build_index
    from index.search import Index

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "emoji.md").write_text(
        f"---\ntitle: \"{WIDE_TITLE}\"\nsource: \"Herz ❤️ 👨‍👩‍👧 Verlag 中文中文中文中文\"\n---\n"
        f"{WIDE_TITLE}\n\nEin Quokka 👨‍👩‍👧 mit ❤️ und {INVISIBLE} im Park.\n", "utf-8")
    build_index([corpus], tmp_path / "ix")
    ix = Index(tmp_path / "ix")
    try:
        hit = ix.search("Quokka").hits[0]
        article = ix.article(hit.doc_id)
    finally:
        ix.close()
    for text in (hit.title, hit.source or "", article.text):
        assert "\u200d" not in text and "\ufe0f" not in text and "\u200b" not in text
        assert _cells_agree(text.replace("\n", " "))
    rows = hit_prompt(hit).plain.split("\n")
    assert len(rows) == 2
    for row in rows:
        assert _cells_agree(row), row
