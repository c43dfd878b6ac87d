"""Phrase queries that keep every word's position, stop words included.

Whoosh's own ``Phrase`` takes a list of words and requires them at consecutive
positions. The analyzers here put several terms at one position (a compound and
its parts) and skip positions (hyphen parts shift what follows), so a phrase is
given as (offset, term) pairs taken from the analyzer's own positions, the way
Lucene's ``PhraseQuery`` carries position increments: ``"Einschränkung der
Redefreiheit"`` is ``einschrank@0 der@1 redefrei@2``, and a document matches when
all three stand at ``p``, ``p+1`` and ``p+2`` for some ``p``. Stop words are
indexed (``index.analysis.QueryStopFilter``), so ``der`` is checked too and
``Einschränkung und Redefreiheit`` does not match.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from whoosh.matching import IntersectionMatcher, NullMatcher, UnionMatcher
from whoosh.query import And, Term
from whoosh.query.spans import Span, SpanQuery, SpanWrappingMatcher
from whoosh.util import make_binary_tree

#: A phrase being typed expands its last, unfinished word to at most this many terms.
PHRASE_PREFIX_LIMIT = 64
#: ...chosen among at most this many terms (a hostile corpus can hold millions).
PHRASE_PREFIX_SCAN = 20_000


class OffsetPhrase(SpanQuery):
    """All of ``terms`` in *fieldname*, each at its ``offset`` from a common start.

    With ``prefix`` (offset, text), a word starting with *text* must also stand at
    that offset: the last word of a phrase still being typed (``"einstweilige Verf``),
    like Elasticsearch's ``match_phrase_prefix``.
    """

    def __init__(self, fieldname: str, terms: Sequence[tuple[int, str]], boost: float = 1.0,
                 prefix: tuple[int, str] | None = None):
        self.fieldname = fieldname
        self.offsets = tuple(off for off, _ in terms)
        self.words = tuple(word for _, word in terms)
        self.boost = boost
        self.prefix = prefix
        self.qs: list[Any] = [Term(fieldname, w) for w in self.words]
        if prefix is not None:
            from whoosh.query import Prefix

            self.qs.append(Prefix(fieldname, prefix[1]))
        self.q = And(self.qs)

    def __repr__(self) -> str:
        inner = " ".join(f"{w}@{o}" for o, w in zip(self.offsets, self.words, strict=True))
        if self.prefix is not None:
            inner += f" {self.prefix[1]}*@{self.prefix[0]}"
        return f'{self.fieldname}:"{inner}"'

    def __str__(self) -> str:
        return f'{self.fieldname}:"{" ".join(self.words)}"'

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, OffsetPhrase) and self.fieldname == other.fieldname
                and self.offsets == other.offsets and self.words == other.words
                and self.boost == other.boost and self.prefix == other.prefix)

    def __hash__(self) -> int:
        return hash((self.fieldname, self.offsets, self.words, self.boost, self.prefix))

    def is_leaf(self) -> bool:
        return False

    def children(self) -> list[Any]:
        return list(self.qs)

    def field(self) -> str:
        return self.fieldname

    def apply(self, fn: Any) -> OffsetPhrase:
        return self

    def normalize(self) -> Any:
        return self

    def estimate_size(self, ixreader: Any) -> int:
        return int(self.q.estimate_size(ixreader))

    def estimate_min_size(self, ixreader: Any) -> int:
        return int(self.q.estimate_min_size(ixreader))

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        reader = searcher.reader()
        field = searcher.schema[self.fieldname]
        for word in self.words:
            if (self.fieldname, field.to_bytes(word)) not in reader:
                return NullMatcher()
        ms = [q.matcher(searcher, context) for q in self.qs[:len(self.words)]]
        offsets = self.offsets
        if self.prefix is not None:
            found = list(itertools.islice(reader.expand_prefix(self.fieldname, self.prefix[1]),
                                          PHRASE_PREFIX_SCAN))
            if not found:
                return NullMatcher()
            if len(found) > PHRASE_PREFIX_LIMIT:
                found.sort(key=lambda b: -reader.doc_frequency(self.fieldname, b))
                found = found[:PHRASE_PREFIX_LIMIT]
            alts = [Term(self.fieldname, field.from_bytes(b)).matcher(searcher, context)
                    for b in found]
            ms.append(make_binary_tree(UnionMatcher, alts))
            offsets = (*offsets, self.prefix[0])
        m = _OffsetMatcher(ms, offsets)
        if self.boost != 1.0:
            from whoosh.matching import WrappingMatcher

            return WrappingMatcher(m, boost=self.boost)
        return m


class _OffsetMatcher(SpanWrappingMatcher):
    """Keeps a document when some start ``p`` has every term at ``p + offset``."""

    def __init__(self, ms: list[Any], offsets: Sequence[int]) -> None:
        self.ms = ms
        self.offsets = tuple(offsets)
        isect = make_binary_tree(IntersectionMatcher, ms)
        super().__init__(isect)

    def copy(self) -> _OffsetMatcher:
        return self.__class__([m.copy() for m in self.ms], self.offsets)

    def replace(self, minquality: float = 0) -> Any:
        if not self.is_active():
            return NullMatcher()
        return self

    def _get_spans(self) -> list[Span]:
        starts: set[int] | None = None
        for m, off in zip(self.ms, self.offsets, strict=True):
            here = {span.start - off for span in m.spans()}
            starts = here if starts is None else starts & here
            if not starts:
                return []
        width = max(self.offsets)
        return [Span(p, p + width) for p in sorted(starts or ())]
