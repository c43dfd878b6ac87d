"""Analyzers: how article text and queries become index terms.

German (the default): lower case, German normalization modelled on Lucene's
``GermanNormalizationFilter`` (ä/ae -> a, ö/oe -> o, ü/ue -> u, ß -> ss) so a
user on an ASCII keyboard finds ``Einschränkung`` with ``Einschraenkung`` or
``Einschrankung``; Austrian month names folded onto the standard ones; stop
words normalized the same way; Snowball German stemming (PyStemmer, the C
implementation of the same algorithm Whoosh ships in Python).

English: lower case, accents folded, English stop words, Snowball English.

Stop words are indexed like every other word and dropped only from plain query
words (:class:`QueryStopFilter`): phrases keep them.

Both split hyphenated compounds: ``AWS-Cloud-Servern`` is indexed whole and
as ``AWS``, ``Cloud``, ``Servern`` at consecutive positions, so the whole word,
each part and phrases of parts all match. German also splits closed
compounds at index time (:mod:`index.compounds`, :class:`GermanWordFilter`):
``Redefreiheit`` is indexed whole and, at the same position and offsets, as
``Rede`` and ``Freiheit``.
Character offsets always point at the original words, whatever the filters did
to the text.

The analyzers are pickled into the index (index/whoosh_notes.md pitfall 6), so every
filter here must be importable and picklable: stemmers live in a
thread-local cache, never in the filter's state.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import Stemmer
from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
)
from whoosh.analysis.acore import Token
from whoosh.lang import stopwords_for_language

from index.calendar_words import MONTH_SYNONYMS
from index.compounds import compound_parts
from index.folding import fold_accents, fold_german, fold_german_uncached

# A word is a run of letters/digits, optionally joined by hyphens into a compound.
WORD_PATTERN = r"\w+(?:[-\u2010\u2011]\w+)*"
_HYPHENS = "-\u2010\u2011"

LANGUAGES = ("de", "en")


class CompoundSplitFilter(Filter):
    """Index a hyphenated compound whole and by its parts.

    ``AWS-Cloud-Servern`` at position p yields the whole word at p and the
    parts at p, p+1, p+2; later tokens shift accordingly so phrase queries over
    parts keep working. Character offsets of each part point into the original.
    """

    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__

    def __hash__(self) -> int:
        return hash(self.__class__)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        shift = 0
        for t in tokens:
            text = t.text
            if "-" not in text and "\u2010" not in text and "\u2011" not in text:
                if shift and t.positions:
                    t.pos += shift
                yield t
                continue
            parts = _split_parts(text)
            if t.positions:
                t.pos += shift
            base_pos = t.pos if t.positions else 0
            base_char = t.startchar if t.chars else 0
            yield t  # the whole compound first
            if len(parts) < 2:
                continue
            for i, (offset, part) in enumerate(parts):
                p = t.copy()
                p.text = part
                p.stopped = False
                if t.positions:
                    p.pos = base_pos + i
                if t.chars:
                    p.startchar = base_char + offset
                    p.endchar = p.startchar + len(part)
                yield p
            shift += len(parts) - 1


def _split_parts(text: str) -> list[tuple[int, str]]:
    """Parts of a hyphenated word with their offsets inside it."""
    parts: list[tuple[int, str]] = []
    start = 0
    for i, ch in enumerate(text + "-"):
        if ch in _HYPHENS:
            if i > start:
                parts.append((start, text[start:i]))
            start = i + 1
    return parts


class GermanNormalizeFilter(Filter):
    """Apply :func:`fold_german` and map Austrian month names onto the standard ones."""

    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__

    def __hash__(self) -> int:
        return hash(self.__class__)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            folded = fold_german(t.text)
            t.text = MONTH_SYNONYMS.get(folded, folded)
            yield t


# Word as written -> its term before stemming, or (term, compound parts) for a
# compound. Bounded (about 50 MB when full); past that, new words are worked out
# each time (a few µs).
_WORD_CACHE: dict[str, str | tuple[str, tuple[str, ...]]] = {}
_WORD_CACHE_LIMIT = 200_000


def _german_word(text: str) -> str | tuple[str, tuple[str, ...]]:
    """A German word as written -> its term before stemming, with its compound
    parts when it has any (the cache entry of :class:`GermanWordFilter`)."""
    folded = fold_german_uncached(text.lower())  # not fold_german: this cache holds it already
    folded = MONTH_SYNONYMS.get(folded, folded)
    if folded == text:
        folded = text  # one string object for key and value
    parts = compound_parts(text, folded)
    if not parts:
        return folded
    return folded, tuple(MONTH_SYNONYMS.get(p, p) for p in parts)


def compound_words(text: str) -> tuple[str, ...]:
    """The parts a German word is indexed by besides itself (lower-cased and
    folded, not stemmed); empty when it is not a closed compound."""
    entry = _german_word(text)
    return () if isinstance(entry, str) else entry[1]


class GermanWordFilter(Filter):
    """Lower case, :class:`GermanNormalizeFilter`'s folding, and closed compounds.

    One pass with one cache lookup per token, keyed by the word as written: the
    three steps are a pure function of it, and a corpus repeats its words. A closed
    compound (:mod:`index.compounds`) is followed by its parts at the same
    position with the same character offsets, so following words keep their
    positions, phrases see the compound and its parts at one place, and a match
    on a part highlights the whole word. Parts go on through stop words and
    stemming like every word, marked ``overlap`` so that they do not lengthen
    the field (scoring, :class:`index.schema.OverlapPositions`). A query
    (``mode="query"``) is not split: the
    user's ``Redefreiheit`` means the whole word, which is indexed too.
    Hyphen parts arrive here already split (``Bundesregierungs-Sprecher``) and
    are split again when they are closed compounds.
    """

    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__

    def __hash__(self) -> int:
        return hash(self.__class__)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        cache = _WORD_CACHE
        for t in tokens:
            t.overlap = False  # the tokenizer reuses one token: reset what a part set
            entry = cache.get(t.text)
            if entry is None:
                entry = _german_word(t.text)
                if len(cache) < _WORD_CACHE_LIMIT:
                    cache[t.text] = entry
            if isinstance(entry, str):
                t.text = entry
                yield t
                continue
            t.text, parts = entry
            if t.mode == "query" or t.stopped:
                yield t
                continue
            # The same token object again for each part, as Whoosh's tokenizers do
            # for every word (a consumer that keeps a token must copy it). Later
            # filters rewrite its text (and may set stopped): restore it each time.
            saved = t.__dict__.copy()
            yield t
            for part in parts:
                t.__dict__.update(saved)
                t.text = part
                t.overlap = True  # not a word of its own: see schema.OverlapPositions
                yield t


class AccentFoldFilter(Filter):
    """Apply :func:`fold_accents` (English)."""

    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__

    def __hash__(self) -> int:
        return hash(self.__class__)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = fold_accents(t.text)
            yield t


_local = threading.local()

_STEMMER_NAMES = {"de": "german", "en": "english"}


def stemmer_for(lang: str) -> Stemmer.Stemmer:
    """A per-thread PyStemmer instance: Stemmer objects are not thread-safe and
    must not be pickled into the index."""
    cache = getattr(_local, "stemmers", None)
    if cache is None:
        cache = _local.stemmers = {}
    st = cache.get(lang)
    if st is None:
        st = cache[lang] = Stemmer.Stemmer(_STEMMER_NAMES[lang], 100_000)
    return st


class _LanguageFilter(Filter):
    """A filter that depends on the language only (equal filters, equal analyzers)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__ and other.lang == self.lang  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.__class__, self.lang))


