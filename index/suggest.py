"""Did-you-mean: a corrected query for one that matches nothing.

Works on the index's own (stemmed) body terms, segment by segment, and shows a
correction as a word the articles really write.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from index.analysis import LANGUAGES, compound_words, fold_for
from index.query import QueryError
from index.schema import body_field
from index.snippets import cached_analyzer

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
        if [t.text for t in cached_analyzer("de")(part, mode="query")] != [stem]:
            continue
        for i in range(len(word)):
            for j in range(len(word), i, -1):
                if fold_for("de", word[i:j]) == part:
                    piece = word[i:j]
                    return piece[:1].upper() + piece[1:] if word[:1].isupper() else piece
        return part
    return word


def suggest_query(
    s: Any, text: str, parse_query: Callable[[str], Any], date_filter: Any
) -> str | None:
    """Did-you-mean: replace each plain word that matches nothing by the closest
    indexed word, and offer the result only if it finds something.

    The dictionary is the body fields' own (stemmed) terms, so no extra field
    is indexed; a corrected stem is shown as a word an article really uses.
    *parse_query* parses a query string as the search does (raises
    :class:`QueryError`); *date_filter* is the search's filter (or None).
    """
    reader = s.reader()
    changed = False

    def fix(m: re.Match[str]) -> str:
        nonlocal changed
        word = m.group(0)
        if word in _OPERATORS:
            return word
        better = closest_word(reader, word)
        if better is None:
            return word
        changed = True
        return better

    candidate = _PLAIN_WORD.sub(fix, text)
    if not changed or candidate == text:
        return None
    try:
        q = parse_query(candidate)
    except QueryError:
        return None
    if q is None:
        return None
    if s.search(q, limit=1, filter=date_filter).scored_length() == 0:
        return None
    return candidate


def closest_word(reader: Any, word: str) -> str | None:
    """The indexed word closest to *word* as an article writes it; None when *word*
    is itself indexed (not a typo), is no single stem, or nothing is close."""
    for lang in LANGUAGES:
        field = body_field(lang)
        stems = [t.text for t in cached_analyzer(lang)(word, mode="query")]
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
