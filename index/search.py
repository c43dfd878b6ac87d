"""Querying: query string in, frozen dataclasses out.

This is the API the TUI and the command line use. Results carry character
offsets into the article text (never markup): the caller decides how a
match looks. Match offsets come straight from the postings (``chars=True``),
so they point at the original words however the analyzer folded or stemmed
them, and no stored text is re-analyzed for a hit list.

One :class:`Index` may be used from several threads: the Whoosh searcher is
shared under a lock and replaced (never ``refresh()``-ed, index/whoosh_notes.md pitfall 1)
when another process committed to the index.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import query as wquery
from whoosh.collectors import TimeLimit
from whoosh.sorting import FieldFacet

from index.analysis import LANGUAGES, analyzer_for, compound_words, fold_for
from index.query import QueryError, make_parser, parse, stopword_notice, typing_view
from index.results import IndexMissing
from index.schema import body_field, event_term, title_field
from index.store import index_exists
from index.years import MAX_YEAR, MIN_YEAR

__all__ = [
    "Article", "Bucket", "Facets", "Hit", "Index", "IndexMissing", "QueryError",
    "SearchResult", "Snippet", "Timeline", "SORTS", "EventMention", "Period",
]

Span = tuple[int, int]
Period = tuple[dt.date, dt.date]
SORTS = ("relevance", "date", "oldest")
SNIPPET_WIDTH = 160
MAX_SPANS = 5000
#: Seconds one search may take before it answers with what it found (``partial``).
DEFAULT_BUDGET_S = 2.0


@dataclass(frozen=True)
class Snippet:
    """A passage of an article with match spans relative to ``text``.

    ``start``/``end`` locate the passage in the article text; newlines inside
    the passage are replaced by spaces so it fits one line.
    """

    text: str
    spans: tuple[Span, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Hit:
    """One matching article, ready to list."""

    doc_id: str
    path: str
    corpus: str
    title: str
    title_spans: tuple[Span, ...]
    date: dt.date | None
    date_precision: str | None
    date_origin: str | None
    source: str | None
    agency: str | None
    language: str
    score: float
    rank: int
    snippets: tuple[Snippet, ...]
    spans: tuple[Span, ...]

    def to_json(self) -> dict[str, Any]:
        """The ``dossier search --json`` record of this hit."""
        return {
            "id": self.doc_id,
            "path": self.path,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "date_precision": self.date_precision,
            "date_origin": self.date_origin,
            "source": self.source,
            "agency": self.agency,
            "language": self.language,
            "score": round(self.score, 4),
            "snippets": [{"text": s.text, "spans": [list(x) for x in s.spans]}
                         for s in self.snippets],
            "spans": [list(x) for x in self.spans],
        }


@dataclass(frozen=True)
class Facets:
    """Counts over all matches (not just the page shown)."""

    sources: tuple[tuple[str, int], ...]
    languages: tuple[tuple[str, int], ...]
    months: tuple[tuple[str, int], ...]
    undated: int
    agencies: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class SearchResult:
    """A page of hits plus what the status line and facets need."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    elapsed_ms: float
    sort: str
    since: dt.date | None
    until: dt.date | None
    suggestion: str | None
    facets: Facets | None
    #: The word being typed at the end, matched as a prefix too (``complete_last``).
    completing: str | None = None
    #: A one-line hint about how the query was read (only stop words, ...).
    notice: str | None = None
    #: True when the time budget ran out: hits are what was found by then, the
    #: total is an estimate and there are no facets.
    partial: bool = False


@dataclass(frozen=True)
class Bucket:
    """One period of the timeline: hits of the query, and all articles in it."""

    start: dt.date
    end: dt.date
    label: str
    hits: int
    total: int
    # Event timeline only: mentions coarser than the buckets (a year at month
    # granularity) whose period covers this one; shown apart, never as hits.
    coarse_hits: int = 0
    coarse_total: int = 0


@dataclass(frozen=True)
class Timeline:
    """Publication-date histogram of a query's matches."""

    granularity: str
    buckets: tuple[Bucket, ...]
    undated_hits: int
    undated_total: int
    total_hits: int
    # Event timeline: mentions coarser than the buckets, one row per period at its own
    # precision ("2018", "2021-01"); their counts are also spread over the buckets.
    coarse: tuple[Bucket, ...] = ()


@dataclass(frozen=True)
class Article:
    """A whole article with its metadata, for the source viewer and ``dossier show``."""

    doc_id: str
    path: str
    corpus: str
    title: str
    title_origin: str | None
    date: dt.date | None
    date_precision: str | None
    date_time: str | None
    date_origin: str | None
    date_expression: str | None
    date_notes: tuple[str, ...]
    source: str | None
    source_origin: str | None
    agency: str | None
    agency_origin: str | None
    author: str | None
    language: str
    language_origin: str | None
    encoding: str | None
    text: str
    furniture: tuple[Span, ...]

    def to_json(self) -> dict[str, Any]:
        """The ``dossier show --json`` record."""
        return {
            "id": self.doc_id,
            "path": self.path,
            "corpus": self.corpus,
            "title": self.title,
            "title_origin": self.title_origin,
            "date": self.date.isoformat() if self.date else None,
            "date_precision": self.date_precision,
            "date_time": self.date_time,
            "date_origin": self.date_origin,
            "date_expression": self.date_expression,
            "date_notes": list(self.date_notes),
            "source": self.source,
            "source_origin": self.source_origin,
            "agency": self.agency,
            "agency_origin": self.agency_origin,
            "author": self.author,
            "language": self.language,
            "language_origin": self.language_origin,
            "encoding": self.encoding,
            "furniture": [list(s) for s in self.furniture],
            "text": self.text,
        }


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class _Columns:
    """Per-document arrays (day ordinal, source, language) of one searcher
    generation, read once so facets and timelines never touch stored fields."""

    def __init__(self, reader: Any) -> None:
        self.days: list[int] = []
        self.sources: list[str] = []
        self.agencies: list[str] = []
        self.langs: list[str] = []
        for seg, _offset in reader.leaf_readers():
            n = seg.doc_count_all()
            self.days.extend(self._column(seg, "day", n, 0))
            self.sources.extend(self._column(seg, "source_facet", n, ""))
            self.agencies.extend(self._column(seg, "agency_facet", n, ""))
            self.langs.extend(self._column(seg, "lang", n, ""))
        self.live = [d for d in reader.all_doc_ids()]
        self.min_day = min((self.days[d] for d in self.live if self.days[d]), default=0)
        self.max_day = max((self.days[d] for d in self.live if self.days[d]), default=0)
        self._totals: dict[str, Counter[int]] = {}
        self._months: list[int] | None = None
        self._event_days: dict[int, list[int]] | None = None
        self._event_points: dict[int, list[tuple[int, str]]] = {}
        self._event_totals: dict[str, tuple[Counter[int], Counter[_Period]]] = {}

    def months(self) -> list[int]:
        """Per document: the ordinal of its month's first day, 0 when undated (built
        on first use, for the facet counts)."""
        if self._months is None:
            key = _bucket_key("month")
            first_of = {day: key(day) for day in set(self.days) if day}
            first_of[0] = 0
            self._months = list(map(first_of.__getitem__, self.days))
        return self._months

    def event_days(self, reader: Any) -> dict[int, list[int]]:
        """Docnum -> ordinals of the event days it mentions, from the ``event_day``
        postings (read once per searcher, on first use)."""
        if self._event_days is None:
            live = set(self.live)
            by_doc: dict[int, list[int]] = {}
            points: dict[int, list[tuple[int, str]]] = {}
            if "event_day" in reader.schema:
                for term in reader.lexicon("event_day"):
                    word = term.decode("ascii") if isinstance(term, bytes) else term
                    ordinal, letter = int(word[:7]), word[7:8]
                    if letter not in _EVENT_LEVELS:
                        letter = ""
                    if not _EVENT_ORDINALS[0] <= ordinal <= _EVENT_ORDINALS[1]:
                        continue  # an implausible year (an older index): no timeline of it
                    for d in reader.postings("event_day", term).all_ids():
                        if d in live:
                            by_doc.setdefault(d, []).append(ordinal)
                            points.setdefault(d, []).append((ordinal, letter))
            self._event_days = by_doc
            self._event_points = points
        return self._event_days

    def event_points(self, reader: Any) -> dict[int, list[tuple[int, str]]]:
        """Docnum -> (first-day ordinal, precision letter) of each mention (see
        ``_EVENT_LEVELS``)."""
        self.event_days(reader)
        return self._event_points

    def event_totals(
        self, reader: Any, granularity: str
    ) -> tuple[Counter[int], Counter[_Period]]:
        """Event mentions over the whole index: per bucket key those as fine as the
        buckets, and per covered period (first, last ordinal) the coarser ones."""
        if granularity not in self._event_totals:
            self._event_totals[granularity] = _event_counts(
                self.event_points(reader).values(), granularity)
        return self._event_totals[granularity]

    @staticmethod
    def _column(seg: Any, name: str, n: int, default: Any) -> list[Any]:
        if not seg.has_column(name):
            return [default] * n
        cr = seg.column_reader(name)
        values = list(cr)
        return [v if v is not None else default for v in values]

    def totals(self, granularity: str) -> Counter[int]:
        """Articles per bucket key over the whole index (cached per granularity)."""
        if granularity not in self._totals:
            key = _bucket_key(granularity)
            self._totals[granularity] = Counter(
                key(self.days[d]) for d in self.live if self.days[d]
            )
        return self._totals[granularity]


