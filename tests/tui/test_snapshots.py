"""A few snapshots (80x24 and 160x50) with deterministic content: workers waited for,
the cursor blink frozen and the search time fixed."""

from __future__ import annotations

import dataclasses

import pytest

from tui.widgets.search_bar import SearchBar
from tui.widgets.timeline import TimelinePane


def _prepare(make_app, settle, keys: tuple[str, ...]):  # noqa: ANN001
    app = make_app()

    async def run_before(pilot) -> None:  # noqa: ANN001
        await settle(pilot, app)
        app.screen.query_one(SearchBar).input.cursor_blink = False
        await pilot.press(*keys)
        await settle(pilot, app)
        preview = app.screen_stack[0].query_one("#preview")
        for _ in range(40):  # wide: wait for the preview (a timer, then a worker)
            if not preview.display or preview.article is not None:
                break
            await settle(pilot, app)
        screen = app.screen_stack[0]
        # The timeline and the hit list finish in either order; where the timeline
        # cursor starts depends on it. Re-apply so it sits on the selected article's date.
        pane = screen.query_one(TimelinePane)
        pane._cursor_date = None
        pane.set_timeline(pane.timeline)
        if screen.result is not None:
            screen.result = dataclasses.replace(screen.result, elapsed_ms=5.0)
            screen._update_status()
        await pilot.pause()

    return app, run_before


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_snapshot_search(snap_compare, make_app, settle, size) -> None:  # noqa: ANN001
    app, run_before = _prepare(make_app, settle, tuple("quokka"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_snapshot_viewer_80x24(snap_compare, make_app, settle) -> None:  # noqa: ANN001
    app, run_before = _prepare(make_app, settle, (*"Amazon", "enter", "enter"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_snapshot_no_color_80x24(snap_compare, make_app, settle, monkeypatch) -> None:  # noqa: ANN001
    """NO_COLOR: no colour at all; the selected row reversed, matches bold underlined."""
    monkeypatch.setenv("NO_COLOR", "1")
    app, run_before = _prepare(make_app, settle, tuple("quokka"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_snapshot_help_80x24(snap_compare, make_app, settle) -> None:  # noqa: ANN001
    """The help's first page at 80x24, with its own footer."""
    app, run_before = _prepare(make_app, settle, ("f1",))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
