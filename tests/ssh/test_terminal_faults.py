"""Terminal faults: resize storms down to 10x5, tiny terminals, SIGWINCH storms during a
search, SIGTERM and SIGHUP to the real program (terminal restored, index intact)."""

from __future__ import annotations

import os
import random
import shlex
import signal
import time
from pathlib import Path

import pytest

SIZES = [(10, 5), (11, 5), (12, 6), (20, 8), (40, 12), (80, 24), (100, 30), (140, 40),
         (200, 60), (13, 40), (160, 5)]


# --- Pilot --------------------------------------------------------------------------------------

async def test_resize_storm_while_searching(make_app, settle) -> None:
    """Sixty resizes between 10x5 and 200x60 while a query is typed; then all is well."""
    from tui.screens.source import SourceScreen

    rng = random.Random(5)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        for i in range(60):
            await pilot.resize_terminal(*rng.choice(SIZES))
            if i % 6 == 0:
                await pilot.press("quokka"[i // 6 % 6])
            await pilot.pause(0.005 if i % 3 else 0)
        await pilot.resize_terminal(10, 5)
        await settle(pilot, app)
        await pilot.resize_terminal(80, 24)
        await pilot.press("ctrl+a", "ctrl+k", *"quokka")  # clear and type it again
        await settle(pilot, app)
        assert app.is_running
        main = app.main_screen
        assert main.error is None
        assert main.result is not None and main.result.total >= 3
        await pilot.press("enter", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, SourceScreen)
        for size in [(10, 5), (200, 60), (12, 6), (80, 24)]:  # the viewer re-wraps
            await pilot.resize_terminal(*size)
            await pilot.press("n")
        await settle(pilot, app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main


@pytest.mark.parametrize("size", [(10, 5), (20, 6), (29, 8), (40, 12), (12, 40)])
async def test_tiny_terminal_shows_something(make_app, settle, size) -> None:
    from tui.render import hit_prompt
    from tui.widgets.results_list import ResultsList

    app = make_app("quokka")
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        assert app.is_running and app.main_screen.result is not None
        assert app.main_screen.error is None  # e.g. not "search failed: ..."
        svg = app.export_screenshot()
        assert "Traceback" not in svg
        # The first hit is drawn, both of its rows, cut to the list's few columns: what
        # the list shows is the hit row cut at that width (not blank, not an error).
        results = app.screen.query_one(ResultsList)
        width = results.scrollable_content_region.width
        assert 0 < width <= size[0]
        drawn = [results.render_line(y).text.rstrip() for y in range(2)]
        rows = [line.truncate(width, ellipsis=True).plain  # the list's CSS ellipsis
                for line in hit_prompt(results.hits[0]).split("\n")]
        assert drawn == [row.rstrip() for row in rows], (drawn, rows)
        assert all(row.strip() for row in drawn), drawn
        await pilot.press("enter", "enter")
        await settle(pilot, app)
        await pilot.press("n", "c", "f1")
        await settle(pilot, app)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.is_running


# --- the real program in tmux -------------------------------------------------------------------

def _command(dossier_bin: Path, corpus_env: dict[str, Path], extra: str = "") -> str:
    run = (f"{shlex.quote(str(dossier_bin))} --read-only"
           f" --corpus {shlex.quote(str(corpus_env['corpus']))}"
           f" --index {shlex.quote(str(corpus_env['index']))} {extra}")
    # After dossier: its exit code and whether the tty is back in canonical mode.
    return (f"{run}; echo EXIT=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -- '-\\?icanon';"
            " echo DONE; sleep 30")


@pytest.mark.e2e
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_signal_exits_promptly_and_restores_terminal(tmux, dossier_bin, corpus_env,
                                                     signum) -> None:
    from index.search import Index

    # Mouse on (no --no-mouse): the mouse reporting must be switched off again too.
    session = tmux(_command(dossier_bin, corpus_env), env={"TERM": "xterm-256color"})
    session.wait_for("hits ·")
    assert session.display("#{alternate_on}") == "1"
    pid = session.find_pid(b"dossier")
    session.keys("quokk", literal=True)  # a search is on its way when the signal lands
    sent = time.monotonic()
    os.kill(pid, signum)
    screen = session.wait_for("DONE", timeout=5)
    took = time.monotonic() - sent
    assert f"EXIT={128 + signum}" in screen
    assert "\nicanon" in "\n" + screen.split("EXIT=", 1)[1], screen  # not "-icanon"
    assert session.display("#{alternate_on}") == "0"
    assert session.display("#{mouse_any_flag}") == "0"
    assert "Traceback" not in screen
    assert not session.alive(pid)
    assert took < 3.0, f"exit took {took:.1f}s"
    ix = Index(corpus_env["index"])  # intact: opens and answers
    try:
        assert ix.search("quokka").total >= 3
    finally:
        ix.close()


@pytest.mark.e2e
def test_sigwinch_storm_during_search(tmux, dossier_bin, corpus_env) -> None:
    """Typing through a storm of resizes loses no key. It failed about 1 run in 3 with
    "uokka": the keys were not dropped but reordered (ctrl+k ran after the "q" typed
    behind it, see tui/widgets/query_input.py); tests/tui/test_key_order.py makes
    that race certain and checks the fix without tmux."""
    rng = random.Random(7)
    session = tmux(_command(dossier_bin, corpus_env, "--no-mouse"),
                   env={"TERM": "xterm-256color"})
    session.wait_for("hits ·")
    pid = session.find_pid(b"dossier")
    for i, ch in enumerate("quokka" * 3):
        if i == 6:
            session.keys("C-a", "C-k")  # and again, twice more
        if i == 12:
            session.keys("C-a", "C-k")
        session.keys(ch, literal=True)
        session.resize(*rng.choice(SIZES))
        for _ in range(5):
            os.kill(pid, signal.SIGWINCH)
        time.sleep(0.01)
    session.resize(80, 24)
    os.kill(pid, signal.SIGWINCH)
    screen = session.wait_for("3 hits", timeout=10)
    assert "Traceback" not in screen and session.alive(pid)
    session.keys("Enter")  # to the results: still responsive
    session.wait_for("q Quit")
    session.keys("Enter")
    session.wait_for("c Copy")
    session.keys("q")  # in the viewer q quits the app
    screen = session.wait_for("DONE", timeout=10)
    assert "EXIT=0" in screen and "\nicanon" in "\n" + screen.split("EXIT=", 1)[1]
