"""The mentioned timeline draws year- and month-precision mentions at their own
precision (issue 11 point 3): a mark on the axis, never a bar on the first day."""

from __future__ import annotations

import datetime as dt

from textual.app import App, ComposeResult

from index.results import Bucket, Timeline
from tui.widgets.timeline import COARSE_HIT, COARSE_TOTAL, MENTIONED, TimelinePane


def _timeline() -> Timeline:
    days = [dt.date(2021, 1, d) for d in range(1, 11)]
    buckets = tuple(
        Bucket(start=d, end=d, label=d.isoformat(), hits=int(d.day == 5), total=int(d.day == 5),
               coarse_hits=1 if d.day <= 3 else 0, coarse_total=1 if d.day <= 6 else 0)
        for d in days)
    coarse = (Bucket(start=dt.date(2021, 1, 1), end=dt.date(2021, 1, 31), label="2021-01",
                     hits=1, total=2),)
    return Timeline(granularity="day", buckets=buckets, undated_hits=0, undated_total=0,
                    total_hits=2, coarse=coarse)


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield TimelinePane(id="tl")


async def test_coarse_mentions_are_axis_marks_not_bars() -> None:
    app = _Host()
    async with app.run_test(size=(40, 10)) as pilot:
        pane = app.query_one(TimelinePane)
        pane.kind = MENTIONED
        pane.set_timeline(_timeline())
        pane.cursor = 9
        await pilot.pause()
        lines = str(pane.render()).split("\n")
        axis = lines[-2]
        assert axis.count(COARSE_HIT) == 3 * (len(axis) // 10)  # 1-3 January
        assert axis.count(COARSE_TOTAL) == 3 * (len(axis) // 10)  # 4-6 January
        bars = lines[1:-2]
        col = len(axis) // 10
        # Only the 5th has a bar: the month mention is not drawn on the 1st.
        assert all(row[:col * 4].strip() == "" for row in bars)
        pane.cursor = 1
        pane.refresh()
        await pilot.pause()
        assert f"{COARSE_HIT}1/1" in str(pane.render()).split("\n")[0]
