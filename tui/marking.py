"""The TUI's bookmarks and tags: one keeper per session, off with a reason.

No Textual here: the main screen calls these from its worker threads. The keeper
opens the marks database once the index is open (never in read-only mode), and a
database that is damaged, locked too long or unwritable turns the feature off for
the rest of the session with one line saying why; the file is left as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt

    from index.marks import Mark, Marks
    from index.search import Index


@dataclass(frozen=True)
class MarkFacet:
    """Bookmarked and tagged articles among the current matches."""

    bookmarked: int
    tags: tuple[tuple[str, int], ...]


class MarkKeeper:
    """Bookmarks and tags for one TUI session."""

    def __init__(self) -> None:
        self._marks: Marks | None = None
        self._lock = threading.Lock()
        #: Why marks are off (one line), or None while they work.
        self.off: str | None = "still opening"
        self._by_id: dict[str, Mark] = {}
        #: Where to create the database on the first mark (none is made before).
        self._pending: tuple[Sequence[Path], Path] | None = None

    def message(self) -> str:
        """Why marks are off, as one line for the user."""
        off = self.off or ""
        return off if " off: " in off else f"bookmarks and tags are off: {off}"

    @property
    def usable(self) -> bool:
        """Can marks be read and changed now?"""
        return self.off is None

    def _writable(self) -> Marks | None:
        """The database, created on the first mark; None (and ``off`` set) if that fails."""
        from index.marks import MarksUnavailable, open_marks

        if self._marks is None and self._pending is not None and self.off is None:
            try:
                self._marks = open_marks(*self._pending)
            except MarksUnavailable as exc:
                self.off = str(exc)
            self._pending = None
        return self._marks

    def open(self, corpora: Sequence[Path], index_dir: Path,
             read_only: bool) -> str | None:
        """Open the marks of *corpora* (call in a thread); a one-line message when
        they are off because of the database, None when they work or are read-only
        (then nothing is opened: SQLite would write its journal files)."""
        from index.marks import MarksUnavailable, marks_path, open_marks

        if read_only:
            self.off = "read-only"
            return None
        if not marks_path(corpora).exists():
            self._pending, self.off = (corpora, index_dir), None
            return None
        try:
            marks = open_marks(corpora, index_dir)
            by_id = marks.by_id()
        except MarksUnavailable as exc:
            self.off = str(exc)
            return self.off
        with self._lock:
            self._marks, self._by_id, self.off = marks, by_id, None
        return None

    def close(self) -> None:
        """Release the database."""
        with self._lock:
            if self._marks is not None:
                self._marks.close()
                self._marks = None

    def _failed(self, exc: Exception) -> str:
        """A database error mid-session: off from now on, the file as it was."""
        self.off = str(exc)
        self.close()
        return self.off

    def by_id(self) -> Mapping[str, Mark]:
        """Article id -> its marks, as of the last change (for the results rows)."""
        return self._by_id

    def resolve(self, text: str) -> tuple[str, frozenset[str] | None]:
        """The query without ``tag:``/``is:bookmarked`` and the ids they allow;
        :class:`~index.query.QueryError` when malformed or marks are off."""
        from index.marks import resolve
        from index.query import split_marks

        if self._marks is None and self.off is None:  # nothing marked yet
            rest, flt = split_marks(text)
            return (rest, frozenset()) if flt else (text, None)
        return resolve(text, self._marks, self.off or "")

    def toggle_bookmark(self, ix: Index, index_dir: Path, doc_id: str) -> tuple[str, bool]:
        """Flip the bookmark of *doc_id*: the message for the user and whether it worked."""
        from index.marks import MarksUnavailable, article_key

        marks = self._writable()
        if marks is None:
            return self.message(), False
        try:
            key = article_key(ix, index_dir, doc_id)
            on = marks.toggle_bookmark(doc_id, **key)
            self._by_id = marks.by_id()
        except KeyError:
            return "the article is no longer in the index", False
        except MarksUnavailable as exc:
            return self._failed(exc), False
        return ("bookmarked" if on else "bookmark removed") + f": {key['title']}", True

    def set_tags(self, ix: Index, index_dir: Path, doc_id: str,
                 tags: Sequence[str]) -> tuple[str, bool]:
        """Make *tags* the tags of *doc_id*: the message and whether it worked."""
        from index.marks import MarksUnavailable, article_key
        from index.query import QueryError

        marks = self._writable()
        if marks is None:
            return self.message(), False
        try:
            key = article_key(ix, index_dir, doc_id)
            stored = marks.set_tags(doc_id, tags, **key)
            self._by_id = marks.by_id()
        except KeyError:
            return "the article is no longer in the index", False
        except QueryError as exc:
            return exc.message, False
        except MarksUnavailable as exc:
            return self._failed(exc), False
        shown = " ".join(f"#{t}" for t in stored) if stored else "no tags"
        return f"{shown}: {key['title']}", True

    def facet(self, ix: Index, text: str, ids: frozenset[str] | None,
              since: dt.date | None, until: dt.date | None,
              events: tuple[dt.date, dt.date] | None,
              complete_last: bool = False) -> MarkFacet | None:
        """How many of the matches of *text* (within *ids*) are bookmarked or carry
        each tag. Counted from the matching set the search just computed (no hits
        built), so it costs what the number of marks costs."""
        from index.marks import MarksUnavailable

        store = self._marks
        if store is None:
            return None
        try:  # another dossier process may have marked something meanwhile
            marks = self._by_id = store.by_id()
        except MarksUnavailable as exc:
            self._failed(exc)
            return None
        if not marks:
            return None
        matching = ix.matching_ids(text, marks.keys(), since=since, until=until,
                                   events=events, ids=ids, complete_last=complete_last)
        bookmarked = 0
        counts: dict[str, int] = {}
        for doc_id in matching:
            mark = marks[doc_id]
            bookmarked += mark.bookmarked
            for tag in mark.tags:
                counts[tag] = counts.get(tag, 0) + 1
        return MarkFacet(bookmarked, tuple(sorted(counts.items(),
                                                  key=lambda kv: (-kv[1], kv[0]))))

    def tags_of(self, doc_id: str) -> tuple[str, ...]:
        """The tags of *doc_id* (as of the last change)."""
        mark = self._by_id.get(doc_id)
        return mark.tags if mark else ()