# Precision letters of ``event_day`` terms (schema.EVENT_PRECISION) -> levels, and
# the level of each bucket granularity: a mention counts in a bucket as fine as it.
_EVENT_LEVELS = {"": 0, "w": 1, "m": 2, "s": 3, "y": 3}
_GRANULARITY_LEVEL = {"day": 0, "week": 1, "month": 2, "year": 3}
_EVENT_ORDINALS = (dt.date(MIN_YEAR, 1, 1).toordinal(), dt.date(MAX_YEAR, 12, 31).toordinal())
#: Most buckets a timeline has, whatever the data and ``by`` (a day timeline over
#: centuries would be millions): past this the next coarser granularity is used.
MAX_TIMELINE_BUCKETS = 4000


_Period = tuple[int, int, str]  # first and last day ordinal, precision letter


def _point_period(ordinal: int, letter: str) -> _Period:
    """The period a mention of precision *letter* starting at *ordinal* denotes (a
    part of a month or year, "Ende Jänner", counts as that month or year)."""
    day = dt.date.fromordinal(ordinal)
    if letter == "w":
        return ordinal, ordinal + 6, letter
    if letter == "m":
        return day.replace(day=1).toordinal(), _bucket_end(day, "month").toordinal(), letter
    if letter == "s":
        y, m = divmod(day.year * 12 + day.month - 1 + 3, 12)
        last = dt.date(y, m + 1, 1) - dt.timedelta(days=1) if y <= MAX_YEAR else dt.date(
            MAX_YEAR, 12, 31)
        return ordinal, last.toordinal(), letter
    return day.replace(month=1, day=1).toordinal(), _bucket_end(day, "year").toordinal(), letter


def _period_label(period: _Period) -> str:
    """"2021-W02", "2021-01", "1940-SU", "2018": a coarse mention at its own precision."""
    first, _last, letter = period
    day = dt.date.fromordinal(first)
    if letter == "w":
        return _bucket_label(day, "week")
    if letter == "m":
        return _bucket_label(day, "month")
    if letter == "s":
        return f"{day.year}-{ {3: 'SP', 6: 'SU', 9: 'FA', 12: 'WI'}.get(day.month, 'S')}"
    return str(day.year)


def _event_counts(
    points: Iterable[list[tuple[int, str]]], granularity: str
) -> tuple[Counter[int], Counter[_Period]]:
    """(mentions per bucket key, coarser mentions per period they denote) of *points*."""
    key = _bucket_key(granularity)
    limit = _GRANULARITY_LEVEL[granularity]
    fine: Counter[int] = Counter()
    coarse: Counter[_Period] = Counter()
    for doc_points in points:
        for ordinal, letter in doc_points:
            if _EVENT_LEVELS[letter] <= limit:
                fine[key(ordinal)] += 1
            else:
                coarse[_point_period(ordinal, letter)] += 1
    return fine, coarse


def _coarse_rows(hits: Counter[_Period], totals: Counter[_Period]) -> tuple[Bucket, ...]:
    """The coarser mentions as rows of their own (one per period, in date order)."""
    rows = sorted(totals.items())[:MAX_TIMELINE_BUCKETS]
    return tuple(
        Bucket(start=dt.date.fromordinal(p[0]), end=dt.date.fromordinal(p[1]),
               label=_period_label(p), hits=hits.get(p, 0), total=n)
        for p, n in rows)


def _spread(buckets: list[Bucket], periods: Counter[_Period]) -> list[int]:
    """Per bucket: how many of the *periods* (counted) overlap it (a difference array,
    so a year over 365 day buckets costs two bisections)."""
    starts = [b.start.toordinal() for b in buckets]
    ends = [b.end.toordinal() for b in buckets]
    diff = [0] * (len(buckets) + 1)
    for (first, last, _letter), n in periods.items():
        lo = bisect.bisect_left(ends, first)
        hi = bisect.bisect_right(starts, last)
        if lo < hi:
            diff[lo] += n
            diff[hi] -= n
    out, running = [], 0
    for d in diff[:-1]:
        running += d
        out.append(running)
    return out


def _fit_granularity(by: str, first: int, last: int, max_buckets: int) -> str:
    """*by* (or the finest that fits *max_buckets* for "auto"), made coarser when it
    would need more than ``MAX_TIMELINE_BUCKETS`` buckets."""
    gran = by if by != "auto" else choose_granularity(first, last, max_buckets)
    if first and _bucket_count(first, last, gran) > MAX_TIMELINE_BUCKETS:
        gran = choose_granularity(first, last, MAX_TIMELINE_BUCKETS)
    return gran


def _bucket_count(first: int, last: int, gran: str) -> float:
    return (last - first + 1) / _BUCKET_DAYS[gran]


_BUCKET_DAYS = {"day": 1, "week": 7, "month": 30.4, "year": 365.25}


