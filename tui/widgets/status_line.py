"""One line of state: hit count, time, sort, date filter, did-you-mean, progress."""

from __future__ import annotations

from textual.widgets import Static


class StatusLine(Static):
    """Shows what the screen tells it; all text arrives as Content from ``tui.render``."""
