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
    assert hit_prompt  # imported for the hit rows, exercised in the flow tests
    assert article_body
