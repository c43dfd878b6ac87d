"""Messages sent from worker threads to the screen."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class BuildProgress(Message):
    """Indexing progress: *done* of *total* files, *path* the last one read.

    Each one supersedes the previous, so a slow UI drops the backlog instead
    of replaying thousands of updates (``can_replace``)."""

    done: int
    total: int
    path: str

    def can_replace(self, message: Message) -> bool:
        """A newer progress message makes an older unprocessed one pointless."""
        return isinstance(message, BuildProgress)
