"""A fixed, seeded query mix for the benchmark, drawn from a generated corpus' statistics.

Why from the statistics: a query for a word that never occurs measures nothing, and a mix
of only very common words hides the cost of rare-term lookups, prefixes and fuzzy
expansion. ``tests/bench/gen_corpus.py`` records document frequencies, adjacent word pairs
and title words in ``OUT/corpus_stats.json``; :func:`query_mix` turns them into queries of
known selectivity. The same stats and seed always give the same list.

Each query is a dict::

    {"kind": "phrase", "query": '"Notlage gelobe"', "since": None, "until": None,
     "sort": None, "terms": ["Notlage", "gelobe"]}

``query`` uses Whoosh's query syntax; ``since``/``until`` are ISO dates (inclusive) or None;
``sort`` is None (by relevance) or ``"date"`` (newest first); ``terms`` are the plain words
for a ``rg`` comparison: every term for AND, the words joined by one space for a phrase, the
prefix without ``*`` for a prefix query, the word without ``~`` for fuzzy. rg counts will
not match the index exactly: it knows no stemming, umlaut folding or fuzziness.
"""

from __future__ import annotations

import json
from pathlib import Path
from random import Random
from typing import Any

KINDS: tuple[str, ...] = (
    "common", "rare", "and", "phrase", "prefix", "fuzzy", "field", "date", "sorted",
)
# Headline template words and organisation suffixes: frequent in titles, but not content.
_TITLE_BOILERPLATE = frozenset({"Wegen", "AG", "Holding", "Stiftung", "Gruppe", "Europe"})


def load_stats(corpus: str | Path) -> dict[str, Any]:
    """Read ``corpus_stats.json`` from a generated corpus folder."""
    return json.loads((Path(corpus) / "corpus_stats.json").read_text(encoding="utf-8"))


def _query(kind: str, query: str, terms: list[str], since: str | None = None,
           until: str | None = None, sort: str | None = None) -> dict[str, Any]:
    return {"kind": kind, "query": query, "since": since, "until": until, "sort": sort,
            "terms": terms}


def _pick(rng: Random, pool: list[Any], k: int) -> list[Any]:
    """k items, distinct unless the pool is smaller than k; deterministic for the seed."""
    if not pool:
        raise ValueError("query_mix: the corpus stats have no words for a query kind")
    return rng.sample(pool, k) if len(pool) >= k else rng.choices(pool, k=k)


def query_mix(stats: dict[str, Any], seed: int = 1, per_kind: int = 3) -> list[dict[str, Any]]:
    """Return ``per_kind`` queries of each kind in :data:`KINDS`, in that order.

    common: one of the 40 most widespread content words; rare: a word seen once in the
    stats sample; and: two common words, or a story's surname with its topic word (plus a
    common word for a three-term AND); phrase: two words that stand side by side inside a
    sentence, or a story's full person name; prefix: the first five letters of a frequent
    long word; fuzzy: a mid-frequency word with ``~``; field: ``title:`` with a frequent
    headline word; date: a common word within a half-year window; sorted: a story surname
    or common word, newest first.
    """
    rng = Random(seed)
    top = [t[0] for t in stats["top_terms"]]
    common = top[:40]
    mid = [t[0] for t in stats["mid_terms"]] or top[100:300] or top
    rare = list(stats["rare_terms"]) or mid
    stories = stats["stories"]["top"]
    out: list[dict[str, Any]] = []

    for w in _pick(rng, common, per_kind):
        out.append(_query("common", w, [w]))
    for w in _pick(rng, rare, per_kind):
        out.append(_query("rare", w, [w]))

    for i in range(per_kind):
        if i % 3 == 0 or not stories:
            terms = _pick(rng, top[:100], 2)
        else:
            story = rng.choice(stories[:10])
            terms = [story["surname"], rng.choice(story["topics"])]
            if i % 3 == 2:
                terms.append(rng.choice([w for w in common if w not in terms]))
        out.append(_query("and", " AND ".join(terms), terms))

    # Prefer pairs with a content word (two function words would match almost everything).
    bigrams = [b for b in stats["bigrams"] if not (b[0].islower() and b[1].islower()
                                                   and len(b[0]) <= 5 and len(b[1]) <= 5)]
    bigrams = bigrams or stats["bigrams"]
    for i in range(per_kind):
        if i == per_kind - 1 and stories:
            words = rng.choice(stories[:10])["person"].split()
        else:
            words = list(rng.choice(bigrams))
        out.append(_query("phrase", f'"{" ".join(words)}"', words))

    long_words = [w for w in top + mid if len(w) >= 8 and w[:5].isalpha()] or top
    for w in _pick(rng, long_words, per_kind):
        prefix = w[:5].lower()
        out.append(_query("prefix", f"{prefix}*", [prefix]))

    fuzzy_pool = [w for w in mid + top[40:] if len(w) >= 6] or mid
    for w in _pick(rng, fuzzy_pool, per_kind):
        out.append(_query("fuzzy", f"{w}~", [w]))

    titles = [w for w, _ in stats["title_terms"]
              if len(w) >= 4 and w not in _TITLE_BOILERPLATE][:60] or common
    for w in _pick(rng, titles, per_kind):
        out.append(_query("field", f"title:{w}", [w]))

    first = int((stats["dates"]["first"] or "2018-01-01")[:4])
    last = int((stats["dates"]["last"] or "2024-12-31")[:4])
    for w in _pick(rng, common, per_kind):
        year = rng.randint(first, max(first, last))
        half = rng.randint(0, 1)
        since = f"{year}-{'07' if half else '01'}-01"
        until = f"{year}-{'12-31' if half else '06-30'}"
        out.append(_query("date", w, [w], since=since, until=until))

    sorted_pool = [s["surname"] for s in stories[:10]] + common[:10]
    for w in _pick(rng, sorted_pool, per_kind):
        out.append(_query("sorted", w, [w], sort="date"))
    return out


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 2:
        sys.exit("usage: python tests/bench/queries.py CORPUS_DIR")
    for q in query_mix(load_stats(sys.argv[1])):
        print(json.dumps(q, ensure_ascii=False))
