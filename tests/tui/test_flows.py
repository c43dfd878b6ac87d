"""Pilot tests: every flow a user sees, on a real index of a tiny corpus."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input

from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.source import SourceScreen
from tui.widgets.results_list import ResultsList
from tui.widgets.search_bar import SearchBar
from tui.widgets.source_view import SourceView
from tui.widgets.status_line import StatusLine
from tui.widgets.timeline import TimelinePane


def titles(app) -> list[str]:  # noqa: ANN001
    return [h.title for h in app.screen.query_one(ResultsList).hits]


def status(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one(StatusLine).render())


async def type_query(pilot, app, text: str, settle) -> None:  # noqa: ANN001
    await pilot.press("slash")
    inp = app.screen.query_one(SearchBar).input
    inp.value = ""
    await pilot.press(*list(text))
    await settle(pilot, app)


async def test_type_shows_results(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert len(titles(app)) == 6  # empty query lists everything
        await type_query(pilot, app, settle=settle, text="quokka")
        assert len(titles(app)) == 3
        assert all("uokka" in t or "[/b]" in t for t in titles(app))
        assert "3 hits" in status(app)
        hit = app.screen.query_one(ResultsList).hits[0]
        assert hit.snippets and hit.snippets[0].spans  # highlighted passage


async def test_open_viewer_highlights_and_n_counter(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, app, settle=settle, text="Amazon")
        await pilot.press("enter")  # to the results
        await pilot.press("enter")  # open
        await settle(pilot, app)
        assert isinstance(app.screen, SourceScreen)
        view = app.screen.query_one(SourceView)
        assert view.article is not None and len(view.spans) >= 5
        for start, end in view.spans:
            assert view.article.text[start:end].lower().startswith("amazon")
        first = view.current
        assert "/" in str(view.counter())
        await pilot.press("n")
        assert view.current == (first + 1) % len(view.spans)
        assert f"{view.current + 1}/{len(view.spans)}" in str(view.counter())
        await pilot.press("N", "N")
        assert view.current == (first - 1) % len(view.spans)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_viewer_opens_at_best_passage(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, app, settle=settle, text="Kartellrecht")
        await pilot.press("enter", "enter")
        await settle(pilot, app)
        view = app.screen.query_one(SourceView)
        assert view.current == 0
        body = view.body
        line = body.line_of(view.spans[0][0])
        assert body.scroll_offset.y <= line < body.scroll_offset.y + body.size.height
        assert body.scroll_offset.y > 0  # the match is far down the article


async def test_timeline_range_select_and_clear(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, app, settle=settle, text="quokka")
        screen = app.screen
        pane = screen.query_one(TimelinePane)
        await pilot.press("escape")  # search -> ... focus results first
        screen._focus_pane(pane)
        await pilot.pause()
        assert app.focused is pane
        assert pane.timeline is not None and pane.timeline.total_hits == 3
        await pilot.press("t", "t", "t", "t")  # auto -> day -> week -> month -> year
        await settle(pilot, app)
        assert pane.timeline.granularity == "year"
        await pilot.press("home")
        assert pane.timeline.buckets[pane.cursor].label == "2020"
        await pilot.press("shift+right")
        await pilot.press("enter")
        await settle(pilot, app)
        assert (screen.since, screen.until) == (dt.date(2020, 1, 1), dt.date(2021, 12, 31))
        assert "2020-01-01…2021-12-31" in status(app)
        # one bucket only: 2020 keeps the English article
        await pilot.press("home", "enter")
        await settle(pilot, app)
        assert titles(app) == ["Quokka sightings rise in Perth"]
        await pilot.press("x")
        await settle(pilot, app)
        assert screen.since is None and screen.until is None
        assert len(titles(app)) == 3
        assert "x clears" not in status(app)


async def test_sort_toggle(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, app, settle=settle, text="quokka")
        await pilot.press("enter")  # focus results: letters are keys again
        await pilot.press("s")
        await settle(pilot, app)
        assert app.screen.sort == "date"
        assert "newest first" in status(app)
        dates = [h.date for h in app.screen.query_one(ResultsList).hits if h.date]
        assert dates == sorted(dates, reverse=True)
        await pilot.press("s")
        await settle(pilot, app)
        assert "sort: relevance" in status(app)


async def test_help_screen_lists_every_key(make_app, settle) -> None:
    from tui.screens.help import help_text

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("enter")  # to results, where ? is not a letter
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        assert isinstance(app.screen, MainScreen)
    text = help_text()
    for key in ("`/`", "Tab", "`s`", "`t`", "`x`", "`n` `N`", "Ctrl+P", "`q`", "`Enter`",
                "`Esc`", "`j` `k`", "`g` `G`", "Shift+←"):
        assert key in text, key


async def test_q_types_in_search_and_quits_elsewhere(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("q")
        assert app.is_running
        assert app.screen.query_one(SearchBar).input.value == "q"
        await pilot.press("backspace", "enter")  # to the results
        await settle(pilot, app)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running
    assert app.return_code in (0, None)


async def test_ctrl_q_quits_from_the_search_box(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("slash", "k", "l")
        assert isinstance(app.focused, Input)
        # The q key is hidden in the search box, Ctrl+Q (Textual's quit) is not.
        assert app.check_action("quit_key", ()) is False
        assert app.check_action("quit", ()) is not False
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not app.is_running


async def test_query_error_inline_keeps_results(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, app, settle=settle, text="quokka")
        before = titles(app)
        await pilot.press(*list(" )"))  # a stray bracket: an error, not unfinished typing
        await settle(pilot, app)
        bar = app.screen.query_one(SearchBar)
        assert bar.has_class("-error")
        error = str(bar.query_one("#search-error").render())
        assert "^" in error and "column" in error
        assert titles(app) == before
        await pilot.press("backspace")
        await settle(pilot, app)
        assert not bar.has_class("-error")


async def test_did_you_mean_follows_the_empty_result(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, app, settle=settle, text="quokkka")
        assert "0 hits" in status(app)
        assert "did you mean" in status(app) and "quokka" in status(app).lower()
        app.screen.use_suggestion()  # the palette's "use the suggestion"
        await settle(pilot, app)
        assert len(titles(app)) == 3


async def test_tab_cycles_panes(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.focused, Input)
        await pilot.press("tab")
        await pilot.pause()
        assert isinstance(app.focused, ResultsList)
        await pilot.press("tab")
        await pilot.pause()
        assert isinstance(app.focused, TimelinePane)
        await pilot.press("shift+tab")
        await pilot.pause()
        assert isinstance(app.focused, ResultsList)


async def test_small_terminal_switches_panes(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await type_query(pilot, app, settle=settle, text="quokka")
        results = app.screen.query_one(ResultsList)
        pane = app.screen.query_one(TimelinePane)
        assert results.display and results.size.height > 0
        await pilot.press("tab", "tab")
        await pilot.pause()
        assert app.focused is pane and pane.size.height > 3
        await pilot.press("tab")
        await pilot.pause()
        assert isinstance(app.focused, Input)


async def test_wide_terminal_shows_viewer_beside_results(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await type_query(pilot, app, settle=settle, text="Parler")
        view = app.screen.query_one("#preview", SourceView)
        assert view.display and view.article is not None
        assert view.spans
        await pilot.press("enter", "j")
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)
        assert app.focused is view.body


async def test_missing_index_is_built_with_progress(make_app, tmp_path, settle) -> None:
    app = make_app(index_dir=tmp_path / "fresh-index")
    seen: list[str] = []

    def hook(message) -> None:  # noqa: ANN001
        if type(message).__name__ == "BuildProgress":
            seen.append(f"{message.done}/{message.total}")

    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await settle(pilot, app)
        assert app.index is not None
        assert len(titles(app)) == 6
    assert seen and seen[-1] == "6/6"


async def test_broken_index_shows_a_message(make_app, tmp_path, settle) -> None:
    bad = tmp_path / "bad-index"
    bad.mkdir()
    (bad / "dossier-version.json").write_text("{not json", "utf-8")
    ro = tmp_path / "ro"
    app = make_app(index_dir=bad)
    app.corpora = [ro]  # a corpus folder that does not exist: building must fail
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.is_running
        assert "failed" in status(app)
        assert "Traceback" not in status(app)


async def test_the_word_being_typed_is_completed(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, app, settle=settle, text="quok")
        # "quok" is no word of the corpus: it finds the quokka articles as a prefix.
        assert len(titles(app)) == 3
        assert "completing" in status(app) and "quok" in status(app)
        await pilot.press("space")
        await settle(pilot, app)
        assert len(titles(app)) == 0  # followed by a space, it is a whole word again
        assert "completing" not in status(app)
        await pilot.press("backspace")
        await settle(pilot, app)
        assert len(titles(app)) == 3
        await pilot.press("home", "space")  # typing elsewhere: the last word is left as is
        await settle(pilot, app)
        assert len(titles(app)) == 0
