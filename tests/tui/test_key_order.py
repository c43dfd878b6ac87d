"""Keys are applied in the order they were typed, however busy the app is.

Textual hands a printable key straight to the focused input, while a key bound by
the input itself (``ctrl+a`` home, ``ctrl+k`` delete to the end) travels up the DOM
to the app and comes back as an action. When the app's queue was busy (a SIGWINCH
storm over SSH), ``ctrl+a ctrl+k q u o k k a`` ran as ``q``, then home and delete,
then ``uokka``: the ``q`` was deleted. This was the flaky
``test_sigwinch_storm_during_search``. Here the keys are queued all at once, which
makes the race certain instead of occasional.
"""

from __future__ import annotations

from textual import events


async def _queue_keys(app, *keys: str) -> None:  # noqa: ANN001
    """Post every key before the app handles any (as when its loop was busy)."""
    for key in keys:
        char = key if len(key) == 1 else None
        app.post_message(events.Key(key, char))


async def test_clear_and_retype_keeps_every_key(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press(*"alt")
        await _queue_keys(app, "ctrl+a", "ctrl+k", *"quokka")
        await settle(pilot, app)
        assert app.main_screen.query_one("#search-input").value == "quokka"
        await _queue_keys(app, "ctrl+a", "ctrl+k", *"quo", "home", "x", "end", *"kka")
        await settle(pilot, app)
        assert app.main_screen.query_one("#search-input").value == "xquokka"
        assert app.main_screen.result is not None


async def test_enter_after_typing_submits_the_whole_query(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await _queue_keys(app, *"quokka", "enter")
        await settle(pilot, app)
        main = app.main_screen
        assert main.query_text == "quokka"
        assert main.result is not None and main.result.total >= 3
