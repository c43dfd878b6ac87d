"""Closed German compounds: ``Redefreiheit`` is also indexed as ``Rede`` and ``Freiheit``.

German writes most compounds as one word, and a reader searching ``Wahl``
expects the articles that only say ``Landtagswahl``. At index time a compound
is split into known words, and the parts are indexed at the compound's own
position (the way Lucene's ``DictionaryCompoundWordTokenFilter`` does), so:

- ``Freiheit`` finds ``Redefreiheit``; ``Redefreiheit`` still finds only the
  whole word (queries are never split);
- a phrase sees the compound and its parts at one position, so
  ``"die Redefreiheit"`` matches and the words after it do not move;
- every part carries the whole word's character offsets: a match on a part
  highlights the word as it is written.

The splitter is deliberately conservative (a wrong split makes a search find
an unrelated article, a missed one only loses a hit):

- a split is made only when known words cover the word completely, joined by
  the linking elements of German word formation (``s``, ``es``, ``n``, ``en``,
  ``er``, ``e``, ``ns``, ``ens``); the last part (the head) may carry an
  inflection ending (``Landtagswahlen``, ``Bundeskanzlerin``);
- a word the list knows whole is not split (``Landtag``, ``Haushalt``,
  ``Freitag``): lexicalised compounds are listed so that ``Tag`` does not
  find them, and the list decides how deep a split goes: ``Landtagswahl`` is
  ``Landtag`` + ``Wahl``, not ``Land`` + ``Tag`` + ``Wahl``;
- a verb particle or prefix is never the first part (``Einschränkung``,
  ``Verfügung``, ``Verhalten``, ``Abstimmung`` stay whole), derivational
  suffixes are never parts (``-ung``, ``-heit``, ``-keit``, ``-schaft``...),
  and a part has at least :data:`MIN_PART` letters;
- only capitalized words are split: German capitalizes nouns, and splitting
  verbs, adjectives and participles goes wrong (``kochtest``, ``landende``);
  a head that is also a verb ending (``-ende``, ``-test``) needs a linking
  element before it (``Kriegsende``, but ``Wartende`` stays whole);
- among the possible splits the one with the fewest parts wins, then the one
  with the fewest linking letters, then the longest head: German compounds
  are right-headed, and the head is the part a reader searches for most.

The known words are a list written for this project
(``index/data/de_compound_words.txt``), loaded lazily once per process, never
part of the analyzer pickled into the index (index/whoosh_notes.md pitfall 6). The
analyzer's ``GermanWordFilter`` calls :func:`compound_parts` once per distinct
word and caches the answer, so a build pays for its vocabulary, not its length.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib import resources

from index.folding import fold_german

MIN_PART = 3
"""Shortest part: ``Rat``, ``Amt``, ``Tag`` are common heads; two letters split too much."""

LINKS = ("", "s", "es", "n", "en", "er", "e", "ns", "ens")
"""Linking elements allowed between two parts (``Gericht-s-beschluss``)."""

HEAD_ENDINGS = ("", "e", "en", "n", "s", "es", "er", "ern", "ens", "in", "innen", "nen")
"""Inflection (and feminine ``-in``) endings the head may carry after the listed form."""

PARTICLES = frozenset(
    """
    ab an auf aus bei be da dar durch ein ent er fest fort ge gegen her heraus herein hin
    hinter hinaus los miss mit nach neben ob uber um un unter ur ver vor voran voraus
    vorbei weg weiter wider wieder zer zu zuruck zusammen statt teil
    """.split()
)
"""Verb particles and prefixes (folded, as the words they are compared with): a word
starting with one is a derivation, not a compound."""

SUFFIXES = frozenset(
    """
    ung ungen heit keit schaft tum nis nisse lich isch ling chen lein bar sam haft ig
    ei ion ismus ist iker ur ent enz anz itat ieren erei
    """.split()
)
"""Derivational endings that are never a part on their own: never the head, and
never a modifier unless the list names the noun that looks like one (``Haft-``
in ``Haftstrafe``, marked modifier-only there; ``fehlerhaft`` stays whole)."""

_PLURAL_EN = ("um", "a", "us", "o")

_VOWELS = frozenset("aeiouy")

# Heads that are also verb endings (participles -end(e), past tense -test): such
# a head counts only after a linking element (Kriegs-ende, Drogen-test... but
# Wartende, kochtest, landende stay whole).
_VERB_TAILS = frozenset(("end", "ende", "enden", "endes", "ender", "endem", "test"))


@dataclass(frozen=True)
class Lexicon:
    """The known words, folded: which may end a compound, which may start or
    continue one (with the form a part is indexed as)."""

    heads: frozenset[str]
    modifiers: dict[str, str]
    longest: int
    # Every beginning (of at least MIN_PART letters) of a modifier: the search for
    # the next part stops as soon as the letters read begin no listed word.
    beginnings: frozenset[str] = frozenset()


def _fold(word: str) -> str:

    return fold_german(word.lower())


def parse_lexicon(lines: list[str]) -> Lexicon:
    """Read the word list format: words separated by white space, ``#`` starts a
    comment; a trailing ``-`` marks a form that only starts or continues a
    compound (verb stems, adjectives, ``Erd-``), never ends one. A listed noun ending in ``e`` also
    counts without it before another part (``Schule`` -> ``Schulbuch``), one
    ending in ``-um``/``-a``/``-us``/``-o`` also in its ``-en`` plural
    (``Zentrum`` -> ``Rechenzentren``, ``Firma`` -> ``Firmenchef``). Particles
    stay listed (``Teil`` ends ``Stadtteil``) but never start a compound."""
    heads: set[str] = set()
    modifiers: dict[str, str] = {}
    entries = (e for raw in lines for e in raw.split("#", 1)[0].split())
    for entry in entries:
        modifier_only = entry.endswith("-")
        word = _fold(entry.rstrip("-"))
        if len(word) < MIN_PART or not word.isalpha():
            continue
        modifiers.setdefault(word, word)
        if not modifier_only and word not in SUFFIXES:
            heads.add(word)
        if word.endswith("e") and len(word) >= MIN_PART + 2:
            modifiers.setdefault(word[:-1], word)
        # Latin and Greek plurals: Zentrum/Zentren, Firma/Firmen, Virus/Viren.
        for ending in _PLURAL_EN:
            if word.endswith(ending) and len(word) >= MIN_PART + len(ending) + 1:
                plural = word[: -len(ending)] + "en"
                modifiers.setdefault(plural, word)
                if not modifier_only:
                    heads.add(plural)
    longest = max((len(w) for w in modifiers), default=0)
    beginnings = frozenset(w[:k] for w in modifiers for k in range(MIN_PART, len(w) + 1))
    return Lexicon(frozenset(heads), modifiers, longest, beginnings)


_lexicon: Lexicon | None = None
_lexicon_lock = threading.Lock()


WORD_LIST = "de_compound_words.txt"
"""The word list's file name in ``index/data`` (package data)."""