class SnowballStemFilter(_LanguageFilter):
    """Snowball stemming through PyStemmer (C), cached per thread.

    A hyphenated compound is stemmed as one string, which only touches its
    last part, the same at index and query time.
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stem = stemmer_for(self.lang).stemWord
        for t in tokens:
            if not t.stopped:
                t.text = stem(t.text)
            yield t


def _stopwords(lang: str) -> frozenset[str]:
    words = stopwords_for_language(lang)
    if lang == "de":
        return frozenset(fold_german(w.lower()) for w in words)
    return frozenset(fold_accents(w.lower()) for w in words)


_STOPWORDS: dict[str, frozenset[str]] = {}


def stopwords(lang: str) -> frozenset[str]:
    """The normalized stop words of *lang* (``de`` for unknown languages), cached."""
    lang = lang if lang in LANGUAGES else "de"
    found = _STOPWORDS.get(lang)
    if found is None:
        found = _STOPWORDS[lang] = _stopwords(lang)
    return found


def fold_for(lang: str, word: str) -> str:
    """*word* lower-cased and folded the way *lang*'s analyzer folds it (no stemming)."""
    low = word.lower()
    return fold_accents(low) if lang == "en" else fold_german(low)


def is_stopword(word: str, lang: str) -> bool:
    """Whether *word* (as typed) is a stop word of *lang* after that language's folding."""
    return fold_for(lang, word) in stopwords(lang)


class QueryStopFilter(_LanguageFilter):
    """Stop words are indexed, and dropped only from plain query words.

    Every word of an article is indexed at its own position, stop words included
    (as Elasticsearch's analyzers do by default), so a phrase keeps them:
    ``"Einschränkung der Redefreiheit"`` matches that text and not ``Einschränkung
    und Redefreiheit``. A plain query word that is a stop word of the field's
    language matches nearly every article and says nothing about ranking, so it
    is dropped from that language's part of the query only (``mode="query"`` with
    ``removestops``, which is how Whoosh's parser asks for a word; phrases and
    ranges ask with ``removestops=False``).
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stops = stopwords(self.lang)
        for t in tokens:
            t.stopped = False
            if t.mode == "query" and t.removestops and t.text in stops:
                continue
            yield t


def german_analyzer():  # -> whoosh.analysis.CompositeAnalyzer
    """The analyzer of German body and title fields (see module docstring)."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | CompoundSplitFilter()
        | GermanWordFilter()
        | QueryStopFilter("de")
        | SnowballStemFilter("de")
    )


def english_analyzer():  # -> whoosh.analysis.CompositeAnalyzer
    """The analyzer of English body and title fields."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | CompoundSplitFilter()
        | LowercaseFilter()
        | AccentFoldFilter()
        | QueryStopFilter("en")
        | SnowballStemFilter("en")
    )


def simple_analyzer():  # -> whoosh.analysis.CompositeAnalyzer
    """Lower-cased, folded words without stemming: for short fields like the source."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | GermanNormalizeFilter()


def analyzer_for(lang: str):  # -> whoosh.analysis.CompositeAnalyzer
    """The body/title analyzer of a language; unknown languages get German."""
    return english_analyzer() if lang == "en" else german_analyzer()


def terms(text: str, lang: str = "de") -> list[str]:
    """The index terms of *text* in *lang* (for tests and diagnostics)."""
    return [t.text for t in analyzer_for(lang)(text, mode="query")]
