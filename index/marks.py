"""Bookmarks and tags: the user's marks on articles, in SQLite under the user data folder.

One database per corpus (see :mod:`index.userdata`), never in the corpus or the index,
so marks survive rebuilds, schema changes and a read-only shared index. A mark is
keyed by the article id (its corpus folder and path) *and* the content hash of the
file when it was marked: after a file is moved or renamed its id changes, and
:meth:`Marks.reattach` moves the mark to the one indexed file with the same content.
A mark whose article is gone is kept (the file may come back).

Two dossier processes may use the same database at once (a TUI and a script): WAL
mode lets readers run beside a writer, every write is one short ``BEGIN IMMEDIATE``
transaction, and a busy database is waited for (``timeout``) before giving up. Any
SQLite problem (a damaged file, a lock held too long, a full disk) becomes
:class:`MarksUnavailable` with a one-line message; the file is left as it was for
inspection, and the caller turns the feature off for the session.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from index.query import MarkFilter, QueryError, check_tag, split_marks
from index.userdata import (
    UserDataUnavailable,
    connect,
    corpus_data_dir,
    one_line_error,
    transaction,
)

if TYPE_CHECKING:
    from index.search import Index

FILENAME = "marks.sqlite3"
WHAT = "bookmarks and tags are"
SCHEMA_VERSION = 1
#: Seconds a write waits for another process's transaction before giving up.
BUSY_TIMEOUT = 5.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    doc_id TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    path TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    bookmarked INTEGER NOT NULL DEFAULT 0,
    changed TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_hash ON articles (hash);
CREATE TABLE IF NOT EXISTS tags (
    doc_id TEXT NOT NULL REFERENCES articles (doc_id) ON UPDATE CASCADE ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (doc_id, tag)
);
CREATE INDEX IF NOT EXISTS tags_tag ON tags (tag);
"""


class MarksUnavailable(UserDataUnavailable):
    """The marks database can't be used (damaged, locked, unwritable): one line."""


@dataclass(frozen=True)
class Mark:
    """What the user marked on one article."""

    doc_id: str
    path: str
    title: str
    bookmarked: bool
    tags: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """The ``dossier marks --json`` record."""
        return {"id": self.doc_id, "path": self.path, "title": self.title,
                "bookmarked": self.bookmarked, "tags": list(self.tags)}


