"""Timelines: articles by publication date, and the event dates they mention, in
day/week/month/year buckets; and the per-document columns (day, source, language)
that timelines and facets count from.

Everything here counts from :class:`Columns`, read once per searcher generation, so
no timeline touches stored fields.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import Any

from index.results import Bucket, Timeline
from index.years import MAX_YEAR, MIN_YEAR


def raw_column(reader: Any, n: int) -> list[Any] | None:
    """The stored (untranslated) values of a Whoosh 2.7.5 column, read in one block.

    Whoosh reads a column value by value (a file ``get`` and a decode each): at 10k
    articles the four facet columns took ~30% of a cold ``dossier search``. A
    variable-length column (our ID facets) stores the values end to end and a numeric one
    (``day``) an array of big-endian numbers: one read each. None for any other reader,
    which the caller then reads the slow way."""
    from whoosh.columns import NumericColumn, VarBytesColumn

    if (isinstance(reader, NumericColumn.Reader) and not reader._reverse
            and array(reader._typecode).itemsize == reader._fixedlen):  # C sizes vary
        count = min(reader._count, n)
        values = array(reader._typecode,
                       reader._dbfile.get(reader._basepos, count * reader._fixedlen))
        if reader._fixedlen > 1 and sys.byteorder == "little":
            values.byteswap()
        default = reader._unpack(reader._defaultbytes)[0]
        return [*values, *([default] * (n - count))]
    if isinstance(reader, VarBytesColumn.Reader):  # ID fields: the values end to end
        lengths = reader._lengths
        blob = reader._dbfile.get(reader._basepos, sum(lengths)) if len(lengths) else b""
        ends = list(accumulate(lengths))
        return [blob[end - length:end] for end, length in zip(ends, lengths, strict=True)]
    return None


class Columns:
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
        raw = raw_column(seg.column_reader(name, translate=False), n)
        if raw is None:  # a column kind the bulk path does not know: value by value
            values = list(seg.column_reader(name))
            return [v if v is not None else default for v in values]
        field = seg.schema[name]
        translated = {v: field.from_column_value(v) for v in set(raw)}
        out = list(map(translated.__getitem__, raw))
        return [v if v is not None else default for v in out] if None in translated.values() \
            else out

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


def publication_timeline(cols: Columns, docs: Sequence[int], by: str,
                         max_buckets: int) -> Timeline:
    """Histogram of *docs* by publication date, over the whole dated range of the
    index, with all articles per bucket and undated articles counted apart."""
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


def event_timeline(cols: Columns, reader: Any, docs: Sequence[int], by: str,
                   max_buckets: int) -> Timeline:
    """Histogram of the event dates *docs* mention, against all mentions in the index
    per bucket; mentions coarser than the buckets as rows of their own."""
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
