"""A paste of several lines into the search box keeps every line (Textual's Input
keeps only the first and silently drops the rest)."""

from __future__ import annotations

from textual import events

from tui.widgets.query_input import one_line


def test_one_line_joins_lines_and_tabs() -> None:
    assert one_line("Parler\nAmazon\tKlage") == "Parler Amazon Klage"
    assert one_line("  a  \r\n\n b\n") == "a b"
    assert one_line("single  line ") == "single  line "
    assert one_line("") == ""


async def test_multiline_paste_keeps_every_line(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        box = app.main_screen.query_one("#search-input")
        box.focus()
        await pilot.pause()
        box.post_message(events.Paste("Parler\nAmazon\tKlage"))
        await settle(pilot, app)
        assert box.value == "Parler Amazon Klage"
