"""Search quality, measured the way IR people measure it: known-item queries.

A reader remembers something of an article and types it. For articles drawn with a
fixed seed, the queries are made from the article itself:

- ``words5``: five consecutive words of one paragraph (page furniture left out);
- ``words5_quoted``: the same as a phrase;
- ``words5_ascii``: the same typed on an ASCII keyboard (ä -> ae, ß -> ss);
- ``title``, ``title_quoted``, ``title_ascii``: the headline, likewise;
- ``prefix``: the five words with the last one cut to its first 4 letters and
  completed as a prefix (search as you type; only where that word is longer than 5).

For each kind it reports recall@1, recall@10 and MRR (the mean of 1/rank of the
article, 0 when it is not in the first 10). The corpus is the bench generator's
(``tests/bench/gen_corpus.py``) plus the bundled seeds, which are scored apart.
Goals (issue "search finds what a reader types"): recall@10 >= 0.97 for every kind,
recall@1 >= 0.85.

Usage::

    python -m tests.bench.relevance --n 2000 --queries 300 [--out rel.json]

It also prints the decompounder's quality on its gold lists (``index.compounds_eval``).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from random import Random
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                       "ß": "ss"})
WORD = re.compile(r"\w+(?:-\w+)*")
KINDS = ("words5", "words5_quoted", "words5_ascii", "title", "title_quoted", "title_ascii",
         "prefix")
DEPTH = 10
SHOW_MISSES = False


def _clean_text(article: Any) -> str:
    text = article.text
    for a, b in article.furniture:
        text = text[:a] + "\n" * (b - a) + text[b:]
    if article.title and text.startswith(article.title):
        text = text[len(article.title):]
    return text


def _window(text: str, rng: Random, size: int = 5) -> list[str] | None:
    paras = [WORD.findall(p) for p in re.split(r"\n\s*\n", text)]
    paras = [p for p in paras if len(p) >= size]
    if not paras:
        return None
    words = rng.choice(paras)
    start = rng.randrange(0, len(words) - size + 1)
    return words[start:start + size]


def make_queries(article: Any, rng: Random) -> dict[str, str]:
    """The known-item queries of one article, by kind."""
    out: dict[str, str] = {}
    window = _window(_clean_text(article), rng)
    if window:
        plain = " ".join(window)
        out["words5"] = plain
        out["words5_quoted"] = f'"{plain}"'
        out["words5_ascii"] = plain.translate(ASCII)
        if len(window[-1]) > 5:
            out["prefix"] = " ".join(window[:-1] + [window[-1][:4]])
    title = " ".join(WORD.findall(article.title or ""))
    if title:
        out["title"] = title
        out["title_quoted"] = f'"{title}"'
        out["title_ascii"] = title.translate(ASCII)
    return out


def score(ix: Any, items: list[tuple[str, dict[str, str]]]) -> dict[str, dict[str, float]]:
    """recall@1, recall@10, MRR and latency per kind over (doc_id, queries) items."""
    ranks: dict[str, list[int]] = defaultdict(list)
    times: dict[str, list[float]] = defaultdict(list)
    for doc_id, queries in items:
        for kind, q in queries.items():
            t0 = time.perf_counter()
            res = ix.search(q, limit=DEPTH, snippets=0, facets=False, suggest=False,
                            complete_last=(kind == "prefix"))
            times[kind].append((time.perf_counter() - t0) * 1000)
            ids = [h.doc_id for h in res.hits]
            rank = ids.index(doc_id) + 1 if doc_id in ids else 0
            ranks[kind].append(rank)
            if rank != 1 and SHOW_MISSES:
                print(f"  miss {kind} rank={rank}: {q}", file=sys.stderr)
    table: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        rs = ranks.get(kind)
        if not rs:
            continue
        n = len(rs)
        ms = sorted(times[kind])
        table[kind] = {
            "n": n,
            "recall@1": sum(r == 1 for r in rs) / n,
            "recall@10": sum(0 < r <= DEPTH for r in rs) / n,
            "mrr": sum(1 / r for r in rs if r) / n,
            "p50_ms": ms[n // 2],
        }
    return table


def _print(name: str, table: dict[str, dict[str, float]]) -> None:
    print(f"\n{name}")
    print(f"  {'kind':<14} {'n':>5} {'R@1':>6} {'R@10':>6} {'MRR':>6} {'p50 ms':>7}")
    for kind, row in table.items():
        print(f"  {kind:<14} {row['n']:>5} {row['recall@1']:>6.3f} {row['recall@10']:>6.3f} "
              f"{row['mrr']:>6.3f} {row['p50_ms']:>7.1f}")


def _items(ix: Any, rng: Random, count: int, per_article: int = 1) -> list[Any]:
    ids = sorted(ix.ids())
    chosen = ids if count >= len(ids) else rng.sample(ids, count)
    items = []
    for doc_id in chosen:
        art = ix.article(doc_id)
        for _ in range(per_article):
            items.append((doc_id, make_queries(art, rng)))
    return items


def run(n: int, queries: int, seed: int, work: Path, corpus: Path | None) -> dict[str, Any]:
    """Build the corpora, run the known-item queries, return the tables."""
    from index.build import build_index
    from index.search import Index
    from tests.bench import gen_corpus

    report: dict[str, Any] = {"n": n, "queries": queries, "seed": seed}
    seeds_ix = work / "seeds-index"
    build_index([SEEDS], seeds_ix, rebuild=True)
    ix = Index(seeds_ix)
    try:
        report["seeds"] = score(ix, _items(ix, Random(seed), 10, per_article=20))
    finally:
        ix.close()
    if corpus is None:
        corpus = work / "corpus"
        gen_corpus.generate(n, corpus, seed=seed, force=True)
    index_dir = work / "index"
    t0 = time.perf_counter()
    build_index([corpus], index_dir, rebuild=True)
    report["build_s"] = time.perf_counter() - t0
    ix = Index(index_dir)
    try:
        report["articles"] = ix.doc_count()
        report["corpus"] = score(ix, _items(ix, Random(seed), queries))
    finally:
        ix.close()
    # The decompounder's recall on compounds and precision on words that must stay
    # whole, on its gold lists (index/compounds_eval.py).
    from index.compounds_eval import evaluate, format_report

    report["compounds"] = format_report(evaluate())
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="dossier known-item search quality")
    ap.add_argument("--n", type=int, default=2000, help="articles to generate (default 2000)")
    ap.add_argument("--queries", type=int, default=300, help="articles to query (default 300)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--corpus", type=Path, help="use this corpus instead of generating one")
    ap.add_argument("--out", type=Path, help="write the report as JSON here")
    ap.add_argument("--show-misses", action="store_true",
                    help="print every query whose article is not first")
    args = ap.parse_args(argv)
    global SHOW_MISSES
    SHOW_MISSES = args.show_misses
    work = Path(tempfile.mkdtemp(prefix="dossier-relevance-"))
    try:
        report = run(args.n, args.queries, args.seed, work, args.corpus)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _print("seeds (3 articles, 20 query sets each)", report["seeds"])
    _print(f"generated corpus ({report['articles']} articles, {args.queries} sampled)",
           report["corpus"])
    print("\ncompound splitting (gold lists in index/gold/compounds_gold.yaml):")
    print(report["compounds"])
    if args.out:
        args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
