"""A worker that raises, on any screen, is one line worded by the App's one
``Worker.StateChanged`` handler, and never a traceback (issue 12)."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

from tui.render import worker_failure
from tui.screens.events import EventsScreen
from tui.screens.main import MainScreen
from tui.widgets.status_line import StatusLine

TUI = Path(__file__).resolve().parents[2] / "tui"

#: Two lines, the second looking like the start of a traceback: neither may show.
REASON = "disk on fire\nTraceback (most recent call last):"


class Boom(RuntimeError):
    """The failure the patched index raises."""


def _boom(*args: object, **kwargs: object) -> object:
    raise Boom(REASON)


def _visible_text(app) -> str:  # noqa: ANN001
    """Everything the screen and the toasts show, as plain text."""
    parts = [str(w.render()) for w in app.screen.query("*") if hasattr(w, "render")]
    parts += [str(n.message) for n in app._notifications]
    return "\n".join(parts)


async def test_a_failing_worker_is_the_same_one_line_on_main_and_events(
        make_app, settle, monkeypatch) -> None:  # noqa: ANN001
    from index.search import Index

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        main = app.screen
        assert isinstance(main, MainScreen) and app.index is not None

        monkeypatch.setattr(Index, "search", _boom)
        main.run_search()
        await settle(pilot, app)
        expected_main = worker_failure("search", Boom(REASON))
        assert expected_main == "search failed: disk on fire Traceback (most recent call last):"
        assert main.error == expected_main
        assert expected_main in str(main.query_one(StatusLine).render())
        assert [str(n.message) for n in app._notifications] == [expected_main]

        monkeypatch.setattr(Index, "events", _boom)
        day = dt.date(2021, 1, 20)
        app.push_screen(EventsScreen("", day, day, "2021-01-20"))
        await settle(pilot, app)
        events = app.screen
        assert isinstance(events, EventsScreen)
        head = str(events.query_one("#events-head").render())
        assert head == worker_failure("listing the events", Boom(REASON))
        # The same wording on both screens: "<what> failed: <reason on one line>".
        assert head.removeprefix("listing the events") == expected_main.removeprefix("search")
        assert "\n" not in head and "\n" not in expected_main
        assert "disk on fire\n" not in _visible_text(app)
        assert app.is_running and app.return_code is None


def _state_changed_handlers() -> list[str]:
    """Every function in tui/ decorated ``@on(Worker.StateChanged)`` or named like
    Textual's handler for it (``on_worker_state_changed``)."""
    found = []
    for path in sorted(TUI.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            decorated = any("StateChanged" in ast.unparse(d) for d in node.decorator_list)
            if decorated or node.name == "on_worker_state_changed":
                found.append(f"{path.relative_to(TUI.parent)}:{node.name}")
    return found


def test_exactly_one_worker_state_handler_in_tui_and_it_is_the_apps() -> None:
    assert _state_changed_handlers() == ["tui/app.py:_worker_state_changed"]
