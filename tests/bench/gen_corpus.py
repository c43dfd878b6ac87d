"""Deterministic generator of a synthetic German news corpus for the dossier benchmark.

Why synthetic: the benchmark needs corpora from 1k to 1M articles that anyone can rebuild
byte for byte on a fresh machine, without shipping gigabytes of (copyrighted) news. Why this
much realism: index size, posting-list lengths, query selectivity and date extraction all
depend on the text looking like German news, so the vocabulary comes from a real German word
list (Debian's ``wngerman``), term frequencies follow a Zipf law, function words appear at
their real rates, stories repeat named entities, and the articles carry the same datelines,
agency credits and front matter as the real ones in ``seeds/``.

Usage::

    python -m tests.bench.gen_corpus --n 10000 --out /tmp/dossier-bench/c10k --seed 1
    python tests/bench/gen_corpus.py --n 10000 --out /tmp/dossier-bench/c10k --seed 1

or ``generate(n, out, seed)`` from Python. Besides the articles, ``OUT/corpus_stats.json``
records what the query mix (``tests/bench/queries.py``) needs, and
``OUT/corpus_manifest.tsv.gz`` the true date, source and story of every file (gzipped so that
an indexer walking OUT never mistakes it for an article).

Only the standard library is used, so the generator runs before the project is installed.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import math
import operator
import os
import re
import shutil
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from random import Random
from typing import Any, TypeVar

T = TypeVar("T")

NGERMAN = Path("/usr/share/dict/ngerman")
INSTALL_HINT = (
    f"gen_corpus: word list {NGERMAN} not found; install it with: "
    "apt-get update && apt-get install -y wngerman"
)
GENERATOR_VERSION = 1
MARKER = ".dossier-bench-corpus"  # lets --force delete only folders this script made
STATS_FILE = "corpus_stats.json"
MANIFEST_FILE = "corpus_manifest.tsv.gz"

ZIPF_EXPONENT = 1.1
FUNCTION_MASS = 0.42  # share of tokens that are function words (der, die, und, ...)
CLAUSE_MASS = 0.05  # ", dass", ", die", ...: commas arrive with the word that follows them
NUMBER_MASS = 0.008
COMPOUND_SHARE = 0.02  # hyphen compounds like "AWS-Cloud-Servern"
ENTITY_SHARE = 0.02  # mentions of the story's people, places, organisations and topics
ASCII_TOKEN_SHARE = 0.003  # "Mueller" for "Müller": rare ASCII spellings
ASCII_ARTICLE_SHARE = 0.01  # whole articles from old ASCII-only wire feeds
MD_SHARE = 0.15
UNDATED_SHARE = 0.05
FILES_PER_DIR = 1000

MEDIAN_BYTES = 2500.0
SIGMA_BYTES = 0.7  # log-normal: p99 ~ 13 KB, p99.9 ~ 21 KB
MIN_BYTES, MAX_BYTES = 400, 30_000
OUTLIER_RATE = 0.0003  # ~3 per 10k articles of 80-150 KB
OUTLIER_BYTES = (80_000, 150_000)
BYTES_PER_TOKEN = 8.0  # calibrated so that the body hits the drawn size on average

DATE_FIRST, DATE_LAST = date(2018, 1, 1), date(2024, 12, 31)
STATS_SAMPLE = 1000  # articles whose every token is counted for corpus_stats.json

_SLOTS16 = 1 << 16  # FastSampler level 1: one 16-bit random number per draw
_CHUNK = 1 << 8  # FastSampler level 2: 2**14 chunks of 256 slots (2**22 resolution)...
_CHUNKS = 1 << 14  # ...each listed 4 times, so that a 16-bit number picks one
_SLOTS2 = _CHUNKS * _CHUNK
_TAIL = "\x00tail"  # sentinel slot: draw again from the exact tail distribution

# Relative frequencies of the commonest German function words (rounded from newspaper
# frequency lists); normalized to FUNCTION_MASS. A few frequent nouns of news language
# (Prozent, Euro, Jahr) sit here too so that they keep their real, high rank.
FUNCTION_WORDS: tuple[tuple[str, float], ...] = (
    ("der", 30), ("die", 31), ("und", 28), ("in", 17), ("den", 11), ("von", 9.5), ("zu", 8.5),
    ("das", 9), ("mit", 8), ("sich", 7), ("des", 7), ("auf", 7), ("für", 6.5), ("ist", 6.5),
    ("im", 5.5), ("dem", 5.5), ("nicht", 5.5), ("ein", 4.8), ("eine", 4.8), ("als", 4.5),
    ("auch", 4.5), ("es", 4), ("an", 4), ("werden", 3.5), ("aus", 3.5), ("er", 3.5),
    ("hat", 3.2), ("dass", 3), ("sie", 3.2), ("nach", 3), ("wird", 3), ("bei", 2.8),
    ("einer", 2.7), ("um", 2.5), ("am", 2.4), ("sind", 2.4), ("noch", 2.3), ("wie", 2.2),
    ("einem", 2), ("über", 2), ("einen", 2), ("so", 1.8), ("zum", 1.8), ("war", 1.7),
    ("haben", 1.7), ("nur", 1.6), ("oder", 1.6), ("aber", 1.6), ("vor", 1.6), ("zur", 1.5),
    ("bis", 1.4), ("mehr", 1.4), ("durch", 1.4), ("man", 1.3), ("sein", 1.2), ("wurde", 1.3),
    ("sei", 1.2), ("hatte", 1.1), ("kann", 1.1), ("gegen", 1.1), ("vom", 1.0), ("können", 1.0),
    ("schon", 1.0), ("wenn", 1.0), ("seine", 1.0), ("ihre", 0.9), ("dann", 0.9), ("unter", 0.9),
    ("wir", 0.8), ("soll", 0.8), ("eines", 0.8), ("diese", 0.8), ("dieser", 0.8),
    ("wieder", 0.8), ("keine", 0.7), ("worden", 0.7), ("will", 0.6), ("zwischen", 0.6),
    ("immer", 0.6), ("was", 0.6), ("sagte", 0.7), ("gibt", 0.5), ("alle", 0.5), ("seit", 0.6),
    ("muss", 0.5), ("doch", 0.5), ("jetzt", 0.5), ("damit", 0.5), ("bereits", 0.5), ("da", 0.5),
    ("ab", 0.4), ("ohne", 0.4), ("sondern", 0.4), ("selbst", 0.4), ("nun", 0.4), ("etwa", 0.5),
    ("heute", 0.4), ("weil", 0.4), ("ihr", 0.4), ("sowie", 0.4), ("zwei", 0.8), ("drei", 0.5),
    ("Prozent", 0.8), ("Millionen", 0.5), ("Euro", 0.8), ("Jahr", 0.7), ("Jahren", 0.5),
    ("Menschen", 0.5), ("neue", 0.4), ("ersten", 0.4), ("laut", 0.3), ("zudem", 0.3),
    ("allerdings", 0.3), ("jedoch", 0.3),
)
# Subordinate and coordinate clauses: the comma is glued on when the text is joined.
CLAUSE_WORDS: tuple[tuple[str, float], ...] = (
    (", dass", 3), (", die", 4), (", der", 3), (", das", 1.5), (", und", 2.5), (", aber", 1.5),
    (", weil", 0.8), (", wenn", 1), (", wie", 1), (", sagte", 0.8), (", sondern", 0.5),
    (", als", 0.8), (", um", 0.6), (", den", 0.8), (", so", 0.5), (", was", 0.5), (", ob", 0.4),
    (", nachdem", 0.3), (", bevor", 0.2), (", damit", 0.3),
)
NUMBERS: tuple[str, ...] = (
    "2", "3", "4", "5", "10", "12", "15", "20", "25", "30", "40", "50", "60", "80", "100",
    "150", "200", "500", "1.000", "2,5", "1,5", "3,8", "12,4",
)
OUTLETS: tuple[str, ...] = (
    "Tagesblatt Nord", "Rheinische Rundschau", "Alpenpost", "Der Abendkurier",
    "Wiener Morgenzeitung", "Hanse-Anzeiger", "Mitteldeutsche Nachrichten", "Donau-Echo",
)
AGENCIES: tuple[str, ...] = ("dpa", "APA", "AFP", "Reuters")
CITIES: tuple[str, ...] = (
    "Berlin", "Wien", "Hamburg", "München", "Köln", "Frankfurt", "Graz", "Linz", "Zürich",
    "Brüssel", "Washington", "Paris", "Stuttgart", "Dresden", "Leipzig", "Salzburg",
    "Innsbruck", "Düsseldorf", "Hannover", "Bremen", "Kiel", "Bern", "London", "Moskau",
    "Peking", "Straßburg", "Klagenfurt", "Nürnberg", "Mainz", "Erfurt",
)
FIRST_NAMES: tuple[str, ...] = (
    "Anna", "Jonas", "Lena", "Lukas", "Sophie", "Maximilian", "Marie", "Felix", "Laura", "Paul",
    "Julia", "Tobias", "Sarah", "Florian", "Katharina", "Stefan", "Claudia", "Andreas",
    "Sabine", "Michael", "Birgit", "Thomas", "Monika", "Jürgen", "Ursula", "Wolfgang", "Petra",
    "Günter", "Karin", "Matthias", "Elisabeth", "Martin", "Susanne", "Christian", "Barbara",
    "Alexander", "Johanna", "Sebastian", "Helga", "Markus", "Renate", "Dominik", "Theresa",
    "Georg", "Ingrid", "Philipp", "Veronika", "Daniel", "Hannah", "Jan", "Eva", "Moritz",
    "Franziska", "Niklas", "Brigitte", "Fabian", "Gabriele", "Simon", "Christine", "Jakob",
)
SURNAMES: tuple[str, ...] = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder",
    "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange",
    "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier",
    "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters",
    "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Vogel", "Friedrich",
    "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Baumann",
    "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin",
    "Schumacher", "Krämer", "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel",
    "Heinrich", "Brandt", "Haas", "Gruber", "Pichler", "Steiner", "Moser", "Leitner", "Egger",
)
ORG_FORMS: tuple[str, ...] = (
    "{s} AG", "{s}-Gruppe", "{s} Holding", "{a}", "{a}-Konzern", "Stiftung {s}", "{a} Europe",
)
# (tokens, end mark) of a sentence: lengths peak at 12-16 tokens, the usual length in German
# news; "q"/"Q" are quotes in German/straight quotation marks followed by "sagte ...".
_MARKS: tuple[tuple[str, float], ...] = (
    (".", 0.88), ("?", 0.03), ("!", 0.01), ("q", 0.04), ("Q", 0.04),
)
SENTENCE_KINDS: tuple[tuple[int, str], ...] = tuple(
    (n, mark) for n in range(5, 31) for mark, _ in _MARKS
)
SENTENCE_KIND_WEIGHTS: tuple[float, ...] = tuple(
    math.exp(-((n - 14) ** 2) / (2 * 5.0**2)) * w for n in range(5, 31) for _, w in _MARKS
)
PARAGRAPH_SENTENCES: tuple[int, ...] = (2, 3, 3, 4, 4, 5, 6)

FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                      "ß": "ss"})
_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
_SLUG_RE = re.compile(r"[^a-z0-9]+")


class WordListMissingError(FileNotFoundError):
    """The German word list is not installed; the message says how to install it."""


@dataclass(frozen=True, slots=True)
class Story:
    """A news story: the people, places and topic words that its articles keep repeating.

    Articles of one story share entities and a date window, which gives queries for an entity
    or topic word the clustered, realistic selectivity that independent random words lack.
    """

    person: str
    surname: str
    place: str
    org: str
    topics: tuple[str, ...]
    center: int  # date ordinal of the story's peak
    spread: float  # days: how long the story keeps running
    mentions: tuple[str, ...]


class FastSampler:
    """Draws i.i.d. items from a fixed distribution, ~8x faster than ``random.choices``.

    Why: ``random.choices`` costs ~0.4 us per item in CPython, which alone would cap the
    generator near 5,000 articles/s. Instead, 16-bit numbers from one ``randbytes`` call index
    a 65536-slot table in C (``itemgetter``): every item with probability p owns
    ``floor(p * 65536)`` slots. The remaining slots hold a sentinel; those draws are redone
    from the leftover mass, quantized the same way at 2**22 resolution (a 16-bit number picks
    a chunk of 256 slots, an 8-bit one the slot). What is left after that (~1% of draws:
    every item's rounding residue) is drawn exactly with ``random.choices``, so the sampler is
    exact. The common items stay in a small, cache-resident table, which matters more than
    the instruction count. Deterministic for a given ``Random`` state.
    """

    def __init__(self, items: Sequence[str], weights: Sequence[float]) -> None:
        items = list(items)
        total = math.fsum(weights)
        # Level 1: floor(p * 65536) slots per item; the rest of the table is the sentinel.
        exact = [w / total * _SLOTS16 for w in weights]
        slots = [int(x) for x in exact]
        table = list(itertools.chain.from_iterable(map(itertools.repeat, items, slots)))
        free16 = _SLOTS16 - len(table)
        table.extend(itertools.repeat(_TAIL, free16))
        self._table = table
        # Level 2: the leftover mass over 2**22 slots, cut into 16384 chunks of 256. Built
        # with C-level iterators: a Python loop over 356k items took over a second.
        rest = [x - s for x, s in zip(exact, slots, strict=True)]
        scale = _SLOTS2 / (math.fsum(rest) or 1.0)
        exact2 = [r * scale for r in rest]
        slots2 = [int(x) for x in exact2]
        used = sum(slots2)
        flat = list(itertools.chain.from_iterable(map(itertools.repeat, items, slots2)))
        flat.extend(itertools.repeat(_TAIL, _SLOTS2 - used))
        chunks = [flat[i:i + _CHUNK] for i in range(0, _SLOTS2, _CHUNK)]
        self._chunks = chunks * (_SLOTS16 // _CHUNKS)
        del flat
        # Level 3: what rounding left over, drawn exactly by bisection.
        residue = [x - s for x, s in zip(exact2, slots2, strict=True)]
        self._tail_items = [it for it, r in zip(items, residue, strict=True) if r > 0] or [_TAIL]
        self._tail_cum = list(itertools.accumulate(r for r in residue if r > 0)) or [1.0]
        self.level_shares = (free16 / _SLOTS16,
                             free16 / _SLOTS16 * (_SLOTS2 - used) / _SLOTS2)

    def draw(self, rng: Random, k: int) -> list[str]:
        """Return *k* items drawn with replacement."""
        if k <= 0:
            return []
        out = self._lookup(rng, k)
        m = out.count(_TAIL)
        if m:
            fills = self._lookup(rng, m, self._chunks)
            m2 = fills.count(_TAIL)
            if m2:
                exact = rng.choices(self._tail_items, cum_weights=self._tail_cum, k=m2)
                pos = -1
                for fill in exact:
                    pos = fills.index(_TAIL, pos + 1)
                    fills[pos] = fill
            pos = -1
            for fill in fills:
                pos = out.index(_TAIL, pos + 1)
                out[pos] = fill
        return out

    def _lookup(self, rng: Random, k: int, chunks: list[list[str]] | None = None) -> list[str]:
        hi = memoryview(rng.randbytes(2 * k)).cast("H")
        if chunks is None:
            table = self._table
            return list(operator.itemgetter(*hi)(table)) if k > 1 else [table[hi[0]]]
        picked = operator.itemgetter(*hi)(chunks) if k > 1 else (chunks[hi[0]],)
        return list(map(operator.getitem, picked, rng.randbytes(k)))


def quick_table(items: Sequence[T], weights: Sequence[float]) -> list[T]:
    """A 65536-slot table for :func:`table_draw`: an approximate sampler for small jobs.

    Each item gets ``p * 65536`` slots rounded by largest remainder, so items rarer than
    1/65536 may never be drawn. Good enough for sentence shapes, title words and compound
    parts, where exactness buys nothing and ``random.choices`` would cost ~0.4 us a draw.
    """
    total = math.fsum(weights)
    exact = [w / total * _SLOTS16 for w in weights]
    slots = [int(x) for x in exact]
    short = _SLOTS16 - sum(slots)
    by_remainder = sorted(range(len(items)), key=lambda i: (slots[i] - exact[i], i))
    for i in by_remainder[:short]:
        slots[i] += 1
    return list(itertools.chain.from_iterable(map(itertools.repeat, items, slots)))


def table_draw(rng: Random, table: list[T], k: int) -> list[T]:
    """Draw *k* items from a :func:`quick_table` with one ``randbytes`` call, in C."""
    if k <= 0:
        return []
    idx = memoryview(rng.randbytes(2 * k)).cast("H")
    return list(operator.itemgetter(*idx)(table)) if k > 1 else [table[idx[0]]]


def load_wordlist(wordlist: str | os.PathLike[str] | Sequence[str] | None = None) -> list[str]:
    """Return the sorted, de-duplicated words of *wordlist* (default: Debian's ngerman).

    Sorting makes the generator independent of the file's order, so only its content and
    the seed decide the corpus.
    """
    if wordlist is None or isinstance(wordlist, (str, os.PathLike)):
        path = Path(wordlist) if wordlist is not None else NGERMAN
        if not path.is_file():
            if path == NGERMAN:
                raise WordListMissingError(INSTALL_HINT)
            raise WordListMissingError(f"gen_corpus: word list {path} not found")
        words = sorted(set(path.read_text(encoding="utf-8").split()))
    else:
        words = sorted({w.strip() for w in wordlist if w.strip() and " " not in w.strip()})
    if len(words) < 20:
        raise ValueError(f"gen_corpus: word list too small ({len(words)} words)")
    return words


def _sround(rng: Random, x: float) -> int:
    """Stochastic rounding: keeps expected counts exact for small per-article quotas."""
    whole = int(x)
    return whole + (rng.random() < x - whole)


def _percentile(sorted_values: Sequence[int], q: float) -> int:
    if not sorted_values:
        return 0
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def _rank_key(word: str) -> float:
    key = abs(len(word) - 6) * 0.7
    if len(word) < 3:
        key += 40.0
    elif word.isupper():
        key += 10.0
    return key


def _slugify(text: str, limit: int = 48) -> str:
    slug = _SLUG_RE.sub("-", text.translate(FOLD).lower()).strip("-")
    return slug[:limit].rstrip("-") or "artikel"


class CorpusGenerator:
    """Holds the language model (vocabulary, samplers, stories) shared by all articles."""

    def __init__(self, words: Sequence[str], rng: Random, n: int) -> None:
        self.rng = rng
        function = {w for w, _ in FUNCTION_WORDS}
        vocab = [w for w in words if w not in function]
        # Rank order: words of ordinary length (~6 letters) should be the common ones, and
        # one- or two-letter entries and all-caps abbreviations (plentiful in ngerman) rare,
        # else the text reads like a list of abbreviations. Key: distance from 6 letters plus
        # triangular noise (as good as gauss here, at half the cost); ties broken by the word.
        rand = rng.random
        keyed = sorted((_rank_key(w) + (rand() + rand() - 1.0) * 10.0, w) for w in vocab)
        self.vocab = [w for _, w in keyed]
        # One Zipf law over the whole ranking: the function words hold the top ranks (at
        # their own, measured rates), the vocabulary continues below them. Starting the
        # vocabulary at rank 1 instead would give its first word ~6% of all tokens.
        offset = len(FUNCTION_WORDS) + len(NUMBERS)
        zipf = [r ** -ZIPF_EXPONENT for r in range(offset + 1, offset + len(self.vocab) + 1)]
        zipf_total = math.fsum(zipf)
        vocab_mass = 1.0 - FUNCTION_MASS - CLAUSE_MASS - NUMBER_MASS
        fw_total = sum(w for _, w in FUNCTION_WORDS)
        cl_total = sum(w for _, w in CLAUSE_WORDS)
        items = [w for w, _ in FUNCTION_WORDS] + [w for w, _ in CLAUSE_WORDS] + list(NUMBERS)
        weights = [w / fw_total * FUNCTION_MASS for _, w in FUNCTION_WORDS]
        weights += [w / cl_total * CLAUSE_MASS for _, w in CLAUSE_WORDS]
        weights += [NUMBER_MASS / len(NUMBERS)] * len(NUMBERS)
        items += self.vocab
        weights += [z / zipf_total * vocab_mass for z in zipf]
        self.tokens = FastSampler(items, weights)
        self.function_words = frozenset(w.lower() for w, _ in FUNCTION_WORDS)

        # Nouns for hyphen compounds: the 20k commonest capitalized words, Zipf-weighted.
        nouns = [w for w in self.vocab if w[0].isupper()][:20_000] or self.vocab[:1000]
        self.noun_table = quick_table(nouns, zipf[:len(nouns)])
        self.acronyms = [w for w in self.vocab[:50_000] if w.isupper() and 2 <= len(w) <= 5]
        # Title words: content words only (function words are added by the templates).
        title_words = self.vocab[:30_000]
        self.title_table = quick_table(title_words, zipf[:len(title_words)])
        self.kind_table = quick_table(SENTENCE_KINDS, SENTENCE_KIND_WEIGHTS)
        self.paragraph_table = quick_table(PARAGRAPH_SENTENCES, [1.0] * len(PARAGRAPH_SENTENCES))
        # Topic words from the middle of the frequency ranking: rare enough to be selective,
        # common enough to appear outside the story too.
        lo, hi = min(300, len(self.vocab) // 4), min(30_000, len(self.vocab))
        self.topic_nouns = [w for w in self.vocab[lo:hi] if len(w) >= 6 and w[0].isupper()
                            and not w.isupper()] or self.vocab[lo:hi]
        self.topic_pool = [w for w in self.vocab[lo:hi] if len(w) >= 6] or self.vocab[lo:hi]

        n_stories = max(8, n // 40)
        self.stories = [self._story() for _ in range(n_stories)]
        # A few big stories (the largest ~5% of all articles), a long tail of small ones.
        self.story_cum = list(itertools.accumulate(r ** -0.9 for r in range(4, n_stories + 4)))

    def _story(self) -> Story:
        rng = self.rng
        first, surname = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        place = rng.choice(CITIES)
        form = rng.choice(ORG_FORMS)
        if "{a}" in form and not self.acronyms:
            form = "{s} AG"
        org = form.format(s=rng.choice(SURNAMES), a=rng.choice(self.acronyms or ["X"]))
        nouns = self.topic_nouns
        topics = (rng.choice(nouns), rng.choice(nouns))
        if rng.random() < 0.5:
            topics += (rng.choice(self.topic_pool),)
        span = DATE_LAST.toordinal() - DATE_FIRST.toordinal()
        center = DATE_FIRST.toordinal() + rng.randrange(span + 1)
        spread = rng.lognormvariate(math.log(12.0), 1.0)
        person = f"{first} {surname}"
        mentions = (person, surname, surname, org, place, topics[0], topics[0], *topics)
        return Story(person, surname, place, org, topics, center, spread, mentions)

    # -- text ---------------------------------------------------------------------------
    def title(self, story: Story) -> str:
        """A headline: a few content words, a function word or two and a story entity."""
        rng = self.rng
        words = table_draw(rng, self.title_table, rng.randint(3, 6))
        glue = rng.choice(("für", "gegen", "nach", "in", "mit", "und", "vor", "über", "im"))
        words.insert(rng.randint(1, len(words) - 1), glue)
        entity = rng.choice((story.surname, story.person, story.org, story.topics[0],
                             story.place, story.topics[-1]))
        r = rng.random()
        if r < 0.35:
            text = f"{entity}: {' '.join(words)}"
        elif r < 0.5:
            text = f"Wegen {words[0]}: {entity} {' '.join(words[1:])}"
        else:
            words.insert(rng.randint(0, len(words)), entity)
            text = " ".join(words)
        return text[0].upper() + text[1:]

    def body(self, story: Story, target_bytes: int,
             bigrams: list[tuple[str, str]] | None = None,
             counts: tuple[Counter[str], Counter[str]] | None = None) -> tuple[list[str], int]:
        """Return (paragraphs, token count) of about *target_bytes* of running text.

        Sentences are made by editing the boundary tokens in place (capitalize the first,
        glue the end mark to the last) and joining whole paragraphs, because a Python-level
        join per sentence was the slowest part of the generator. When *bigrams* is a list, one
        pair of adjacent words from inside a sentence (so that a phrase search and a plain
        grep both find it) is appended to it; *counts* (term, document frequency) are updated
        with the words as drawn, before punctuation is attached.
        """
        rng = self.rng
        ntok = max(20, int(target_bytes / BYTES_PER_TOKEN))
        toks = self.tokens.draw(rng, ntok)
        rand = rng.random
        positions = range(ntok)
        m = _sround(rng, ntok * COMPOUND_SHARE)
        if m:
            parts = table_draw(rng, self.noun_table, 3 * m)
            for j, p in enumerate(rng.choices(positions, k=m)):
                r = rand()
                head = parts[3 * j]
                if r < 0.1 and self.acronyms:
                    head = self.acronyms[int(r * 10 * len(self.acronyms))]
                toks[p] = (f"{head}-{parts[3 * j + 1]}" if r < 0.75
                           else f"{head}-{parts[3 * j + 1]}-{parts[3 * j + 2]}")
        m = max(1, _sround(rng, ntok * ENTITY_SHARE))
        for p, mention in zip(rng.choices(positions, k=m), rng.choices(story.mentions, k=m),
                              strict=True):
            toks[p] = mention
        for p in rng.choices(positions, k=_sround(rng, ntok * ASCII_TOKEN_SHARE)):
            toks[p] = toks[p].translate(FOLD)
        if counts is not None:
            counts[0].update(toks)
            counts[1].update(set(toks))

        # Enough sentences for ntok tokens nearly always; the loop tops up if not.
        kinds = table_draw(rng, self.kind_table, ntok // 11 + 4)
        per_par = table_draw(rng, self.paragraph_table, len(kinds))
        speakers = (f"sagte {story.person}", f"sagte {story.surname}", "hieß es",
                    f"teilte {story.org} mit", "sagte ein Sprecher", "sagte eine Sprecherin")
        pick = -1 if bigrams is None else rng.randrange(ntok - 1)
        paragraphs: list[str] = []
        pos = par_start = in_par = 0
        ki = 0
        while pos < ntok:
            if ki >= len(kinds) - 1:
                kinds += table_draw(rng, self.kind_table, 8)
                per_par += table_draw(rng, self.paragraph_table, 8)
            length, mark = kinds[ki]
            ki += 1
            end = min(ntok, pos + length)
            if pos < pick < end - 1 and bigrams is not None:
                a, b = toks[pick], toks[pick + 1]
                if a.isalpha() and b.isalpha():
                    bigrams.append((a, b))
            w = toks[pos]
            if w[0] == ",":
                w = w[2:]
            w = w[0].upper() + w[1:]
            if mark == "q":  # a quote, attributed
                speaker = speakers[int(rand() * 6)]
                toks[pos] = "„" + w
                toks[end - 1] += f"“, {speaker}."
            elif mark == "Q":
                speaker = speakers[int(rand() * 6)]
                toks[pos] = '"' + w
                toks[end - 1] += f'", {speaker}.'
            else:
                toks[pos] = w
                toks[end - 1] += mark
            pos = end
            in_par += 1
            if in_par >= per_par[ki] or pos >= ntok:
                paragraphs.append(" ".join(toks[par_start:pos]).replace(" ,", ","))
                par_start, in_par = pos, 0
        return paragraphs, ntok


def _prepare_out(out: Path, force: bool) -> None:
    """Create *out*; refuse to mix with, or delete, anything this script did not make."""
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise FileExistsError(f"gen_corpus: {out} is not empty and not a generated corpus")
        if not force:
            raise FileExistsError(f"gen_corpus: {out} already holds a corpus (use --force)")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by tests/bench/gen_corpus.py\n", encoding="utf-8")


def generate(n: int, out: str | os.PathLike[str], seed: int = 1,
             wordlist: str | os.PathLike[str] | Sequence[str] | None = None,
             force: bool = False, progress: bool = False) -> dict[str, Any]:
    """Write *n* articles under *out* and return the corpus statistics.

    Same *seed*, *n* and word list give byte-identical article files: all randomness comes
    from one ``Random(seed)`` consumed in a fixed order, and nothing depends on set or hash
    order. The statistics are also written to ``out/corpus_stats.json``; only their
    ``timing`` entry differs between runs.
    """
    if n < 1:
        raise ValueError("gen_corpus: n must be at least 1")
    words = load_wordlist(wordlist)
    out = Path(out)
    _prepare_out(out, force)
    # Timing starts after deleting an old corpus. CPU time is recorded beside wall time
    # because the benchmark machine is shared: wall time alone says more about the
    # neighbours than about the generator.
    t0, c0 = time.perf_counter(), time.process_time()
    rng = Random(seed)
    gen = CorpusGenerator(words, rng, n)
    t_model, c_model = time.perf_counter() - t0, time.process_time() - c0

    story_ids = rng.choices(range(len(gen.stories)), cum_weights=gen.story_cum, k=n)
    sample_every = max(1, math.ceil(n / STATS_SAMPLE))
    df: Counter[str] = Counter()
    tf: Counter[str] = Counter()
    title_counts: Counter[str] = Counter()
    bigrams: list[tuple[str, str]] = []
    sizes: list[int] = []
    story_sizes: Counter[int] = Counter()
    years: Counter[int] = Counter()
    outlets: Counter[str] = Counter()
    styles: Counter[str] = Counter()
    per_dir: Counter[str] = Counter()
    manifest: list[str] = ["path\tdate\tsource\tagency\tstory\tformat\tbytes"]
    made_dirs: set[str] = set()
    n_tokens = n_md = n_undated = 0
    first_date = last_date = None
    outlet_slugs = {o: _slugify(o) for o in OUTLETS}
    lo_ord, hi_ord = DATE_FIRST.toordinal(), DATE_LAST.toordinal()

    for i in range(n):
        sid = story_ids[i]
        story = gen.stories[sid]
        story_sizes[sid] += 1
        sampled = i % sample_every == 0
        outlet = OUTLETS[rng.randrange(len(OUTLETS))]
        agency = AGENCIES[rng.randrange(len(AGENCIES))]
        is_md = rng.random() < MD_SHARE
        undated = rng.random() < UNDATED_SHARE
        offset = rng.gauss(0.0, story.spread)
        day = date.fromordinal(min(hi_ord, max(lo_ord, story.center + int(offset))))
        hour, minute = rng.randint(5, 23), rng.randrange(60)
        if rng.random() < OUTLIER_RATE:
            target = rng.randint(*OUTLIER_BYTES)
        else:
            target = int(min(MAX_BYTES, max(MIN_BYTES,
                                            rng.lognormvariate(math.log(MEDIAN_BYTES),
                                                               SIGMA_BYTES))))
        title = gen.title(story)
        n_bigrams = len(bigrams)
        paragraphs, ntok = gen.body(story, target, bigrams if sampled else None,
                                    (tf, df) if sampled else None)
        n_tokens += ntok
        title_counts.update(title.replace(":", "").split())

        r = rng.random()
        if is_md:
            style = "md"
            head = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
            if not undated:
                head.append(f"date: {day.isoformat()}")
            head.append(f"source: {json.dumps(outlet, ensure_ascii=False)}")
            head += ["---", "", ""]
            if rng.random() < 0.3 and len(paragraphs) > 3:
                k = rng.randint(2, len(paragraphs) - 1)
                sub = " ".join(table_draw(rng, gen.title_table, 3))
                paragraphs.insert(k, f"## {sub[0].upper()}{sub[1:]}")
            text = "\n".join(head) + "\n\n".join(paragraphs) + "\n"
        elif r < 0.55:
            # Broadcaster style: title, optional teaser, then "13.01.2021 | Stand: 12:05 Uhr".
            style = "dateline"
            parts = [title]
            if rng.random() < 0.4 and len(paragraphs) > 1:
                parts.append(paragraphs.pop(0))
            if not undated:
                parts.append(f"{day.day:02d}.{day.month:02d}.{day.year} | "
                             f"Stand: {hour:02d}:{minute:02d} Uhr")
            parts += paragraphs
            if rng.random() < 0.5:
                parts.append(f"Quelle: {outlet}")
            text = "\n\n".join(parts) + "\n"
        else:
            # Agency style: "Wien (APA) – ..." and "(APA, 21.1.2021)" closing the last paragraph.
            style = "agency"
            if rng.random() < 0.5:
                paragraphs[0] = f"{story.place} ({agency}) – {paragraphs[0]}"
            credit = f"({agency})" if undated else f"({agency}, {day.day}.{day.month}.{day.year})"
            paragraphs[-1] = f"{paragraphs[-1]} {credit}"
            text = "\n\n".join([title, *paragraphs]) + "\n"
        if rng.random() < ASCII_ARTICLE_SHARE:
            text = text.translate(FOLD)
            del bigrams[n_bigrams:]  # its words no longer occur as recorded

        data = text.encode("utf-8")
        slug = outlet_slugs[outlet]
        chunk = f"{slug}/{outlets[outlet] // FILES_PER_DIR:04d}"
        outlets[outlet] += 1
        if chunk not in made_dirs:
            (out / chunk).mkdir(parents=True, exist_ok=True)
            made_dirs.add(chunk)
        rel = f"{chunk}/{i:07d}-{_slugify(title)}.{'md' if is_md else 'txt'}"
        # os.open/os.write: half the cost of open() for 10^5 small files.
        fd = os.open(out / rel, _OPEN_FLAGS, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        per_dir[chunk] += 1
        sizes.append(len(data))
        styles[style] += 1
        n_md += is_md
        if undated:
            n_undated += 1
        else:
            years[day.year] += 1
            first_date = day if first_date is None or day < first_date else first_date
            last_date = day if last_date is None or day > last_date else last_date
        manifest.append(f"{rel}\t{'' if undated else day.isoformat()}\t{outlet}\t"
                        f"{agency if style == 'agency' else ''}\t{sid}\t{style}\t{len(data)}")
        if progress and (i + 1) % 10_000 == 0:
            rate = (i + 1) / (time.perf_counter() - t0)
            print(f"  {i + 1:>8} articles  {rate:,.0f}/s", file=sys.stderr)

    elapsed_write, cpu_write = time.perf_counter() - t0, time.process_time() - c0
    with gzip.GzipFile(out / MANIFEST_FILE, "wb", compresslevel=1, mtime=0) as gz:
        gz.write(("\n".join(manifest) + "\n").encode("utf-8"))

    stats = _stats(gen, n=n, seed=seed, df=df, tf=tf, title_counts=title_counts,
                   bigrams=bigrams, sizes=sizes, story_sizes=story_sizes,
                   years=years, outlets=outlets, styles=styles, per_dir=per_dir,
                   n_tokens=n_tokens, n_md=n_md, n_undated=n_undated,
                   first_date=first_date, last_date=last_date, sample_every=sample_every)
    total, cpu_total = time.perf_counter() - t0, time.process_time() - c0
    articles_s, articles_cpu_s = elapsed_write - t_model, cpu_write - c_model
    stats["timing"] = {
        "model_s": round(t_model, 3),
        "articles_s": round(articles_s, 3),
        "total_s": round(total, 3),
        "articles_per_s": round(n / max(1e-9, articles_s)),
        "articles_per_s_incl_model": round(n / max(1e-9, total)),
        "mb_per_s": round(sum(sizes) / 1e6 / max(1e-9, articles_s), 1),
        "cpu_model_s": round(c_model, 3),
        "cpu_articles_s": round(articles_cpu_s, 3),
        "cpu_total_s": round(cpu_total, 3),
        "articles_per_cpu_s": round(n / max(1e-9, articles_cpu_s)),
    }
    (out / STATS_FILE).write_text(json.dumps(stats, ensure_ascii=False, indent=1) + "\n",
                                  encoding="utf-8")
    return stats


def _zipf_fit(counts: Sequence[int], lo: int = 10, hi: int = 10_000) -> float:
    """Least-squares slope of log(frequency) over log(rank), ranks lo..hi: the exponent."""
    pts = [(math.log(r), math.log(c)) for r, c in enumerate(counts, start=1)
           if lo <= r <= hi and c > 0]
    if len(pts) < 3:
        return float("nan")
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    sxy = sum((x - mx) * (y - my) for x, y in pts)
    return round(-sxy / sxx, 3)


def _stats(gen: CorpusGenerator, *, n: int, seed: int, df: Counter[str], tf: Counter[str],
           title_counts: Counter[str], bigrams: list[tuple[str, str]],
           sizes: list[int], story_sizes: Counter[int], years: Counter[int],
           outlets: Counter[str], styles: Counter[str], per_dir: Counter[str], n_tokens: int,
           n_md: int, n_undated: int, first_date: date | None,
           last_date: date | None, sample_every: int) -> dict[str, Any]:
    """Summarize the corpus; every list is sorted so the JSON is deterministic."""
    fw = gen.function_words
    sample_articles = (n + sample_every - 1) // sample_every
    sample_tokens = sum(tf.values())
    compound_words = sorted(w for w in tf if "-" in w and " " not in w and w[0] != ",")
    n_compound = sum(tf[w] for w in compound_words)
    content = sorted(((w, c) for w, c in df.items() if w.isalpha() and w.lower() not in fw),
                     key=lambda wc: (-wc[1], wc[0]))
    top_terms = [[w, c, tf[w]] for w, c in content[:500]]
    mid_lo, mid_hi = max(2, sample_articles // 1000), max(3, sample_articles // 100)
    mid = [(w, c) for w, c in content if mid_lo <= c <= mid_hi]
    mid_terms = [[w, c, tf[w]] for w, c in mid[:: max(1, len(mid) // 200)][:200]]
    rare = sorted(w for w, c in content if c == 1 and tf[w] == 1 and len(w) >= 6)
    rare_terms = rare[:: max(1, len(rare) // 200)][:200]
    titles = sorted(((w, c) for w, c in title_counts.items()
                     if w.isalpha() and w.lower() not in fw),
                    key=lambda wc: (-wc[1], wc[0]))
    ranked_tf = sorted((c for w, c in tf.items() if w.isalpha() or w in NUMBERS),
                       reverse=True)
    func_tokens = sum(c for w, c in tf.items() if w.lstrip(", ").lower() in fw)
    sorted_sizes = sorted(sizes)
    top_stories = sorted(story_sizes.items(), key=lambda kv: (-kv[1], kv[0]))[:30]
    return {
        "generator_version": GENERATOR_VERSION,
        "n": n,
        "seed": seed,
        "vocabulary_size": len(gen.vocab) + len(FUNCTION_WORDS),
        "zipf_exponent": ZIPF_EXPONENT,
        # Fitted over ranks 150-3000 of all words in the sample (function words included).
        "zipf_exponent_measured": _zipf_fit(ranked_tf, 150, 3000),
        "tokens": n_tokens,
        "sample": {"every": sample_every, "articles": sample_articles, "tokens": sample_tokens,
                   "distinct_words": sum(1 for w in tf if w.isalpha())},
        "function_word_share": round(func_tokens / max(1, sample_tokens), 4),
        "compound_share": round(n_compound / max(1, sample_tokens), 4),
        "bytes": {
            "total": sum(sizes),
            "mean": round(sum(sizes) / max(1, len(sizes))),
            "median": _percentile(sorted_sizes, 0.5),
            "p95": _percentile(sorted_sizes, 0.95),
            "p99": _percentile(sorted_sizes, 0.99),
            "max": sorted_sizes[-1] if sorted_sizes else 0,
            "over_50k": sum(1 for s in sizes if s > 50_000),
        },
        "dates": {
            "first": first_date.isoformat() if first_date else None,
            "last": last_date.isoformat() if last_date else None,
            "undated": n_undated,
            "undated_share": round(n_undated / n, 4),
            "per_year": {str(y): years[y] for y in sorted(years)},
        },
        "formats": {"md": n_md, "txt": n - n_md, "md_share": round(n_md / n, 4)},
        "styles": {k: styles[k] for k in sorted(styles)},
        "outlets": {k: outlets[k] for k in sorted(outlets)},
        "agencies": list(AGENCIES),
        "dirs": {"count": len(per_dir), "max_files": max(per_dir.values(), default=0)},
        "stories": {
            "count": len(gen.stories),
            "top": [{"id": sid, "articles": cnt, "person": gen.stories[sid].person,
                     "surname": gen.stories[sid].surname, "org": gen.stories[sid].org,
                     "place": gen.stories[sid].place, "topics": list(gen.stories[sid].topics)}
                    for sid, cnt in top_stories],
        },
        # [word, articles containing it in the sample, occurrences in the sample]
        "top_terms": top_terms,
        "mid_terms": mid_terms,
        "rare_terms": rare_terms,
        "title_terms": [[w, c] for w, c in titles[:300]],
        "bigrams": [list(b) for b in bigrams[:: max(1, len(bigrams) // 300)][:300]],
        "compound_examples": compound_words[:: max(1, len(compound_words) // 40)][:40],
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry: prints a one-line summary, or a one-line error."""
    ap = argparse.ArgumentParser(description="Generate a synthetic German news corpus.")
    ap.add_argument("--n", type=int, required=True, help="number of articles (1k to 1M)")
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--wordlist", type=Path, default=None, help=f"default: {NGERMAN}")
    ap.add_argument("--force", action="store_true", help="replace a corpus generated before")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    try:
        stats = generate(args.n, args.out, args.seed, wordlist=args.wordlist,
                         force=args.force, progress=not args.quiet)
    except (WordListMissingError, FileExistsError, ValueError) as exc:
        print(str(exc).splitlines()[0], file=sys.stderr)
        return 2
    t, b = stats["timing"], stats["bytes"]
    print(f"{args.n} articles, {b['total'] / 1e6:.1f} MB, {stats['tokens']:,} tokens in "
          f"{t['total_s']:.1f} s ({t['articles_per_s']:,} articles/s wall, "
          f"{t['articles_per_cpu_s']:,}/s CPU, setup {t['model_s']:.1f} s) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