def lexicon() -> Lexicon:
    """The shipped word list, read on first use (not at import, not in the pickle).

    An installation that lost the file splits nothing (compounds are indexed
    whole, as before there was a splitter) rather than failing every build."""
    global _lexicon
    if _lexicon is None:
        with _lexicon_lock:
            if _lexicon is None:
                try:
                    text = (
                        resources.files("index")
                        .joinpath("data", WORD_LIST)
                        .read_text(encoding="utf-8")
                    )
                except (OSError, UnicodeDecodeError):
                    text = ""
                _lexicon = parse_lexicon(text.splitlines())
    return _lexicon


def _known_whole(word: str, lex: Lexicon) -> bool:
    """The word is a listed word, perhaps inflected: a simplex, never split."""
    for end in HEAD_ENDINGS:
        if end and not word.endswith(end):
            continue
        base = word[: len(word) - len(end)] if end else word
        if base in lex.heads or base in lex.modifiers:
            return True
    return False


def split_with(word: str, lex: Lexicon) -> list[tuple[int, str]] | None:
    """Split a lower-cased, German-folded word with *lex*; see :func:`split_compound`."""
    n = len(word)
    if n < 2 * MIN_PART or not word.isalpha() or _known_whole(word, lex):
        return None
    # best[i]: the cheapest cover of word[:i] by modifiers and links, as
    # (parts, link letters, [(offset, indexed form)], letters of the last link).
    best: list[tuple[int, int, list[tuple[int, str]], int] | None] = [None] * (n + 1)
    best[0] = (0, 0, [], 0)
    for i in range(n):
        here = best[i]
        if here is None:
            continue
        parts, links, path, _ = here
        for j in range(i + MIN_PART, min(n, i + lex.longest) + 1):
            piece = word[i:j]
            if piece not in lex.beginnings:
                break
            form = lex.modifiers.get(piece)
            if form is None or (i == 0 and piece in PARTICLES):
                continue
            for link in LINKS:
                k = j + len(link)
                if k > n - MIN_PART or (link and not word.startswith(link, j)):
                    continue
                cand = (parts + 1, links + len(link), path + [(i, form)], len(link))
                old = best[k]
                if old is None or cand[:2] < old[:2]:
                    best[k] = cand
    choice: tuple[int, int, int, list[tuple[int, str]]] | None = None
    for start in range(MIN_PART, n - MIN_PART + 1):
        prefix = best[start]
        if prefix is None:
            continue
        tail = word[start:]
        if tail in _VERB_TAILS and not prefix[3]:
            continue  # warte-nde, koch-test: a participle or a verb form, not -Ende/-Test
        for end in HEAD_ENDINGS:
            if end and not tail.endswith(end):
                continue
            base = tail[: len(tail) - len(end)] if end else tail
            if len(base) < MIN_PART or base not in lex.heads:
                continue
            if end.startswith("er") and base[-1] in _VOWELS:
                continue  # Kind-er, Land-er; but Alt-mai-er is a name
            score = (prefix[0] + 1, prefix[1], -len(base))
            if choice is None or score < choice[:3]:
                choice = (*score, prefix[2] + [(start, tail)])
            break
    return choice[3] if choice else None


def split_compound(word: str) -> list[tuple[int, str]] | None:
    """The parts of a closed compound, or None when *word* is not one.

    *word* is lower-cased and German-folded (``fold_german``), as the analyzer
    has it. Each part is ``(offset in word, form to index)``: a non-final part
    in its listed form (``bundes`` -> ``bund``), the head as written, inflection
    included, so it is stemmed like the same word on its own.
    """
    return split_with(word, lexicon())


def compound_parts(text: str, folded: str) -> tuple[str, ...]:
    """The part forms to index for a word, given as written and lower-cased and
    folded (empty when it is not a compound). The analyzer caches the answer per
    distinct word (``index.analysis.GermanWordFilter``)."""
    # Only capitalized words: German capitalizes every noun, and a lowercase word
    # is a verb, adjective or participle, where a split is mostly wrong (kochtest,
    # landende, akkurate). Sentence starts and headlines in capitals pass too.
    if not text[:1].isupper():
        return ()
    found = split_compound(folded)
    if not found:
        return ()

    # A part must be what normalizing it gives, like every indexed word; folding is
    # not idempotent on a few words (Europäer -> europaer -> europar): those go.
    return tuple(p for _, p in found if fold_german(p) == p)
