"""Pilot tests for the mentioned (event) timeline: switching, bars, the mentions filter,
the event list and opening an article at an event's sentence."""

from __future__ import annotations

import datetime as dt

from tui.screens.events import EventsScreen
from tui.screens.main import MainScreen
from tui.screens.source import SourceScreen
from tui.widgets.event_list import EventList
from tui.widgets.results_list import ResultsList
from tui.widgets.source_view import SourceView
from tui.widgets.status_line import StatusLine
from tui.widgets.timeline import TimelinePane

JAN20 = dt.date(2021, 1, 20)
JAN21 = dt.date(2021, 1, 21)


def status(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one(StatusLine).render())


def header(pane: TimelinePane) -> str:
    return str(pane.render()).split("\n", 1)[0]


def footer_keys(app) -> dict[str, str]:  # noqa: ANN001
    return {key: active.binding.description
            for key, active in app.screen.active_bindings.items() if active.binding.show}


async def mentioned_by_day(pilot, app, settle) -> TimelinePane:  # noqa: ANN001
    """Focus the timeline, switch it to mentioned dates and day buckets."""
    await settle(pilot, app)
    pane = app.screen.query_one(TimelinePane)
    await pilot.press("tab", "tab")
    await pilot.pause()
    assert app.focused is pane
    assert footer_keys(app).get("m") == "Mentioned"
    await pilot.press("m")
    await settle(pilot, app)
    await pilot.press("t")  # auto -> day
    await settle(pilot, app)
    assert pane.timeline is not None and pane.timeline.granularity == "day"
    return pane


async def cursor_to(pilot, pane: TimelinePane, day: dt.date) -> None:  # noqa: ANN001
    """Move the timeline cursor to *day* with the keys a user would press."""
    assert pane.timeline is not None
    buckets = pane.timeline.buckets
    target = next(i for i, b in enumerate(buckets) if b.start == day)
    steps = target - pane.cursor
    if abs(steps) > 40:  # day buckets over years: from the nearer end
        from_end = len(buckets) - 1 - target
        await pilot.press("home" if target < from_end else "end")
        steps = target if target < from_end else -from_end
    await pilot.press(*(["right"] * steps if steps > 0 else ["left"] * -steps))
    assert pane.timeline.buckets[pane.cursor].start == day