def _bucket_key(granularity: str):  # -> Callable[[int], int]
    if granularity == "day":
        return lambda o: o
    if granularity == "week":
        return lambda o: o - dt.date.fromordinal(o).weekday()
    if granularity == "month":
        return lambda o: dt.date.fromordinal(o).replace(day=1).toordinal()
    if granularity == "year":
        return lambda o: dt.date.fromordinal(o).replace(month=1, day=1).toordinal()
    raise ValueError(f"unknown granularity {granularity!r}")


def _bucket_end(start: dt.date, granularity: str) -> dt.date:
    if granularity == "day":
        return start
    if granularity == "week":
        return start + dt.timedelta(days=6)
    if granularity == "month":
        nxt = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return nxt - dt.timedelta(days=1)
    return start.replace(month=12, day=31)


def _bucket_label(start: dt.date, granularity: str) -> str:
    if granularity == "day":
        return start.isoformat()
    if granularity == "week":
        y, w, _ = start.isocalendar()
        return f"{y}-W{w:02d}"
    if granularity == "month":
        return start.strftime("%Y-%m")
    return str(start.year)


def _next_bucket(start: dt.date, granularity: str) -> dt.date:
    return _bucket_end(start, granularity) + dt.timedelta(days=1)


def _buckets(
    first: int, last: int, gran: str, counts: Counter[int], totals: Counter[int],
    coarse_hits: Counter[_Period] | None = None,
    coarse_totals: Counter[_Period] | None = None,
) -> tuple[Bucket, ...]:
    """Every bucket from the one holding day ordinal *first* to the one holding *last*,
    empty ones included (a timeline shows gaps), with hits and totals by bucket key,
    and the coarser mentions covering each bucket (at most MAX_TIMELINE_BUCKETS + 1)."""
    if not first:
        return ()
    key = _bucket_key(gran)
    out: list[Bucket] = []
    cur = dt.date.fromordinal(key(first))
    end = dt.date.fromordinal(key(last))
    while cur <= end and len(out) <= MAX_TIMELINE_BUCKETS:
        o = cur.toordinal()
        out.append(Bucket(start=cur, end=_bucket_end(cur, gran), label=_bucket_label(cur, gran),
                          hits=counts.get(o, 0), total=totals.get(o, 0)))
        try:
            cur = _next_bucket(cur, gran)
        except OverflowError:
            break  # 9999-12-31: the calendar ends here
    if coarse_hits or coarse_totals:
        hits = _spread(out, coarse_hits or Counter())
        totals_ = _spread(out, coarse_totals or Counter())
        out = [dataclasses.replace(b, coarse_hits=h, coarse_total=t)
               for b, h, t in zip(out, hits, totals_, strict=True)]
    return tuple(out)


def choose_granularity(first: int, last: int, max_buckets: int) -> str:
    """The finest of day/week/month/year whose bucket count fits *max_buckets*."""
    if not first:
        return "month"
    for gran in ("day", "week", "month"):
        if _bucket_count(first, last, gran) <= max_buckets:
            return gran
    return "year"


def _terms_in_memory() -> None:
    """Without mmap, read each segment's term index (``.trm``, ~12% of a segment)
    into memory once, and only the postings through the file: prefix and fuzzy
    expansion walk the term index with many small reads, which through the file
    were 3x slower than from memory. Installed once, for every Whoosh reader of
    this process (a merge reads segments the same way)."""
    from whoosh.codec import base
    from whoosh.filedb.compound import CompoundStorage
    from whoosh.filedb.structfile import BufferFile

    if getattr(base.CompoundStorage, "dossier_terms_in_memory", False):
        return

    class TermsInMemory(CompoundStorage):  # type: ignore[misc, valid-type]
        dossier_terms_in_memory = True

        def open_file(self, name: str, *args: Any, **kwargs: Any) -> Any:
            if self._source is None and name.endswith(".trm"):
                offset, length = self.range(name)
                self._file.seek(offset)
                return BufferFile(self._file.read(length), name=name)
            return super().open_file(name, *args, **kwargs)

    base.CompoundStorage = TermsInMemory


