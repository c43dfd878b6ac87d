"""Search history: the queries a user ran on a corpus, newest first, in SQLite.

Search as you type runs a query for every pause in typing; the history keeps only
the queries a user *meant*: the front ends record one when it is submitted (Enter),
an article is opened from its results, or it is exported. Whitespace is collapsed
and a repeated query moves to the top instead of appearing twice (its use count
goes up); the oldest beyond :data:`MAX_ENTRIES` are dropped.

The database lives beside the marks in the user data folder, per corpus, with the
same rules (WAL, busy timeout, one transaction per change, a damaged or locked file
turns history off for the session with one line and is left as it was).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from index.userdata import (
    UserDataUnavailable,
    connect,
    corpus_data_dir,
    one_line_error,
    transaction,
)

FILENAME = "history.sqlite3"
WHAT = "search history is"
SCHEMA_VERSION = 1
MAX_ENTRIES = 500
#: Longer queries are not kept (the query parser refuses more than 2000 characters).
MAX_LENGTH = 2000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS queries (
    text TEXT PRIMARY KEY,
    last_used REAL NOT NULL,
    uses INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS queries_last_used ON queries (last_used);
"""


class HistoryUnavailable(UserDataUnavailable):
    """The history database can't be used: one line."""


def history_path(corpora: Sequence[Path]) -> Path:
    """The history database of this set of corpus folders."""
    return corpus_data_dir(corpora) / FILENAME


def normalize(text: str) -> str:
    """The form a query is kept in: one line, single spaces."""
    return " ".join(text.split())


class History:
    """An open history database (thread-safe: one connection under a lock)."""

    def __init__(self, path: Path, *, timeout: float = 5.0,
                 max_entries: int = MAX_ENTRIES) -> None:
        self.path = Path(path)
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._db = connect(self.path, _SCHEMA, SCHEMA_VERSION, timeout=timeout, what=WHAT,
                           error=HistoryUnavailable)

    @classmethod
    def for_corpora(cls, corpora: Sequence[Path]) -> History:
        """The history of this set of corpus folders (created on first use)."""
        return cls(history_path(corpora))

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def _error(self, exc: sqlite3.Error) -> HistoryUnavailable:
        return HistoryUnavailable(one_line_error(WHAT, self.path, exc))

    def record(self, text: str) -> bool:
        """Keep *text* as the newest query; False when it is not kept (empty or too
        long). Raises :class:`HistoryUnavailable`."""
        query = normalize(text)
        if not query or len(query) > MAX_LENGTH:
            return False
        now = time.time()
        try:
            with self._lock, transaction(self._db) as db:
                # A clock set back must not bury the newest query: never older than the top.
                top = db.execute("SELECT max(last_used) FROM queries").fetchone()[0]
                stamp = max(now, (top or 0) + 1e-6)
                db.execute("INSERT INTO queries (text, last_used) VALUES (?, ?) ON CONFLICT"
                           " (text) DO UPDATE SET last_used = excluded.last_used,"
                           " uses = uses + 1", (query, stamp))
                db.execute("DELETE FROM queries WHERE text NOT IN (SELECT text FROM queries"
                           " ORDER BY last_used DESC LIMIT ?)", (self.max_entries,))
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        return True

    def recent(self, limit: int = MAX_ENTRIES, containing: str = "") -> list[str]:
        """The newest *limit* queries (those containing *containing*, any case)."""
        try:
            with self._lock:
                rows = self._db.execute("SELECT text FROM queries ORDER BY last_used DESC"
                                        ).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        needle = containing.casefold().strip()
        found = [r[0] for r in rows if needle in r[0].casefold()]
        return found[:limit]

    def forget(self, text: str) -> None:
        """Drop *text* from the history."""
        try:
            with self._lock, transaction(self._db) as db:
                db.execute("DELETE FROM queries WHERE text = ?", (normalize(text),))
        except sqlite3.Error as exc:
            raise self._error(exc) from None
