"""A small dialog that asks for a date or a range of dates."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.dates import parse_range

DateRange = tuple[dt.date | None, dt.date | None]


class GoToDateScreen(ModalScreen[DateRange | None]):
    """Returns (since, until), or None when cancelled with Esc."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="goto.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-box"):
            yield Static(Content.styled("Go to date", "bold"))
            yield Input(placeholder="2021-01, 2021-01-13, 2020..2021-03", id="goto-input")
            yield Static(Content.styled("Enter applies the filter · Esc cancels", "dim"),
                         id="goto-hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            self.dismiss(parse_range(event.value))
        except ValueError as exc:
            self.query_one("#goto-hint", Static).update(Content.styled(str(exc), "bold"))

    def action_cancel(self) -> None:
        """Close without filtering."""
        self.dismiss(None)