class Index:
    """An opened index: search, timelines, facets and whole articles."""

    def __init__(self, index_dir: Path | str) -> None:
        self.index_dir = Path(index_dir)
        if not index_exists(self.index_dir):
            raise IndexMissing(f"no index in {self.index_dir}")
        try:
            # Not memory-mapped: whoosh-reloaded's compound segments copy every mapped
            # file they open into a BytesIO (``BufferFile``), so opening a searcher at
            # 100k articles allocated 700 MB and touched 670 MB of the mapping (TUI peak
            # RSS 3.4 GB). Postings are read through the file, term indexes are kept in
            # memory (_terms_in_memory): 166 MB, warm-up 1.0 -> 0.5 s, queries as fast.
            # All searcher use is under self._lock (the sub-files share one handle).
            from whoosh.filedb.filestore import FileStorage

            _terms_in_memory()
            self._ix = FileStorage(str(self.index_dir), supports_mmap=False).open_index(
                indexclass=_pinned_schema_index())
        except Exception as exc:  # noqa: BLE001 - a damaged index is reported, not raised raw
            raise IndexMissing(f"the index in {self.index_dir} cannot be opened: {exc}") from exc
        self._lock = threading.RLock()
        self._searcher: Any = None
        self._stamp: tuple[int, int] | None = None
        self._columns: _Columns | None = None
        self._last_docset: tuple[tuple[Any, ...], list[int]] | None = None
        #: Article id -> docnum of this searcher generation, as far as asked (id filters).
        self._docnums: dict[str, int | None] = {}
        self._parser = make_parser(self._ix.schema)

    # -- plumbing ------------------------------------------------------------------------------

    def _current(self) -> tuple[Any, _Columns]:
        """The shared searcher, replaced when the index changed on disk.

        The old searcher is closed only once the new one is open: while the index
        folder is missing (deleted, or between the two renames of a rebuild's swap)
        or cannot be opened, answers keep coming from the open searcher, whose
        files stay readable after they are deleted. Only with no searcher at all is
        the error raised (as :class:`IndexMissing`, one line)."""
        s = self._searcher
        if s is not None:
            try:
                if s.up_to_date() and self._toc_stamp(s) == self._stamp:
                    assert self._columns is not None
                    return s, self._columns
            except Exception:  # noqa: BLE001 - folder gone or mid-swap: keep the old one
                assert self._columns is not None
                return s, self._columns
        try:
            new = self._ix.searcher()
            columns = _Columns(new.reader())
            stamp = self._toc_stamp(new)
        except Exception as exc:  # noqa: BLE001 - a half-written or vanished index
            if s is not None:
                assert self._columns is not None
                return s, self._columns
            raise IndexMissing(f"the index in {self.index_dir} cannot be opened: {exc}") from exc
        self._searcher, self._columns, self._last_docset = new, columns, None
        self._docnums = {}
        self._stamp = stamp
        if s is not None:
            _close_quietly(s)
        return new, columns

    def _toc_stamp(self, searcher: Any) -> tuple[int, int]:
        """Inode and mtime of the table of contents *searcher* was opened at.

        Whoosh tells a new commit by its generation number alone; a folder deleted
        and built again starts at generation 1 like the one that was open, so the
        stale searcher looked up to date. The file of that generation is a new one
        then. Raises OSError while the folder is missing."""
        gen = searcher.reader().generation()
        if gen is None:  # an index without segments: its reader knows no generation
            gen = self._ix.latest_generation()
        st = os.stat(self.index_dir / f"_{self._ix.indexname}_{gen}.toc")
        return st.st_ino, st.st_mtime_ns

    def warm_up(self) -> int:
        """Open the searcher and read the columns now (call off the UI thread)."""
        with self._lock:
            s, cols = self._current()
            cols.months()
            return s.doc_count()

    def close(self) -> None:
        """Release the searcher and the index files."""
        with self._lock:
            if self._searcher is not None:
                _close_quietly(self._searcher)
                self._searcher = None
            self._ix.close()

    def doc_count(self) -> int:
        """Articles in the index."""
        with self._lock:
            s, _ = self._current()
            return s.doc_count()

    def parse(self, text: str) -> Any:
        """Parse *text* (raises :class:`QueryError`); None for an empty query."""
        with self._lock:
            return parse(text, self._ix.schema, self._parser)

    @staticmethod
    def _date_filter(
        since: dt.date | None, until: dt.date | None, events: Period | None = None
    ) -> Any:
        parts = []
        if since is not None or until is not None:
            lo = since.toordinal() if since else 1
            hi = until.toordinal() if until else 9_999_999
            parts.append(wquery.NumericRange("day", lo, hi))
        if events is not None:
            # "~" sorts after the precision letters: the last day's month/year terms too.
            parts.append(wquery.TermRange("event_day", event_term(events[0]),
                                          event_term(events[1]) + "~"))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else wquery.And(parts)

    def _docset(
        self, s: Any, cols: _Columns, q: Any, since: Any, until: Any,
        events: Period | None = None, allowed: set[int] | None = None,
    ) -> list[int]:
        """All live docnums matching *q* and the filters. The last answer is kept per
        searcher generation: the TUI asks for the same set twice per keystroke (facets
        with the search, then the timeline)."""
        key = (id(s), repr(q), since, until, events,
               None if allowed is None else frozenset(allowed))
        if self._last_docset is not None and self._last_docset[0] == key:
            return self._last_docset[1]
        result = self._compute_docset(s, cols, q, since, until, events)
        if allowed is not None:
            result = [d for d in result if d in allowed]
        self._last_docset = (key, result)
        return result

    def _docnum_map(self, s: Any, ids: Collection[str]) -> dict[str, int]:
        """Docnums of the article ids *ids* that are in the index. Remembered per
        searcher generation: one lookup is ~30 µs, and the marks ask for the same
        few hundred ids on every keystroke."""
        known = self._docnums
        out: dict[str, int] = {}
        for i in ids:
            d = known.get(i, -1)
            if d == -1:
                d = known[i] = s.document_number(doc_id=i)
            if d is not None:
                out[i] = d
        return out

    def _allowed(self, s: Any, ids: Collection[str] | None) -> set[int] | None:
        """The docnums of the article ids *ids* (bookmarks, a tag); None: no such
        filter. Ids no longer in the index are left out."""
        if ids is None:
            return None
        return set(self._docnum_map(s, ids).values())

    def _with_allowed(self, s: Any, flt: Any, allowed: set[int] | None) -> Any:
        """The search filter narrowed to *allowed* (Whoosh takes a query or a set)."""
        if allowed is None:
            return flt
        narrowed = set(allowed) if flt is None else allowed.intersection(s.docs_for_query(flt))
        # Whoosh reads an empty filter set as "no filter": a tag nobody has would then
        # select every article. No document has the number -1.
        return narrowed or {-1}

    def _compute_docset(
        self, s: Any, cols: _Columns, q: Any, since: Any, until: Any, events: Period | None
    ) -> list[int]:
        if q is None:
            docs: Iterable[int] = cols.live
        else:
            docs = s.docs_for_query(q)
        if events is not None:
            lo, hi = events[0].toordinal(), events[1].toordinal()
            by_doc = cols.event_days(s.reader())
            docs = [d for d in docs if any(lo <= o <= hi for o in by_doc.get(d, ()))]
        if since is None and until is None:
            return list(docs)
        lo = since.toordinal() if since else 1
        hi = until.toordinal() if until else 9_999_999
        days = cols.days
        return [d for d in docs if lo <= days[d] <= hi]

    # -- search --------------------------------------------------------------------------------

    def search(
        self,
        text: str,
        *,
        limit: int = 20,
        since: dt.date | None = None,
        until: dt.date | None = None,
        sort: str = "relevance",
        snippets: int | None = None,
        facets: bool = True,
        events: Period | None = None,
        suggest: bool = True,
        complete_last: bool = False,
        budget_s: float = DEFAULT_BUDGET_S,
        cancelled: Callable[[], bool] | None = None,
        ids: Collection[str] | None = None,
    ) -> SearchResult:
        """Ranked matches of *text*. ``snippets`` limits how many of the hits get
        snippets and spans (the rows on screen); None means all of them.
        An empty query lists every article (newest first when sorted by date).
        ``events`` keeps only articles mentioning an event in that period.
        ``suggest=False`` leaves did-you-mean out (a UI can ask :meth:`suggest`
        after painting the empty result: half-typed words often match nothing).
        ``complete_last`` also matches the word being typed at the end as a prefix
        (search as you type). The search stops after ``budget_s`` seconds, or when
        ``cancelled()`` turns true, with what it found marked ``partial``.
        ``ids`` keeps only those articles (what ``tag:`` and ``is:bookmarked`` select)."""
        if sort not in SORTS:
            raise QueryError(f"unknown sort '{sort}' (use {', '.join(SORTS)})")
        t0 = time.perf_counter()
        with self._lock:
            q = parse(text, self._ix.schema, self._parser, complete_last=complete_last)
            completing = typing_view(text)[1] if complete_last else None
            s, cols = self._current()
            allowed = self._allowed(s, ids)
            flt = self._with_allowed(s, self._date_filter(since, until, events), allowed)
            if sort == "relevance" or q is None:
                sortedby = None if q is not None else FieldFacet("day", reverse=True)
                reverse = False
            else:
                sortedby, reverse = FieldFacet("day", reverse=(sort == "date")), False
            run_q = q if q is not None else wquery.Every()
            results, seen, partial = _run_search(
                s, run_q, deadline=t0 + budget_s, cancelled=cancelled,
                limit=max(1, limit), filter=flt, sortedby=sortedby, reverse=reverse,
            )
            top = [(r.docnum, r.score if r.score is not None else 0.0) for r in results]
            top = top[:limit]
            docset: list[int] | None = None
            if facets and not partial:
                # The filter collector passed only docs in [since, until]: the same
                # set _docset computes (the event filter is left to _docset).
                docset = (seen if seen is not None and events is None and q is not None
                          else self._docset(s, cols, q, since, until, events, allowed))
            total = len(docset) if docset is not None else results.estimated_length()
            hits = self._hits(s, q, top, snippets)
            fac = self._facets(cols, docset) if docset is not None else None
            suggestion = None
            if total == 0 and q is not None and suggest and not partial:
                suggestion = self._suggest(s, text, since, until)
            notice = stopword_notice(text)
        elapsed = (time.perf_counter() - t0) * 1000
        return SearchResult(
            query=text, total=total, hits=tuple(hits), elapsed_ms=elapsed, sort=sort,
            since=since, until=until, suggestion=suggestion, facets=fac,
            completing=completing[1] if completing else None, notice=notice,
            partial=partial,
        )

    def matching_ids(
        self, text: str, among: Collection[str], *, since: dt.date | None = None,
        until: dt.date | None = None, events: Period | None = None,
        ids: Collection[str] | None = None, complete_last: bool = False,
    ) -> frozenset[str]:
        """Which of the articles *among* match *text* with the filters (``ids`` as in
        :meth:`search`). For counting marked articles among the results: no hits are
        built, and right after :meth:`search` with the same arguments the matching
        set is the one that search already computed."""
        with self._lock:
            q = parse(text, self._ix.schema, self._parser, complete_last=complete_last)
            s, cols = self._current()
            by_num = {d: i for i, d in self._docnum_map(s, among).items()}
            docs = self._docset(s, cols, q, since, until, events, self._allowed(s, ids))
            return frozenset(by_num[d] for d in docs if d in by_num)

    def _facets(self, cols: _Columns, docs: Sequence[int]) -> Facets:
        # Counted in C (Counter over map) from per-document columns: a Python loop
        # over the 25k matches of a common word at 100k articles took ~40 ms. The
        # counters see the documents in the same order, so ties rank as before.
        sources: Counter[str] = Counter(map(cols.sources.__getitem__, docs))
        sources.pop("", None)
        agencies: Counter[str] = Counter(map(cols.agencies.__getitem__, docs))
        agencies.pop("", None)
        langs: Counter[str] = Counter()
        for lang, n in Counter(map(cols.langs.__getitem__, docs)).items():
            langs[lang or "?"] += n
        months: Counter[int] = Counter(map(cols.months().__getitem__, docs))
        undated = months.pop(0, 0)
        return Facets(
            sources=tuple(sources.most_common()),
            agencies=tuple(agencies.most_common()),
            languages=tuple(langs.most_common()),
            months=tuple(
                (dt.date.fromordinal(k).strftime("%Y-%m"), v) for k, v in sorted(months.items())
            ),
            undated=undated,
        )

    def _hits(
        self, s: Any, q: Any, top: list[tuple[int, float]], snippets: int | None
    ) -> list[Hit]:
        reader = s.reader()
        want = top if snippets is None else top[:snippets]
        qterms = _query_terms(reader, q) if q is not None else set()  # expanded once
        spans_by_doc = (self._spans(reader, q, [d for d, _ in want], qterms)
                        if q is not None else {})
        terms = {(f, b.decode("utf-8")) for f, b in qterms}
        hits = []
        for rank, (docnum, score) in enumerate(top):
            stored = reader.stored_fields(docnum)
            meta = stored.get("meta") or {}
            text = stored.get("text") or ""
            lang = meta.get("language") or "de"
            spans = tuple(spans_by_doc.get(docnum, ()))
            snips: tuple[Snippet, ...] = ()
            if rank < len(want):
                snips = tuple(make_snippets(text, spans, meta.get("furniture") or (),
                                            title=meta.get("title") or ""))
            title = meta.get("title") or ""
            hits.append(
                Hit(
                    doc_id=stored.get("doc_id", ""),
                    path=meta.get("path", ""),
                    corpus=meta.get("corpus", ""),
                    title=title,
                    title_spans=tuple(_title_spans(title, lang, terms)),
                    date=_date(meta.get("date")),
                    date_precision=meta.get("date_precision"),
                    date_origin=meta.get("date_origin"),
                    source=meta.get("source"),
                    agency=meta.get("agency"),
                    language=lang,
                    score=float(score),
                    rank=rank + 1,
                    snippets=snips,
                    spans=spans,
                )
            )
        return hits

    @staticmethod
    def _terms(reader: Any, q: Any) -> set[tuple[str, str]]:
        return {(f, b.decode("utf-8")) for f, b in _query_terms(reader, q)}

    def _spans(
        self, reader: Any, q: Any, docnums: list[int],
        qterms: set[tuple[str, bytes]] | None = None,
    ) -> dict[int, list[Span]]:
        """Character spans of all matched body terms in each of *docnums*, from the postings."""
        out: dict[int, list[Span]] = {d: [] for d in docnums}
        if not docnums:
            return out
        ordered = sorted(docnums)
        for fieldname, btext in qterms if qterms is not None else _query_terms(reader, q):
            if not fieldname.startswith("body_"):
                continue
            try:
                m = reader.postings(fieldname, btext)
            except Exception:  # noqa: BLE001 - a term can vanish between expand and read
                continue
            if not m.supports("characters"):
                continue
            for d in ordered:
                if not m.is_active():
                    break
                if m.id() < d:
                    m.skip_to(d)
                    if not m.is_active():
                        break
                if m.id() == d:
                    out[d].extend((sc, ec) for _pos, sc, ec in m.value_as("characters"))
        for d in out:
            out[d] = _merge_spans(out[d])[:MAX_SPANS]
        return out

    def suggest(
        self, text: str, since: dt.date | None = None, until: dt.date | None = None
    ) -> str | None:
        """Did-you-mean for *text*: a corrected query that finds something, or None."""
        with self._lock:
            try:
                if parse(text, self._ix.schema, self._parser) is None:
                    return None
            except QueryError:
                return None
            s, _ = self._current()
            return self._suggest(s, text, since, until)

    def _suggest(
        self, s: Any, text: str, since: dt.date | None, until: dt.date | None
    ) -> str | None:
        """Did-you-mean: replace each plain word that matches nothing by the closest
        indexed word, and offer the result only if it finds something.

        The dictionary is the body fields' own (stemmed) terms, so no extra field
        is indexed; a corrected stem is shown as a word an article really uses.
        """
        reader = s.reader()
        changed = False

        def fix(m: re.Match[str]) -> str:
            nonlocal changed
            word = m.group(0)
            if word in _OPERATORS:
                return word
            better = self._closest_word(s, reader, word)
            if better is None:
                return word
            changed = True
            return better

        candidate = _PLAIN_WORD.sub(fix, text)
        if not changed or candidate == text:
            return None
        try:
            q = parse(candidate, self._ix.schema, self._parser)
        except QueryError:
            return None
        if q is None:
            return None
        flt = self._date_filter(since, until)
        if s.search(q, limit=1, filter=flt).scored_length() == 0:
            return None
        return candidate

    @staticmethod
    def _closest_word(s: Any, reader: Any, word: str) -> str | None:
        for lang in LANGUAGES:
            field = body_field(lang)
            stems = [t.text for t in _analyzer(lang)(word, mode="query")]
            if len(stems) != 1 or len(stems[0]) < 3:
                return None
            stem = stems[0]
            if reader.frequency(field, stem) > 0:
                return None  # the word exists: not a typo
            found = _suggest_stem(reader, field, stem)
            if not found:
                continue
            surface = _surface_form(reader, field, found[0])
            if surface:
                return surface
        return None

    # -- articles ------------------------------------------------------------------------------

    def _docnum(self, s: Any, doc_id: str) -> int | None:
        return s.document_number(doc_id=doc_id)

    def article(self, doc_id: str) -> Article:
        """The whole article *doc_id*; KeyError when there is none."""
        with self._lock:
            s, _ = self._current()
            docnum = self._docnum(s, doc_id)
            if docnum is None:
                raise KeyError(doc_id)
            stored = s.reader().stored_fields(docnum)
        meta = stored.get("meta") or {}
        return Article(
            doc_id=doc_id,
            path=meta.get("path", ""),
            corpus=meta.get("corpus", ""),
            title=meta.get("title") or "",
            title_origin=meta.get("title_origin"),
            date=_date(meta.get("date")),
            date_precision=meta.get("date_precision"),
            date_time=meta.get("date_time"),
            date_origin=meta.get("date_origin"),
            date_expression=meta.get("date_expression"),
            date_notes=tuple(meta.get("date_notes") or ()),
            source=meta.get("source"),
            source_origin=meta.get("source_origin"),
            agency=meta.get("agency"),
            agency_origin=meta.get("agency_origin"),
            author=meta.get("author"),
            language=meta.get("language") or "de",
            language_origin=meta.get("language_origin"),
            encoding=meta.get("encoding"),
            text=stored.get("text") or "",
            furniture=tuple(tuple(x) for x in meta.get("furniture") or ()),  # type: ignore[misc]
        )

    def match_spans(
        self, doc_id: str, text: str, *, complete_last: bool = False
    ) -> tuple[Span, ...]:
        """Every match of query *text* in article *doc_id* (offsets into its text)."""
        with self._lock:
            q = parse(text, self._ix.schema, self._parser, complete_last=complete_last)
            if q is None:
                return ()
            s, _ = self._current()
            docnum = self._docnum(s, doc_id)
            if docnum is None:
                raise KeyError(doc_id)
            return tuple(self._spans(s.reader(), q, [docnum])[docnum])

    def ids(self) -> list[str]:
        """All article ids (for tests and tooling)."""
        with self._lock:
            s, cols = self._current()
            reader = s.reader()
            return [reader.stored_fields(d)["doc_id"] for d in cols.live]

    # -- timeline ------------------------------------------------------------------------------

    def timeline(
        self,
        text: str = "",
        *,
        by: str = "auto",
        since: dt.date | None = None,
        until: dt.date | None = None,
        max_buckets: int = 60,
        complete_last: bool = False,
        ids: Collection[str] | None = None,
    ) -> Timeline:
        """Histogram of matches by publication date, over the whole dated range of
        the corpus (so bars keep their place while the query changes), with all
        articles per bucket for comparison and undated matches counted apart."""
        with self._lock:
            q = parse(text, self._ix.schema, self._parser, complete_last=complete_last)
            s, cols = self._current()
            docs = self._docset(s, cols, q, since, until, allowed=self._allowed(s, ids))
            gran = _fit_granularity(by, cols.min_day, cols.max_day, max_buckets)
            key = _bucket_key(gran)
            counts: Counter[int] = Counter()
            undated = 0
            for d in docs:
                day = cols.days[d]
                if day:
                    counts[key(day)] += 1
                else:
                    undated += 1
            totals = cols.totals(gran)
            undated_total = sum(1 for d in cols.live if not cols.days[d])
            buckets = _buckets(cols.min_day, cols.max_day, gran, counts, totals)
        return Timeline(
            granularity=gran, buckets=buckets, undated_hits=undated,
            undated_total=undated_total, total_hits=len(docs),
        )

    def event_timeline(
        self,
        text: str = "",
        *,
        by: str = "auto",
        since: dt.date | None = None,
        until: dt.date | None = None,
        max_buckets: int = 60,
        complete_last: bool = False,
        ids: Collection[str] | None = None,
    ) -> Timeline:
        """Histogram of the event dates the matching articles mention (one count per
        article and day), against all mentions in the corpus per bucket. ``undated_*``
        count matching articles that mention no placeable date."""
        with self._lock:
            q = parse(text, self._ix.schema, self._parser, complete_last=complete_last)
            s, cols = self._current()
            reader = s.reader()
            docs = self._docset(s, cols, q, since, until, allowed=self._allowed(s, ids))
            by_doc = cols.event_days(reader)
            points = cols.event_points(reader)
            all_days = [o for days in by_doc.values() for o in days]
            first, last = (min(all_days), max(all_days)) if all_days else (0, 0)
            gran = _fit_granularity(by, first, last, max_buckets)
            without = sum(1 for d in docs if not by_doc.get(d))
            counts, coarse = _event_counts((points[d] for d in docs if d in points), gran)
            totals, coarse_totals = cols.event_totals(reader, gran)
            buckets = _buckets(first, last, gran, counts, totals, coarse, coarse_totals)
            return Timeline(
                granularity=gran, buckets=buckets, undated_hits=without,
                undated_total=len(cols.live) - len(by_doc), total_hits=len(docs),
                coarse=_coarse_rows(coarse, coarse_totals),
            )

    def events(
        self,
        text: str = "",
        *,
        start: dt.date | None = None,
        end: dt.date | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int = 500,
        complete_last: bool = False,
        ids: Collection[str] | None = None,
    ) -> list[EventMention]:
        """Event mentions of the matching articles whose date lies in [start, end]
        (all when not given), in date order, at most *limit*."""
        lo = start.toordinal() if start else 1
        hi = end.toordinal() if end else 9_999_999
        with self._lock:
            q = parse(text, self._ix.schema, self._parser, complete_last=complete_last)
            s, cols = self._current()
            reader = s.reader()
            by_doc = cols.event_days(reader)
            docs = [d for d in self._docset(s, cols, q, since, until,
                                            allowed=self._allowed(s, ids))
                    if any(lo <= o <= hi for o in by_doc.get(d, ()))]
            docs.sort(key=lambda d: min(o for o in by_doc[d] if lo <= o <= hi))
            out: list[EventMention] = []
            for d in docs:
                stored = reader.stored_fields(d)
                meta = stored.get("meta") or {}
                for ev in meta.get("events") or ():
                    if not ev[0]:
                        continue
                    day = dt.date.fromisoformat(ev[0])
                    if not lo <= day.toordinal() <= hi:
                        continue
                    out.append(EventMention(
                        doc_id=stored.get("doc_id", ""), title=meta.get("title") or "",
                        published=_date(meta.get("date")), start=day, end=_date(ev[1]),
                        granularity=ev[2], kind=ev[3], expression=ev[4], span=(ev[5], ev[6]),
                        sentence=ev[7], sentence_span=(ev[8], ev[9]), value=ev[10],
                        anchored_on=ev[11] if len(ev) > 11 else None,
                    ))
                if len(out) >= limit:
                    break
        out.sort(key=lambda m: (m.start or dt.date.min, m.doc_id, m.span))
        return out[:limit]