async def test_switch_to_mentioned_and_back(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        pane = app.screen.query_one(TimelinePane)
        assert header(pane).startswith("published")
        published_total = pane.timeline.total_hits
        await mentioned_by_day(pilot, app, settle)
        assert pane.kind == "mentioned" and app.screen.timeline_kind == "mentioned"
        assert header(pane).startswith("mentioned")
        keys = footer_keys(app)
        assert keys.get("m") == "Published" and keys.get("e") == "Events"
        # The seeds mention the inauguration, 2021-01-20, in two articles; the court
        # ruling "am Donnerstag" (2021-01-21) in one.
        by_day = {b.start: b for b in pane.timeline.buckets}
        assert (by_day[JAN20].hits, by_day[JAN20].total) == (2, 2)
        assert (by_day[JAN21].hits, by_day[JAN21].total) == (1, 1)
        assert pane.timeline.total_hits == published_total
        await pilot.press("m")
        await settle(pilot, app)
        assert pane.kind == "published" and header(pane).startswith("published")
        assert "e" not in footer_keys(app)


async def test_mentioned_bars_follow_the_query(make_app, settle) -> None:
    app = make_app("quokka")
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await mentioned_by_day(pilot, app, settle)
        by_day = {b.start: b for b in pane.timeline.buckets}
        # No quokka article mentions the inauguration: no hits, the total stays.
        assert (by_day[JAN20].hits, by_day[JAN20].total) == (0, 2)


async def test_mentions_range_filters_results_and_clears(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await mentioned_by_day(pilot, app, settle)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        everything = screen.result.total
        await cursor_to(pilot, pane, JAN20)
        await pilot.press("shift+right", "enter")
        await settle(pilot, app)
        assert screen.mentions == (JAN20, JAN21)
        assert (screen.since, screen.until) == (None, None)  # not the publication filter
        assert screen.result.total == 2  # both Parler articles mention 20 or 21 January
        assert "mentions 2021-01-20…2021-01-21" in status(app)
        assert "dates " not in status(app)
        assert pane.applied == (JAN20, JAN21)
        # One day: only the article with the court ruling "am Donnerstag".
        await cursor_to(pilot, pane, JAN21)
        await pilot.press("enter")
        await settle(pilot, app)
        assert screen.result.total == 1
        hits = screen.query_one(ResultsList).hits
        assert "Parler" in hits[0].title
        assert "mentions 2021-01-21" in status(app)
        await pilot.press("x")
        await settle(pilot, app)
        assert screen.mentions is None
        assert screen.result.total == everything
        assert "mentions" not in status(app)


async def test_both_filters_show_apart(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await mentioned_by_day(pilot, app, settle)
        screen = app.screen
        await cursor_to(pilot, pane, JAN20)
        await pilot.press("enter")
        await settle(pilot, app)
        screen.go_to_date(dt.date(2021, 1, 21), dt.date(2021, 1, 21))
        await settle(pilot, app)
        text = status(app)
        assert "dates 2021-01-21" in text and "mentions 2021-01-20" in text
        assert screen.result.total == 1  # published on the 21st and mentions the 20th
        await pilot.press("x")
        await settle(pilot, app)
        assert not screen.has_filter and "mentions" not in status(app)


async def test_event_list_opens_article_at_sentence(make_app, settle) -> None:
    app = make_app("Amazon")
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await mentioned_by_day(pilot, app, settle)
        await cursor_to(pilot, pane, JAN20)
        await pilot.press("e")
        await settle(pilot, app)
        assert isinstance(app.screen, EventsScreen)
        events = app.screen.query_one(EventList)
        assert app.focused is events
        assert len(events.events) == 2
        assert {e.expression for e in events.events} == {"20. Januar", "20. Jänner"}
        assert "2 mentions in 2 articles" in str(app.screen.query_one("#events-head").render())
        # The expression is highlighted inside the sentence (span minus sentence start).
        from tui.render import EXPRESSION

        for i, event in enumerate(events.events):
            prompt = events.get_option_at_index(i).prompt
            marked = [str(prompt)[s.start:s.end] for s in prompt.spans if s.style == EXPRESSION]
            assert marked == [event.expression]
        await pilot.press("down", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, SourceScreen)
        chosen = events.events[1]
        view = app.screen.query_one(SourceView)
        assert view.article is not None and view.article.doc_id == chosen.doc_id
        assert view.focus_span == chosen.sentence_span
        start, end = chosen.sentence_span
        assert view.article.text[start:end] == chosen.sentence
        assert view.spans  # the query's matches stay highlighted too
        body = view.body
        line = body.line_of(start)
        assert body.scroll_offset.y <= line < body.scroll_offset.y + body.size.height
        await pilot.press("escape")
        assert isinstance(app.screen, EventsScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        assert app.focused is pane


async def test_events_key_on_empty_bucket_only_bells(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await mentioned_by_day(pilot, app, settle)
        empty = next(b.start for b in pane.timeline.buckets if not b.hits)
        await cursor_to(pilot, pane, empty)
        await pilot.press("e")
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)


async def test_wide_event_list_previews_beside(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        pane = await mentioned_by_day(pilot, app, settle)
        await cursor_to(pilot, pane, JAN21)
        await pilot.press("e")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, EventsScreen)
        preview = screen.query_one("#events-preview", SourceView)
        for _ in range(10):
            if preview.article is not None:
                break
            await settle(pilot, app)
        event = screen.query_one(EventList).events[0]
        assert preview.display and preview.focus_span == event.sentence_span
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is preview.body
        await pilot.press("escape")
        assert isinstance(app.focused, EventList)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_small_terminal_event_list(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        pane = await mentioned_by_day(pilot, app, settle)
        assert pane.size.height > 3 and header(pane).startswith("mentioned")
        await cursor_to(pilot, pane, JAN20)
        await pilot.press("e")
        await settle(pilot, app)
        events = app.screen.query_one(EventList)
        assert events.size.height > 3 and len(events.events) == 2
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, SourceScreen)
        assert app.screen.query_one(SourceView).focus_span == events.events[0].sentence_span


async def test_palette_commands_switch_timeline(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        screen.set_timeline_kind("mentioned")
        await settle(pilot, app)
        assert screen.query_one(TimelinePane).kind == "mentioned"
        screen.action_toggle_timeline()
        await settle(pilot, app)
        assert screen.query_one(TimelinePane).kind == "published"
        from tui.commands import DossierCommands

        names = [name for name, _cb, _help in DossierCommands(screen)._commands()]
        assert "Timeline of mentioned dates (events)" in names
        assert "List events of the timeline period" in names


def test_help_lists_event_keys() -> None:
    from tui.screens.help import help_text

    text = help_text()
    for key in ("`m`", "`e`", "mentioned", "mentions"):
        assert key in text, key


async def test_fast_double_switch_keeps_the_last(make_app, settle) -> None:
    """A timeline that arrives for a kind no longer wanted is dropped."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        screen.set_timeline_kind("mentioned")
        screen.set_timeline_kind("published")
        await settle(pilot, app)
        pane = screen.query_one(TimelinePane)
        assert pane.kind == "published" and header(pane).startswith("published")
        # Bars of publication dates (from 2020), not of mentioned ones (from 2018).
        assert pane.timeline.buckets[0].start.year == 2020
