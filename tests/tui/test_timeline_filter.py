"""The timeline pane's filter is bound to the main screen's (issue 12): it follows the
screen's dates, the mentioned-dates filter and the timeline kind by itself, however
they change, instead of being copied over by hand after each change."""

from __future__ import annotations

import datetime as dt

from tui.screens.main import MainScreen
from tui.widgets.timeline import MENTIONED, PUBLISHED, TimelinePane

JAN = (dt.date(2021, 1, 1), dt.date(2021, 1, 31))
MAR = (dt.date(2021, 3, 1), dt.date(2021, 3, 31))


async def test_the_pane_filter_follows_the_screen_state(make_app, settle) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        main = app.screen
        assert isinstance(main, MainScreen)
        pane = main.query_one(TimelinePane)
        assert pane.applied == (None, None)

        main.since, main.until = JAN  # plain assignments: no method syncs the pane
        assert pane.applied == JAN
        main.mentions = MAR
        assert pane.applied == JAN  # the published timeline shows the publication filter
        main.timeline_kind = MENTIONED
        assert pane.applied == MAR
        main.mentions = None
        assert pane.applied == (None, None)
        main.timeline_kind = PUBLISHED
        assert pane.applied == JAN

        main.set_filter(None, None)  # and through the screen's own API
        await settle(pilot, app)
        assert pane.applied == (None, None)