#: Prefix/wildcard top-N searches run without block-quality optimizations (_run_search).
UNOPTIMIZED_TOP_N = True


def _run_search(
    s: Any, q: Any, *, deadline: float, cancelled: Callable[[], bool] | None = None,
    **kwargs: Any,
) -> tuple[Any, list[int] | None, bool]:
    """``s.search(q, **kwargs)``; when it visited every match, their docnums; and
    whether the budget ran out (the results are then what was found by then).

    Prefix and wildcard queries run without Whoosh's block-quality optimizations:
    their matcher is an Or of hundreds of terms (times title and body of each
    language), and the top-N collector's ``replace()`` and ``max_quality()`` calls
    over that tree cost more than scoring every match (``schwä*`` at 10k articles:
    340 -> 60 ms; ``fuchs*`` at 100k: 630 -> 240 ms; same top hits). Since every
    match is then visited anyway, its docnum is recorded, and the facets need no
    second pass (``docs_for_query``) over the postings. Other queries keep the
    optimizations: at 100k articles scoring all 25k matches of a common word cost
    twice as much; for fuzzy and multi-word queries the measurements were mixed.
    """
    from whoosh.collectors import TopCollector

    leaves = [q] if q.is_leaf() else q.leaves()
    unoptimized = UNOPTIMIZED_TOP_N and any(
        isinstance(leaf, wquery.PatternQuery) for leaf in leaves)
    c = s.collector(optimize=not unoptimized, **kwargs)
    inner = c
    while getattr(inner, "child", None) is not None:
        inner = inner.child
    seen: list[int] | None = None
    if unoptimized and isinstance(inner, TopCollector):
        inner.replace = 0
        seen = []
        collect, add = inner._collect, seen.append

        def _collect(global_docnum: int, score: float) -> Any:
            add(global_docnum)
            return collect(global_docnum, score)

        inner._collect = _collect
    _stop_at(inner, deadline, cancelled)
    try:
        s.search_with_collector(q, c)
    except TimeLimit:
        return c.results(), None, True
    return c.results(), seen, False


