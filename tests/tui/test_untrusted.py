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


# --- the hit rows and the article body, rendered from hostile records --------------------------

HOSTILE_TEXT = ("[/b] [b]Evil[/b] [@click=app.quit]x[/] [$accent]y[/] \x1b[31mred\x1b[0m "
                "\x1b]52;c;ZXZpbA==\x07 \x9b2J \x00nul\x7f \u202eesrever\u202c end")
#: What the row and body functions may style with: nothing taken from the text.
OWN_STYLES = {"bold", "dim", "dim italic", "italic $text-muted", "bold underline",
              "bold reverse", "reverse"}


def _drawn(content) -> str:  # noqa: ANN001
    """The characters that reach the terminal: the text of every rendered segment."""
    return "".join(text for text, _style in content.render(end=""))


def _no_controls(text: str) -> bool:
    import unicodedata

    return not [c for c in text if c != "\n" and (unicodedata.category(c) in ("Cc", "Cf"))]


def _hostile_hit(seed_index):  # noqa: ANN001, ANN202
    """A real hit from the index with every text field replaced by hostile text, as if
    it had come from an index built by an older version or another tool."""
    import dataclasses

    hit = seed_index.search("Parler").hits[0]
    snippet = dataclasses.replace(hit.snippets[0], text=HOSTILE_TEXT, spans=((0, 4),))
    return dataclasses.replace(hit, title=HOSTILE_TEXT, title_spans=((5, 8),),
                               source="[b]Evil[/b]\x1b[2J Source", agency=None,
                               path="a[/b]\x1b].txt", snippets=(snippet,))


def _check_literal(content) -> None:  # noqa: ANN001
    drawn = _drawn(content)
    assert drawn == content.plain
    assert "[/b] [b]Evil[/b] [@click=app.quit]x[/] [$accent]y[/]" in drawn
    assert _no_controls(drawn), [c for c in drawn if not c.isprintable()]
    styles = {str(span.style) for span in content.spans}
    assert styles <= OWN_STYLES, styles - OWN_STYLES


def test_hit_rows_render_hostile_titles_literally(seed_index) -> None:  # noqa: ANN001
    import dataclasses

    hit = _hostile_hit(seed_index)
    content = hit_prompt(hit)  # uncut: the list cuts rows where it draws them
    rows = content.plain.split("\n")
    assert len(rows) == 2, rows
    _check_literal(content)
    assert rows[0].split()[1].startswith("[b]Evil[/b]")  # the source, cut
    # Without a passage the row shows the file name, just as literally.
    bare = hit_prompt(dataclasses.replace(hit, snippets=()))
    assert bare.plain.split("\n")[1].strip() == "a[/b]].txt"
    assert _no_controls(_drawn(bare))


def test_article_body_renders_hostile_text_literally(seed_index) -> None:  # noqa: ANN001
    import dataclasses

    hit = seed_index.search("Parler").hits[0]
    article = dataclasses.replace(seed_index.article(hit.doc_id), text=HOSTILE_TEXT,
                                  furniture=((0, 4),))
    spans = [(5, 8), (9, 13)]
    content = article_body(article, spans, current=1, focus=(0, 20))
    _check_literal(content)
    assert len(content.plain) == len(HOSTILE_TEXT)  # the match offsets still fit
    styles = {(span.start, span.end): str(span.style) for span in content.spans}
    assert styles[(5, 8)] == "bold underline" and styles[(9, 13)] == "bold reverse"


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
    result row is at most the width, measured the same per character and per cluster."""
    from rich.cells import cell_len

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
    for width in (40, 80, 120):
        rows = [line.truncate(width, ellipsis=True).plain  # as the list cuts them
                for line in hit_prompt(hit).split("\n")]
        assert len(rows) == 2
        for row in rows:
            assert _cells_agree(row), row
            assert cell_len(row) <= width, (width, row)
