"""Folding of one lower-case word: German umlauts and their ASCII spellings, accents.

Its own module because both the analyzers (:mod:`index.analysis`) and the compound
splitter (:mod:`index.compounds`) fold words, and the analyzers use the splitter: here
neither imports the other in a circle.
"""

from __future__ import annotations

import unicodedata

_FOLD_CACHE: dict[str, str] = {}


def fold_german(word: str) -> str:
    """:func:`fold_german_uncached`, memoized: a corpus repeats its words, and this runs for
    every token at index and query time."""
    folded = _FOLD_CACHE.get(word)
    if folded is None:
        folded = fold_german_uncached(word)
        if len(_FOLD_CACHE) < 500_000:
            _FOLD_CACHE[word] = folded
    return folded


def fold_german_uncached(word: str) -> str:
    """German normalization of one lower-case word (Lucene's GermanNormalizationFilter).

    ä/ö/ü -> a/o/u, ß -> ss, and the ASCII transcriptions ae/oe/ue -> a/o/u, so the
    umlaut and its transcription meet on the same term. Unlike Lucene, ``ue`` is
    folded after a vowel too (``geuebt`` is ``geübt``; ``Feuer`` becomes ``feur``
    in the index and in queries alike).
    """
    out: list[str] = []
    state = "N"  # N: after consonant/start, U: after a/o, u: after plain u, V: after vowel/q
    for ch in word:
        if ch in "äàáâ":
            out.append("a")
            state = "V"
            continue
        if ch in "öòóô":
            out.append("o")
            state = "V"
            continue
        if ch in "üùúû":
            out.append("u")
            state = "V"
            continue
        if ch == "ß":
            out.append("ss")
            state = "N"
            continue
        if ch in "ao":
            state = "U"
        elif ch == "u":
            # Also after a vowel or q: "geuebt" must meet "geübt". Lucene keeps "ue"
            # there (Feuer, Quelle); folding it too only merges spellings that then
            # meet on both sides (Feuer -> feur at index and query time alike).
            state = "u"
        elif ch == "e":
            if state in ("U", "u"):
                state = "V"
                continue  # drop the e of ae/oe/ue
            state = "V"
        elif ch in "iqy":
            state = "V"
        else:
            state = "N"
        out.append(ch)
    return "".join(out)


def fold_accents(word: str) -> str:
    """Strip combining marks (café -> cafe) for English text."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
