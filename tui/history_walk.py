"""Walking the search history with Up and Down, like a shell (no Textual here).

Up steps back through earlier queries (newest first), Down forward again; past the
newest, Down brings back what was typed before the walk began (the draft). Typing
ends the walk. Pure state, so the search bar stays a thin widget and the rules are
tested without a terminal.
"""

from __future__ import annotations

from collections.abc import Sequence


class HistoryWalk:
    """Where Up/Down are in the history."""

    def __init__(self) -> None:
        self.entries: tuple[str, ...] = ()
        self.position: int | None = None  # index into entries while walking
        self.draft = ""

    @property
    def walking(self) -> bool:
        """Is an earlier query shown (Down then steps forward, not to the results)?"""
        return self.position is not None

    def set_entries(self, entries: Sequence[str]) -> None:
        """New history (newest first); a walk in progress ends."""
        self.entries = tuple(entries)
        self.position = None

    def back(self, current: str) -> str | None:
        """Up: the previous query, None when there is none. An entry equal to the
        query on screen is skipped (Up after a search shows the one before it)."""
        if self.position is None:
            self.draft = current
            i = 0
        else:
            i = self.position + 1
        while i < len(self.entries) and self.entries[i] == " ".join(current.split()):
            i += 1
        if i >= len(self.entries):
            return None
        self.position = i
        return self.entries[i]

    def forward(self) -> str | None:
        """Down while walking: the next newer query, or the draft past the newest;
        None when not walking."""
        if self.position is None:
            return None
        if self.position == 0:
            self.position = None
            return self.draft
        self.position -= 1
        return self.entries[self.position]

    def stop(self) -> None:
        """The user typed: the walk is over."""
        self.position = None
