"""Saved searches: a query and its filters under a name the user chose, in SQLite.

A journalist comes back to the same questions ("Parler Klagen", only January,
oldest first): a saved search keeps the query with the publication-date filter,
the mentioned-date filter and the sort, and runs again by name from the TUI
palette or ``dossier search --saved NAME``. Stored per corpus beside the history
and the marks (same rules: WAL, busy timeout, one transaction per change; a damaged
or locked file turns the feature off with one line and is left as it was).

Names are for people and show in the palette and a terminal: letters, digits,
spaces and a little punctuation, at most 60 characters; anything else (control
characters, markup brackets, quotes that would confuse a shell) is a one-line error.
Names compare without case (``Parler`` and ``parler`` are one search).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from index.userdata import (
    UserDataUnavailable,
    connect,
    corpus_data_dir,
    one_line_error,
    transaction,
)

FILENAME = "saved.sqlite3"
WHAT = "saved searches are"
SCHEMA_VERSION = 1
SORTS = ("relevance", "date", "oldest")
NAME_RE = re.compile(r"[^\W_](?:[\w .,:;!?&+\-()']{0,58}[\w.!?)'])?")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS saved (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    query TEXT NOT NULL,
    since TEXT,
    until TEXT,
    sort TEXT NOT NULL DEFAULT 'relevance',
    mentions_from TEXT,
    mentions_to TEXT,
    created REAL NOT NULL,
    used REAL NOT NULL
);
"""


class SavedUnavailable(UserDataUnavailable):
    """The saved-search database can't be used: one line."""


class BadSavedSearch(ValueError):
    """A name or a value the user must fix: one line."""


@dataclass(frozen=True)
class SavedSearch:
    """A query with its filters, under a name."""

    name: str
    query: str
    since: dt.date | None = None
    until: dt.date | None = None
    sort: str = "relevance"
    mentions: tuple[dt.date, dt.date] | None = None

    def to_json(self) -> dict[str, object]:
        """The ``dossier saved --json`` record."""
        return {
            "name": self.name, "query": self.query,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "sort": self.sort,
            "mentions": [d.isoformat() for d in self.mentions] if self.mentions else None,
        }

    def describe(self) -> str:
        """``Parler Klage · 2021-01-01..2021-01-31 · oldest first`` (one line)."""
        parts = [self.query or "(all articles)"]
        if self.since or self.until:
            parts.append(f"{self.since or '…'}..{self.until or '…'}")
        if self.mentions:
            parts.append(f"mentions {self.mentions[0]}..{self.mentions[1]}")
        if self.sort != "relevance":
            parts.append({"date": "newest first", "oldest": "oldest first"}[self.sort])
        return " · ".join(parts)


def check_name(name: str) -> str:
    """*name* with outer blanks gone and inner runs made single; BadSavedSearch when
    it has characters a name can't have."""
    clean = " ".join(name.split())
    if not clean:
        raise BadSavedSearch("a saved search needs a name")
    if not NAME_RE.fullmatch(clean):
        raise BadSavedSearch(
            f"not a name for a saved search: {clean[:60]!r} (letters, digits, spaces and "
            ". , : ; ! ? & + - ( ) ' only, at most 60 characters)")
    return clean


def saved_path(corpora: Sequence[Path]) -> Path:
    """The saved-search database of this set of corpus folders."""
    return corpus_data_dir(corpora) / FILENAME


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _date(s: str | None) -> dt.date | None:
    return dt.date.fromisoformat(s) if s else None


class SavedSearches:
    """An open saved-search database (thread-safe)."""

    def __init__(self, path: Path, *, timeout: float = 5.0) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db = connect(self.path, _SCHEMA, SCHEMA_VERSION, timeout=timeout, what=WHAT,
                           error=SavedUnavailable)

    @classmethod
    def for_corpora(cls, corpora: Sequence[Path]) -> SavedSearches:
        """The saved searches of this set of corpus folders (created on first use)."""
        return cls(saved_path(corpora))

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def _error(self, exc: sqlite3.Error) -> SavedUnavailable:
        return SavedUnavailable(one_line_error(WHAT, self.path, exc))

    def save(self, search: SavedSearch, *, replace: bool = False) -> SavedSearch:
        """Store *search* (its name checked); BadSavedSearch when the name is taken
        and *replace* is false."""
        name = check_name(search.name)
        if search.sort not in SORTS:
            raise BadSavedSearch(f"unknown sort {search.sort!r}")
        now = time.time()
        m = search.mentions
        row = (name, search.query, _iso(search.since), _iso(search.until), search.sort,
               _iso(m[0]) if m else None, _iso(m[1]) if m else None, now, now)
        try:
            with self._lock, transaction(self._db) as db:
                taken = db.execute("SELECT name FROM saved WHERE name = ?", (name,)).fetchone()
                if taken and not replace:
                    raise BadSavedSearch(f"a saved search named {taken[0]!r} exists already")
                db.execute("DELETE FROM saved WHERE name = ?", (name,))
                db.execute("INSERT INTO saved VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        return SavedSearch(name, search.query, search.since, search.until, search.sort,
                           search.mentions)

    def get(self, name: str) -> SavedSearch | None:
        """The saved search *name* (any case), None when there is none."""
        found = [s for s in self.all() if s.name.casefold() == " ".join(name.split()).casefold()]
        return found[0] if found else None

    def use(self, name: str) -> SavedSearch:
        """The saved search *name*, marked as just used; BadSavedSearch when unknown."""
        found = self.get(name)
        if found is None:
            raise BadSavedSearch(f"no saved search named {' '.join(name.split())[:60]!r}")
        try:
            with self._lock, transaction(self._db) as db:
                db.execute("UPDATE saved SET used = ? WHERE name = ?", (time.time(), found.name))
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        return found

    def all(self) -> list[SavedSearch]:
        """Every saved search, the most recently used first."""
        try:
            with self._lock:
                rows = self._db.execute(
                    "SELECT name, query, since, until, sort, mentions_from, mentions_to"
                    " FROM saved ORDER BY used DESC, name").fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        out = []
        for name, query, since, until, sort, m_from, m_to in rows:
            mentions = (_date(m_from), _date(m_to)) if m_from and m_to else None
            out.append(SavedSearch(name, query, _date(since), _date(until),
                                   sort if sort in SORTS else "relevance",
                                   mentions))  # type: ignore[arg-type]
        return out

    def rename(self, old: str, new: str) -> str:
        """Give the saved search *old* the name *new*; the new name."""
        name = check_name(new)
        found = self.get(old)
        if found is None:
            raise BadSavedSearch(f"no saved search named {' '.join(old.split())[:60]!r}")
        try:
            with self._lock, transaction(self._db) as db:
                taken = db.execute("SELECT name FROM saved WHERE name = ?", (name,)).fetchone()
                if taken and taken[0].casefold() != found.name.casefold():
                    raise BadSavedSearch(f"a saved search named {taken[0]!r} exists already")
                db.execute("UPDATE saved SET name = ? WHERE name = ?", (name, found.name))
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        return name

    def delete(self, name: str) -> bool:
        """Drop the saved search *name*; whether there was one."""
        try:
            with self._lock, transaction(self._db) as db:
                gone = db.execute("DELETE FROM saved WHERE name = ?",
                                  (" ".join(name.split()),)).rowcount
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        return gone > 0
