"""What a search answers: frozen result types, plain data with character offsets into
the article text (never markup), so any front end shows them its own way.

A module of its own so that the TUI's widgets and the exporters can name these types
without the search machinery, and so that :mod:`index.store` can raise
:class:`IndexMissing` without importing :mod:`index.search`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


class IndexMissing(Exception):
    """There is no usable index in the folder (not built yet, or another schema)."""


Span = tuple[int, int]


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
