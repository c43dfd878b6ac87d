"""The one preview debounce (tui/debounce.py): pokes in a row give one call."""

from __future__ import annotations

from textual.app import App

from tui.debounce import Debounce


async def test_pokes_in_a_row_give_one_call_after_the_last() -> None:
    calls: list[int] = []
    app: App[None] = App()
    async with app.run_test() as pilot:
        debounce = Debounce(app, lambda: calls.append(len(calls)), delay=0.05)
        for _ in range(5):
            debounce.poke()
        assert calls == []  # nothing yet: the wait restarts with every poke
        await pilot.pause(0.3)
        assert calls == [0]
        debounce.poke()
        await pilot.pause(0.3)
        assert calls == [0, 1]
