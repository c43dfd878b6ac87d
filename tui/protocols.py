"""What screens and widgets may know about each other and the App, as Protocols.

Screens type ``self.app`` and the screens they talk to through these, instead of
importing ``tui.app`` or another screen module: that import is what closed the
circle app -> screens -> app (tests/tui/test_layering.py keeps it open).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from index.results import EventMention, Hit, Span
    from index.search import Index


@runtime_checkable
class ShowsWorkerFailures(Protocol):
    """A screen that shows its failed workers itself (a header line, the viewer, the
    status line); the App's one ``Worker.StateChanged`` handler words the line."""

    def show_worker_failure(self, group: str, text: str) -> None:
        """Show *text* (one line, already safe) for a failed worker of *group*."""
        ...


class KeepsMarks(Protocol):
    """The main screen as the source viewer sees it: it keeps bookmarks and tags."""

    def toggle_bookmark(self, doc_id: str) -> None:
        """Bookmark *doc_id*, or unbookmark it."""
        ...

    def edit_tags(self, doc_id: str, title: str) -> None:
        """Ask for the tags of *doc_id*."""
        ...


class DossierAppLike(Protocol):
    """The App as its screens see it (``tui.app.DossierApp`` is the one implementation).

    Only the attributes screens use; the App's module imports the screens, so the
    screens type ``self.app`` with this instead of importing it."""

    corpora: list[Path]
    index_dir: Path
    read_only: bool
    index: Index | None
    latencies: list[float]

    def refuse(self, what: str) -> None:
        """Say that *what* is not available in read-only mode."""
        ...

    @property
    def main_screen(self) -> KeepsMarks | None:
        """The main screen (bottom of the stack)."""
        ...

    def open_article(self, hit: Hit | EventMention, query: str,
                     focus: Span | None = None) -> None:
        """Show the article of *hit* full screen, *focus* highlighted."""
        ...

    def open_events(self, query: str, start: dt.date, end: dt.date, label: str, *,
                    since: dt.date | None, until: dt.date | None) -> None:
        """Show the event mentions dated in [*start*, *end*]."""
        ...
