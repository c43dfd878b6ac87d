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

import datetime as dt
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from whoosh import query as wquery
from whoosh.collectors import TimeLimit
from whoosh.sorting import FieldFacet

from index.document import StoredEvent
from index.query import QueryError, make_parser, parse, stopword_notice, typing_view
from index.results import (
    Article,
    EventMention,
    Facets,
    Hit,
    IndexMissing,
    SearchResult,
    Snippet,
    Span,
    Timeline,
)
from index.schema import event_term
from index.snippets import analyzed_spans, make_snippets, merge_spans, title_spans
from index.store import index_exists
from index.suggest import suggest_query
from index.timeline import Columns, event_timeline, publication_timeline
from index.whoosh_fixes import pinned_schema_index, terms_in_memory

# QueryError is raised by every method that takes a query string: part of this API.
__all__ = ["Index", "Period", "QueryError", "SORTS"]

Period = tuple[dt.date, dt.date]
SORTS = ("relevance", "date", "oldest")
MAX_SPANS = 5000
#: Seconds one search may take before it answers with what it found (``partial``).
DEFAULT_BUDGET_S = 2.0
#: Up to this many body terms (an expanded prefix or fuzzy word can have thousands),
#: match spans come from the postings; above it the hits' own text is analyzed again.
#: Reading postings costs one matcher per term and segment whatever the hits are:
#: ``Regierung aus`` while typing expanded to 2,174 terms = 7,451 matchers, ~2 s at 10k
#: articles; analysing the 20 shown articles costs a few ms each.
SPANS_FROM_POSTINGS_UP_TO = 64


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


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
            # memory (whoosh_fixes.terms_in_memory): 166 MB, warm-up 1.0 -> 0.5 s, queries as fast.
            # All searcher use is under self._lock (the sub-files share one handle).
            from whoosh.filedb.filestore import FileStorage

            terms_in_memory()
            self._ix = FileStorage(str(self.index_dir), supports_mmap=False).open_index(
                indexclass=pinned_schema_index())
        except Exception as exc:  # noqa: BLE001 - a damaged index is reported, not raised raw
            raise IndexMissing(f"the index in {self.index_dir} cannot be opened: {exc}") from exc
        self._lock = threading.RLock()
        self._searcher: Any = None
        self._stamp: tuple[int, int] | None = None
        self._columns: Columns | None = None
        self._last_docset: tuple[tuple[Any, ...], list[int]] | None = None
        #: Article id -> docnum of this searcher generation, as far as asked (id filters).
        self._docnums: dict[str, int | None] = {}
        self._parser = make_parser(self._ix.schema)

    # -- plumbing ------------------------------------------------------------------------------

    def _current(self) -> tuple[Any, Columns]:
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
            columns = Columns(new.reader())
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
        self, s: Any, cols: Columns, q: Any, since: Any, until: Any,
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
        self, s: Any, cols: Columns, q: Any, since: Any, until: Any, events: Period | None
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
            if not partial:
                # The filter collector passed only docs in [since, until]: the same
                # set _docset computes (the event filter is left to _docset). Counted
                # also without facets: Whoosh's estimated_length() is inexact, and for a
                # fuzzy word it runs a pure-Python edit distance over every term of the
                # merged lexicon (~2 s at 10k articles, against ~0.4 s for this pass).
                docset = (seen if seen is not None and events is None and q is not None
                          else self._docset(s, cols, q, since, until, events, allowed))
            # Cut short by the time budget: what was scored so far, shown as "more may match".
            total = len(docset) if docset is not None else results.scored_length()
            hits = self._hits(s, q, top, snippets)
            fac = self._facets(cols, docset) if facets and docset is not None else None
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

    def _facets(self, cols: Columns, docs: Sequence[int]) -> Facets:
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
                    title_spans=tuple(title_spans(title, lang, terms)),
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

    def _spans(
        self, reader: Any, q: Any, docnums: list[int],
        qterms: set[tuple[str, bytes]] | None = None,
    ) -> dict[int, list[Span]]:
        """Character spans of all matched body terms in each of *docnums*, from the postings."""
        out: dict[int, list[Span]] = {d: [] for d in docnums}
        if not docnums:
            return out
        body = [(f, b) for f, b in (qterms if qterms is not None else _query_terms(reader, q))
                if f.startswith("body_")]
        if len(body) > SPANS_FROM_POSTINGS_UP_TO:
            return {d: spans[:MAX_SPANS]
                    for d, spans in analyzed_spans(reader, docnums, body).items()}
        ordered = sorted(docnums)
        for fieldname, btext in body:
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
            out[d] = merge_spans(out[d])[:MAX_SPANS]
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
        """Did-you-mean (:func:`index.suggest.suggest_query`) with this index's parser
        and the search's date filter."""
        return suggest_query(s, text, lambda t: parse(t, self._ix.schema, self._parser),
                             self._date_filter(since, until))

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
            return publication_timeline(cols, docs, by, max_buckets)

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
            return event_timeline(cols, reader, docs, by, max_buckets)

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
                for record in meta.get("events") or ():
                    ev = StoredEvent.from_stored(record)
                    day = ev.start
                    if day is None or not lo <= day.toordinal() <= hi:
                        continue
                    out.append(EventMention(
                        doc_id=stored.get("doc_id", ""), title=meta.get("title") or "",
                        published=_date(meta.get("date")), start=day, end=ev.end,
                        granularity=ev.granularity, kind=ev.kind, expression=ev.expression,
                        span=ev.span, sentence=ev.sentence, sentence_span=ev.sentence_span,
                        value=ev.value, anchored_on=ev.anchored_on,
                    ))
                if len(out) >= limit:
                    break
        out.sort(key=lambda m: (m.start or dt.date.min, m.doc_id, m.span))
        return out[:limit]


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
    unoptimized = any(isinstance(leaf, wquery.PatternQuery) for leaf in leaves)
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


def _close_quietly(searcher: Any) -> None:
    """Close a searcher whose files may be gone (closing must not fail a quit)."""
    try:
        searcher.close()
    except Exception:  # noqa: BLE001 - already closed, or its folder was deleted
        pass