def _stop_at(collector: Any, deadline: float, cancelled: Callable[[], bool] | None) -> None:
    """Make *collector* raise ``TimeLimit`` at *deadline* or once ``cancelled()``.

    Checked in the innermost collector's ``collect`` (every 256 matches), below
    the filter collectors that decide what reaches it. Whoosh's own
    ``TimeLimitCollector`` arms a timer thread per search (or SIGALRM, main thread
    only) and, wrapped around a filter collector, would bypass the filter.
    """
    collect = collector.collect
    clock = time.perf_counter
    count = 0

    def _collect(sub_docnum: int) -> Any:
        nonlocal count
        count += 1
        if count & 255 == 0 and (clock() > deadline
                                 or (cancelled is not None and cancelled())):
            raise TimeLimit
        return collect(sub_docnum)

    collector.collect = _collect


def _query_terms(reader: Any, q: Any) -> set[tuple[str, bytes]]:
    """Index terms (field, bytes) a query matches, prefixes and fuzzy terms expanded.

    Whoosh 2.7.5's ``Query.existing_terms`` shadows its ``fieldname`` argument
    in its loop and drops the terms of every leaf after the first, so this
    walks the leaves itself.
    """
    out: set[tuple[str, bytes]] = set()
    schema = reader.schema
    leaves = [q] if q.is_leaf() else list(q.leaves())
    # Expanding leaves (prefix, fuzzy, ...) are expanded segment by segment: a
    # segment reader finds fuzzy terms with a DFA and prefixes without merging the
    # lexicons, while the multi-segment reader brute-forces Levenshtein over every
    # term (~1 s for one fuzzy word at 1k articles).
    segments = [r for r, _ in reader.leaf_readers()] or [reader]
    for leaf in leaves:
        if isinstance(leaf, wquery.Not):
            continue
        expanding = isinstance(leaf, wquery.MultiTerm)
        for sub in segments if expanding else [reader]:
            for fieldname, text in leaf.expanded_terms(sub, phrases=True):
                if fieldname not in schema:
                    continue
                try:
                    btext = text if isinstance(text, bytes) else schema[fieldname].to_bytes(text)
                except ValueError:
                    continue
                if (fieldname, btext) in sub:
                    out.add((fieldname, btext))
    return out