def marks_path(corpora: Sequence[Path]) -> Path:
    """The marks database of this set of corpus folders."""
    return corpus_data_dir(corpora) / FILENAME


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class Marks:
    """An open marks database. Thread-safe (one connection under a lock)."""

    def __init__(self, path: Path, *, timeout: float | None = None) -> None:
        self.path = Path(path)
        timeout = BUSY_TIMEOUT if timeout is None else timeout
        self._lock = threading.Lock()
        self._db = connect(self.path, _SCHEMA, SCHEMA_VERSION, timeout=timeout,
                           what=WHAT, error=MarksUnavailable)

    @classmethod
    def for_corpora(cls, corpora: Sequence[Path]) -> Marks:
        """The marks of this set of corpus folders (created on first use)."""
        return cls(marks_path(corpora))

    def _unavailable(self, exc: BaseException) -> MarksUnavailable:
        return MarksUnavailable(one_line_error(WHAT, self.path, exc))

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short transaction; a database error becomes :class:`MarksUnavailable`."""
        try:
            with transaction(self._db) as db:
                yield db
        except sqlite3.Error as exc:
            raise self._unavailable(exc) from None

    def _read(self, sql: str, args: Sequence[object] = ()) -> list[tuple]:
        try:
            with self._lock:
                return self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise self._unavailable(exc) from None

    def close(self) -> None:
        """Close the connection (SQLite folds the WAL back when the last one closes)."""
        with self._lock:
            self._db.close()

    # -- changing marks ------------------------------------------------------------------------

    def _ensure(self, db: sqlite3.Connection, doc_id: str, content_hash: str, path: str,
                title: str) -> None:
        db.execute(
            "INSERT INTO articles (doc_id, hash, path, title, changed) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (doc_id) DO UPDATE SET hash = coalesce(nullif(excluded.hash, ''), hash),"
            " path = coalesce(nullif(excluded.path, ''), path),"
            " title = coalesce(nullif(excluded.title, ''), title), changed = excluded.changed",
            (doc_id, content_hash, path, title, _now()))

    @staticmethod
    def _prune(db: sqlite3.Connection, doc_id: str) -> None:
        """An article with neither bookmark nor tag has no row."""
        db.execute("DELETE FROM articles WHERE doc_id = ? AND bookmarked = 0 AND NOT EXISTS"
                   " (SELECT 1 FROM tags WHERE tags.doc_id = articles.doc_id)", (doc_id,))

    def set_bookmark(self, doc_id: str, on: bool, *, content_hash: str = "", path: str = "",
                     title: str = "") -> None:
        """Bookmark *doc_id* (or take the bookmark away)."""
        with self._lock, self._write() as db:
            if on:
                self._ensure(db, doc_id, content_hash, path, title)
            db.execute("UPDATE articles SET bookmarked = ?, changed = ? WHERE doc_id = ?",
                       (int(on), _now(), doc_id))
            self._prune(db, doc_id)

    def toggle_bookmark(self, doc_id: str, *, content_hash: str = "", path: str = "",
                        title: str = "") -> bool:
        """Flip the bookmark of *doc_id* (read and written in one transaction, so two
        processes toggling at once end where two toggles should); whether it is on now."""
        with self._lock, self._write() as db:
            row = db.execute("SELECT bookmarked FROM articles WHERE doc_id = ?",
                             (doc_id,)).fetchone()
            on = not (row is not None and row[0])
            if on:
                self._ensure(db, doc_id, content_hash, path, title)
            db.execute("UPDATE articles SET bookmarked = ?, changed = ? WHERE doc_id = ?",
                       (int(on), _now(), doc_id))
            self._prune(db, doc_id)
        return on

    @staticmethod
    def _clean(tags: Iterable[str]) -> list[str]:
        out: list[str] = []
        for t in tags:
            tag = check_tag(t.strip())
            if tag not in out:
                out.append(tag)
        return out

    def _tags_of(self, db: sqlite3.Connection, doc_id: str) -> tuple[str, ...]:
        return tuple(r[0] for r in db.execute(
            "SELECT tag FROM tags WHERE doc_id = ? ORDER BY tag", (doc_id,)))

    def set_tags(self, doc_id: str, tags: Iterable[str], *, content_hash: str = "",
                 path: str = "", title: str = "") -> tuple[str, ...]:
        """Make *tags* the tags of *doc_id* (validated, case-folded); the stored set.
        Raises :class:`~index.query.QueryError` for a tag that is not one word."""
        clean = self._clean(tags)
        with self._lock, self._write() as db:
            if clean:
                self._ensure(db, doc_id, content_hash, path, title)
            db.execute("DELETE FROM tags WHERE doc_id = ?", (doc_id,))
            db.executemany("INSERT INTO tags (doc_id, tag) VALUES (?, ?)",
                           [(doc_id, t) for t in clean])
            self._prune(db, doc_id)
            return self._tags_of(db, doc_id)

    def add_tags(self, doc_id: str, tags: Iterable[str], *, content_hash: str = "",
                 path: str = "", title: str = "") -> tuple[str, ...]:
        """Add *tags* to those *doc_id* has (one transaction); its tags now."""
        clean = self._clean(tags)
        with self._lock, self._write() as db:
            if clean:
                self._ensure(db, doc_id, content_hash, path, title)
            db.executemany("INSERT OR IGNORE INTO tags (doc_id, tag) VALUES (?, ?)",
                           [(doc_id, t) for t in clean])
            return self._tags_of(db, doc_id)

    def remove_tags(self, doc_id: str, tags: Iterable[str]) -> tuple[str, ...]:
        """Take *tags* off *doc_id* (one transaction); its tags now."""
        clean = self._clean(tags)
        with self._lock, self._write() as db:
            db.executemany("DELETE FROM tags WHERE doc_id = ? AND tag = ?",
                           [(doc_id, t) for t in clean])
            self._prune(db, doc_id)
            return self._tags_of(db, doc_id)

    # -- reading marks -------------------------------------------------------------------------

    def get(self, doc_id: str) -> Mark | None:
        """The marks of *doc_id*, None when it has none."""
        found = self.marks([doc_id])
        return found[0] if found else None

    def marks(self, ids: Collection[str] | None = None) -> list[Mark]:
        """Every mark (or those of *ids*), bookmarked first, then by when they changed."""
        rows = self._read("SELECT doc_id, path, title, bookmarked FROM articles"
                          " ORDER BY bookmarked DESC, changed DESC, doc_id")
        tags: dict[str, list[str]] = {}
        for doc_id, tag in self._read("SELECT doc_id, tag FROM tags ORDER BY tag"):
            tags.setdefault(doc_id, []).append(tag)
        wanted = None if ids is None else set(ids)
        return [Mark(d, p, t, bool(b), tuple(tags.get(d, ())))
                for d, p, t, b in rows if wanted is None or d in wanted]

    def by_id(self) -> dict[str, Mark]:
        """Article id -> its marks (what the results list shows beside a hit)."""
        return {m.doc_id: m for m in self.marks()}

    def ids(self, flt: MarkFilter) -> frozenset[str]:
        """The articles that have everything *flt* asks for."""
        found: set[str] | None = None
        if flt.bookmarked:
            found = {r[0] for r in self._read("SELECT doc_id FROM articles WHERE bookmarked")}
        for tag in flt.tags:
            have = {r[0] for r in self._read("SELECT doc_id FROM tags WHERE tag = ?", (tag,))}
            found = have if found is None else found & have
        return frozenset(found or ())

    def tag_counts(self, ids: Collection[str] | None = None) -> list[tuple[str, int]]:
        """Tags with how many articles (of *ids*, when given) carry them, most first."""
        counts: dict[str, int] = {}
        wanted = None if ids is None else set(ids)
        for doc_id, tag in self._read("SELECT doc_id, tag FROM tags"):
            if wanted is None or doc_id in wanted:
                counts[tag] = counts.get(tag, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    # -- moved files ---------------------------------------------------------------------------

    def reattach(self, indexed: Mapping[str, str]) -> int:
        """Move the marks of articles no longer indexed to the indexed article with the
        same content hash (*indexed*: id -> hash, from the index manifest), when exactly
        one unmarked article has it. The number of marks moved."""
        rows = self._read("SELECT doc_id, hash FROM articles")
        marked = {d for d, _h in rows}
        orphans = [(d, h) for d, h in rows if d not in indexed and h]
        if not orphans:
            return 0
        by_hash: dict[str, list[str]] = {}
        for doc_id, h in indexed.items():
            if doc_id not in marked:
                by_hash.setdefault(h, []).append(doc_id)
        moved = 0
        with self._lock, self._write() as db:
            for old, h in orphans:
                candidates = by_hash.get(h, [])
                if len(candidates) != 1:
                    continue  # gone, or copies: which one is ambiguous
                new = candidates.pop()
                db.execute("UPDATE articles SET doc_id = ?, changed = ? WHERE doc_id = ?",
                           (new, _now(), old))
                moved += 1
        return moved


def resolve(text: str, marks: Marks | None,
            off_reason: str = "") -> tuple[str, frozenset[str] | None]:
    """*text* without its ``tag:``/``is:bookmarked`` filters, and the article ids they
    allow (None: no such filter). Raises :class:`~index.query.QueryError` for a
    malformed filter, and when *marks* is None (*off_reason*: why, a short reason
    such as ``read-only`` or the one line of the database error)."""
    rest, flt = split_marks(text)
    if not flt:
        return text, None
    if marks is None:
        if " off: " in off_reason:  # already a whole sentence (a database error)
            raise QueryError(off_reason)
        why = f": {off_reason}" if off_reason else ""
        raise QueryError(f"tag: and is:bookmarked are off{why}")
    try:
        return rest, marks.ids(flt)
    except MarksUnavailable as exc:
        raise QueryError(str(exc)) from None


# --- marks next to an index -------------------------------------------------------------------

_HASHES: dict[Path, tuple[tuple[int, int], dict[str, str]]] = {}
_HASHES_LOCK = threading.Lock()


def indexed(index_dir: Path) -> Mapping[str, str]:
    """Article id -> content hash of what the index in *index_dir* holds, re-read
    only when its manifest changed (100k files: ~0.3 s to read)."""
    from index.store import MANIFEST, indexed_hashes

    index_dir = Path(index_dir)
    try:
        st = (index_dir / MANIFEST).stat()
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        return {}
    with _HASHES_LOCK:
        cached = _HASHES.get(index_dir)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    hashes = indexed_hashes(index_dir)
    with _HASHES_LOCK:
        _HASHES[index_dir] = (stamp, hashes)
    return hashes


def open_marks(corpora: Sequence[Path], index_dir: Path) -> Marks:
    """The marks of *corpora*, with marks of moved files reattached to the index's
    articles. Raises :class:`MarksUnavailable`."""
    marks = Marks.for_corpora(corpora)
    try:
        marks.reattach(indexed(index_dir))
    except MarksUnavailable:
        marks.close()
        raise
    return marks


def article_key(ix: Index, index_dir: Path, doc_id: str) -> dict[str, str]:
    """What a new mark on *doc_id* is keyed and listed by: ``content_hash``, ``path``
    and ``title`` (keyword arguments of the ``Marks`` setters). KeyError when the
    index has no such article."""
    art = ix.article(doc_id)
    path = f"{art.corpus}/{art.path}" if art.corpus else art.path
    return {"content_hash": indexed(index_dir).get(doc_id, ""), "path": path,
            "title": art.title}
