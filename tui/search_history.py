"""The TUI's search history for one session: off with a reason, never a crash.

No Textual here: the main screen calls it from worker threads. Read-only mode
opens nothing (SQLite would write its journal files); a damaged or locked database
turns history off for the rest of the session with one line, the file as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.history import History


class HistoryKeeper:
    """Search history for one TUI session."""

    def __init__(self) -> None:
        self._history: History | None = None
        self._lock = threading.Lock()
        #: Why history is off (one line), or None while it works.
        self.off: str | None = "still opening"
        self.entries: tuple[str, ...] = ()
        #: Where to create the database on the first query kept (none is made before).
        self._pending: Sequence[Path] | None = None

    def open(self, corpora: Sequence[Path], read_only: bool) -> str | None:
        """Open the history of *corpora* (in a thread); a one-line message when the
        database is the reason it is off."""
        from index.history import History, HistoryUnavailable, history_path

        if read_only:
            self.off = "read-only"
            return None
        if not history_path(corpora).exists():
            self._pending, self.off = corpora, None
            return None
        try:
            history = History.for_corpora(corpora)
            entries = tuple(history.recent())
        except HistoryUnavailable as exc:
            self.off = str(exc)
            return self.off
        with self._lock:
            self._history, self.entries, self.off = history, entries, None
        return None

    def record(self, text: str) -> str | None:
        """Keep *text* (in a thread); a one-line message if history just failed."""
        from index.history import History, HistoryUnavailable

        history = self._history
        try:
            if history is None and self._pending is not None and self.off is None:
                pending, self._pending = self._pending, None
                history = self._history = History.for_corpora(pending)
            if history is None:
                return None
            if history.record(text):
                self.entries = tuple(history.recent())
        except HistoryUnavailable as exc:
            self.off = str(exc)
            self.close()
            return self.off
        return None

    def message(self) -> str:
        """Why history is off, as one line for the user."""
        off = self.off or ""
        return off if " off: " in off else f"search history is off: {off}"

    def matching(self, needle: str) -> list[str]:
        """Entries containing *needle* (any case), newest first."""
        n = needle.casefold().strip()
        return [e for e in self.entries if n in e.casefold()]

    def close(self) -> None:
        """Release the database."""
        with self._lock:
            if self._history is not None:
                self._history.close()
                self._history = None