@dataclass(frozen=True)
class EventMention:
    """A date an article mentions (an event), placed against its publication date."""

    doc_id: str
    title: str
    published: dt.date | None
    start: dt.date | None
    end: dt.date | None
    granularity: str
    kind: str
    expression: str
    span: Span
    sentence: str
    sentence_span: Span
    value: str | None
    # What a year-less or relative expression was read against: "publication date",
    # or the expression before it ("1. September 1939"); None: it states its year.
    anchored_on: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``dossier timeline --events --json`` record: ``date``..``end`` is the
        period the mention denotes, at its own ``granularity``."""
        return {
            "date": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "granularity": self.granularity,
            "anchored_on": self.anchored_on,
            "kind": self.kind,
            "value": self.value,
            "expression": self.expression,
            "sentence": self.sentence,
            "id": self.doc_id,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "span": list(self.span),
            "sentence_span": list(self.sentence_span),
        }


_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})
def _suggest_stem(reader: Any, field: str, stem: str, maxdist: int = 2) -> list[str]:
    """``reader.corrector(field).suggest(stem, limit=1, maxdist=2, prefix=1)``, same
    ranking (Whoosh's ``ReaderCorrector``: highest frequency, ties to the larger
    word), but with the candidates found segment by segment: a segment reader walks
    its lexicon with a Levenshtein DFA, the multi-segment reader computes the distance
    to every term with the same first letter (~250 ms for a typo at 10k articles,
    paid on every keystroke that gives no hits)."""
    cands: set[str] = set()
    for seg, _offset in reader.leaf_readers():
        if next(iter(seg.expand_prefix(field, stem[:1])), None) is None:
            continue  # no term with that first letter here (e.g. English in a German corpus)
        cands.update(seg.terms_within(field, stem, maxdist, prefix=1))
    if not cands:
        return []
    freq = reader.frequency
    best = max((0 - (maxdist + (1.0 / (freq(field, w) or 1) * 0.5)), w) for w in cands)
    return [best[1]]


_PLAIN_WORD = re.compile(r"(?<![\w:*~\"])[^\W\d_]{3,}(?![\w:*~])")


def _surface_form(reader: Any, field: str, stem: str) -> str | None:
    """A word as an article writes it whose stem is *stem* (from the postings' offsets)."""
    try:
        m = reader.postings(field, stem.encode("utf-8"))
    except Exception:  # noqa: BLE001 - the term may be gone
        return None
    if not m.is_active():
        return None
    # The spelling the articles use most (a German noun capitalized, an English word
    # in lower case), from the first few articles: not the query's lower case.
    seen: Counter[str] = Counter()
    for _ in range(5):
        text = reader.stored_fields(m.id()).get("text") or ""
        for _pos, start, end in (m.value_as("characters") or ())[:10]:
            word = text[start:end]
            if word:
                seen[_part_spelling(word, stem, field)] += 1
        m.next()
        if not m.is_active():
            break
    return seen.most_common(1)[0][0] if seen else None


def _part_spelling(word: str, stem: str, field: str) -> str:
    """*word*, or the part of it whose stem is *stem*: a compound part's offsets are
    the whole compound's (``Beschlus`` must suggest ``Beschluss``, not
    ``Gerichtsbeschluss``). The part is cut from the word as written, so it keeps
    its umlauts, and capitalized like the word (German nouns)."""
    if not field.endswith("_de"):
        return word
    for part in compound_words(word):
        if [t.text for t in _analyzer("de")(part, mode="query")] != [stem]:
            continue
        for i in range(len(word)):
            for j in range(len(word), i, -1):
                if fold_for("de", word[i:j]) == part:
                    piece = word[i:j]
                    return piece[:1].upper() + piece[1:] if word[:1].isupper() else piece
        return part
    return word


def _merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sorted spans with nested/overlapping ones merged (a compound and its parts)."""
    out: list[Span] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
            continue
        out.append((s, e))
    return out


_ANALYZERS: dict[str, Any] = {}


def _analyzer(lang: str) -> Any:
    """:func:`analyzer_for`, built once per language: building one normalizes the
    stop list, ~0.7 ms, which ``_title_spans`` paid for each of the 20 hits."""
    a = _ANALYZERS.get(lang)
    if a is None:
        a = _ANALYZERS[lang] = analyzer_for(lang)
    return a


def _title_spans(title: str, lang: str, terms: set[tuple[str, str]]) -> list[Span]:
    """Match spans in a title: re-analyzing a short title is cheaper than storing chars."""
    if not title or not terms:
        return []
    tfield, bfield = title_field(lang), body_field(lang)
    wanted = {t for f, t in terms if f in (tfield, bfield)}
    if not wanted:
        return []
    spans = [
        (tok.startchar, tok.endchar)
        for tok in _analyzer(lang)(title, chars=True, mode="index")
        if tok.text in wanted
    ]
    return _merge_spans(spans)


def _in_any(pos: int, ranges: Sequence[Sequence[int]]) -> bool:
    return any(r[0] <= pos < r[1] for r in ranges)


def make_snippets(
    text: str,
    spans: Sequence[Span],
    furniture: Sequence[Sequence[int]] = (),
    *,
    count: int = 2,
    width: int = SNIPPET_WIDTH,
    title: str = "",
) -> list[Snippet]:
    """The best passages: windows of about *width* characters holding the most
    distinct matched words, cut at word boundaries. Without spans, the lead
    (first text that is not furniture). When the text starts with the *title*
    (a headline line, or a lead sentence the title was made from), no snippet
    repeats it: a list already shows the title (with its matches), the snippet
    adds what follows."""
    if not text:
        return []
    head = _title_end(text, title)
    usable = [sp for sp in spans if not _in_any(sp[0], furniture) and sp[0] >= head]
    if not usable:
        start = head
        while start < len(text) and (text[start].isspace() or _in_any(start, furniture)):
            start += 1
        if start >= len(text):
            return []
        end = min(len(text), start + width)
        brk = text.find("\n\n", start, end)
        end = brk if brk >= 0 else end
        for fs, _fe in furniture:
            if start < fs < end:
                end = fs
        return [_cut(text, start, end, ())]
    chosen: list[tuple[int, int]] = []
    remaining = list(usable)
    while remaining and len(chosen) < count:
        best, best_score = None, (-1, -1)
        for i, (s, _e) in enumerate(remaining[:400]):
            # A match longer than the snippet (a 300-letter "word") is a window of its own.
            window = [sp for sp in remaining[i:] if sp[1] <= s + width] or [remaining[i]]
            distinct = len({text[a:b].lower() for a, b in window})
            score = (distinct, len(window))
            if score > best_score:
                best, best_score = (s, window[-1][1]), score
        assert best is not None
        chosen.append(best)
        remaining = [sp for sp in remaining if not (best[0] - width < sp[0] < best[1] + width)]
    out = []
    for s, e in sorted(chosen):
        pad = max(0, (width - (e - s)) // 3)
        a = max(0, s - pad)
        b = min(len(text), max(e, a + width))
        a, b = _clip(text, a, b, s, e, furniture)
        out.append(_cut(text, a, b, [sp for sp in usable if a <= sp[0] and sp[1] <= b]))
    return out


#: After the title: sentence punctuation and a space, or the end of the line.
_AFTER_TITLE = re.compile(r"[.!?…:]+(?:\s|$)|[ \t]*(?:\n|$)")


def _title_end(text: str, title: str) -> int:
    """Where the *title* ends when the text starts with it (0 otherwise): a headline
    line, or the lead's first sentence (perhaps after a place dateline such as
    "Washington –", perhaps hard-wrapped), up to its closing punctuation."""
    words = title.split()
    if not words:
        return 0
    found = re.compile(r"\s+".join(map(re.escape, words))).search(text, 0, 80 + 2 * len(title))
    if found is None or found.start() > 80:
        return 0
    after = _AFTER_TITLE.match(text, found.end())
    return after.end() if after else 0


def _clip(
    text: str, a: int, b: int, s: int, e: int, furniture: Sequence[Sequence[int]]
) -> tuple[int, int]:
    """Shrink the window [a, b) around the matches [s, e) so it stops at paragraph
    breaks and page furniture: a snippet shows one passage of the article proper."""
    brk = text.rfind("\n\n", a, s)
    if brk >= 0:
        a = brk + 2
    brk = text.find("\n\n", e, b)
    if brk >= 0:
        b = brk
    for fs, fe in furniture:
        if e <= fs < b:
            b = fs
        if a < fe <= s:
            a = fe
    return a, b


def _cut(text: str, a: int, b: int, spans: Sequence[Span]) -> Snippet:
    """Cut text[a:b] inward to word boundaries, one line, spans relative to the cut."""
    b = min(len(text), b)
    first = spans[0][0] if spans else b
    last = spans[-1][1] if spans else a
    if a > 0 and not text[a - 1].isspace():
        sp = text.find(" ", a, first)
        if sp >= 0:
            a = sp + 1
    if b < len(text) and not text[b].isspace():
        sp = text.rfind(" ", last, b)
        if sp >= 0:
            b = sp
    while a < first and text[a].isspace():
        a += 1
    while b > last and text[b - 1].isspace():
        b -= 1
    piece = text[a:b].replace("\n", " ").replace("\t", " ")
    rel = tuple((s - a, e - a) for s, e in spans)
    return Snippet(text=piece, spans=rel, start=a, end=b)


@functools.cache
def _pinned_schema_index() -> Any:
    """Whoosh's ``FileIndex`` whose ``schema`` is read once, not from the table of
    contents on disk at every use (every query parsed): while the index folder is
    deleted or being swapped, queries keep being parsed and answered from the open
    searcher instead of failing with ``EmptyIndexError``."""
    from whoosh.index import FileIndex

    class PinnedSchemaIndex(FileIndex):  # type: ignore[misc, valid-type]
        _pinned: Any = None

        @property
        def schema(self) -> Any:
            if self._pinned is None:
                self._pinned = self._current_schema()
            return self._pinned

    return PinnedSchemaIndex


def _close_quietly(searcher: Any) -> None:
    """Close a searcher whose files may be gone (closing must not fail a quit)."""
    try:
        searcher.close()
    except Exception:  # noqa: BLE001 - already closed, or its folder was deleted
        pass


def open_index(index_dir: Path | str) -> Index:
    """Open the index in *index_dir*; raises :class:`IndexMissing`."""
    return Index(index_dir)
