"""The naive Whoosh set-up of ``index/whoosh_notes.md``, as the benchmark's second yardstick.

Stock everything: ``TEXT(stored=True, analyzer=LanguageAnalyzer('de'))`` body holding the
whole file, a stored title (first line, or ``title:`` of the front matter), a sortable day
number (taken from the generator's manifest, so the baseline does no date extraction at
all), the stock ``QueryParser`` (plus ``FuzzyTermPlugin`` so that ``word~`` parses), and the
default highlighter ``hit.highlights("body")`` for the top 20. No warm-up, no caches.

Usage (run by ``run_bench.py`` in subprocesses, so that RSS and imports are its own)::

    python -m tests.bench.naive_whoosh build --corpus DIR --index DIR [--procs 2]
    python -m tests.bench.naive_whoosh query --corpus DIR --index DIR --runs 3 [--per-kind 10]

``query`` prints one JSON object: per-query latencies (ms), the first query after open, and
timeline timings.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.queries import load_stats, query_mix  # noqa: E402

MANIFEST = "corpus_manifest.tsv.gz"


def _manifest_days(corpus: Path) -> dict[str, int]:
    days: dict[str, int] = {}
    with gzip.open(corpus / MANIFEST, "rt", encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            days[parts[0]] = date.fromisoformat(parts[1]).toordinal() if parts[1] else 0
    return days


def _title(text: str) -> str:
    if text.startswith("---\n"):
        for line in text.splitlines()[1:12]:
            if line.startswith("title:"):
                return line[6:].strip().strip('"')
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def schema() -> Any:
    from whoosh.analysis import LanguageAnalyzer
    from whoosh.fields import ID, NUMERIC, TEXT, Schema

    return Schema(
        path=ID(stored=True, unique=True),
        title=TEXT(stored=True, analyzer=LanguageAnalyzer("de")),
        body=TEXT(stored=True, analyzer=LanguageAnalyzer("de")),
        day=NUMERIC(stored=True, sortable=True),
    )


def build(corpus: Path, index_dir: Path, procs: int = 1) -> dict[str, Any]:
    from whoosh import index as windex

    t0 = time.perf_counter()
    days = _manifest_days(corpus)
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = windex.create_in(str(index_dir), schema())
    kw: dict[str, Any] = {"limitmb": 256}
    if procs > 1:
        kw.update(procs=procs, multisegment=True)
    w = ix.writer(**kw)
    n = 0
    for rel in sorted(days):
        text = (corpus / rel).read_text("utf-8", errors="replace")
        w.add_document(path=rel, title=_title(text), body=text, day=days[rel])
        n += 1
    w.commit()
    return {"articles": n, "seconds": time.perf_counter() - t0, "procs": procs}


def _parser(ix: Any) -> Any:
    from whoosh.qparser import FuzzyTermPlugin, QueryParser

    p = QueryParser("body", ix.schema)
    p.add_plugin(FuzzyTermPlugin())
    return p


def run_query(s: Any, parser: Any, q: dict[str, Any]) -> int:
    """One query as the naive set-up does it: top 20 with default highlights."""
    from whoosh.query import NumericRange
    from whoosh.sorting import FieldFacet

    wq = parser.parse(q["query"])
    flt = None
    if q["since"] or q["until"]:
        flt = NumericRange("day", date.fromisoformat(q["since"]).toordinal(),
                           date.fromisoformat(q["until"]).toordinal())
    sortedby = FieldFacet("day", reverse=True) if q["sort"] == "date" else None
    results = s.search(wq, limit=20, filter=flt, sortedby=sortedby)
    for hit in results:
        hit.highlights("body")
    return len(results)


def timeline(s: Any, parser: Any, text: str) -> int:
    """Hits per month the naive way: every matching document's stored day."""
    from whoosh.query import Every

    months: Counter[int] = Counter()
    for d in s.docs_for_query(parser.parse(text) if text else Every()):
        day = s.stored_fields(d).get("day") or 0
        if day:
            months[date.fromordinal(day).replace(day=1).toordinal()] += 1
    return len(months)


def queries(corpus: Path, index_dir: Path, runs: int, per_kind: int,
            timeline_terms: list[str]) -> dict[str, Any]:
    from whoosh import index as windex

    mix = query_mix(load_stats(corpus), seed=1, per_kind=per_kind)
    t0 = time.perf_counter()
    ix = windex.open_dir(str(index_dir))
    s = ix.searcher()
    parser = _parser(ix)
    run_query(s, parser, mix[0])
    first_ms = (time.perf_counter() - t0) * 1000
    lat: list[dict[str, Any]] = []
    for _ in range(runs):
        for q in mix:
            t = time.perf_counter()
            n = run_query(s, parser, q)
            lat.append({"kind": q["kind"], "query": q["query"], "hits": n,
                        "ms": (time.perf_counter() - t) * 1000})
    tl: dict[str, list[float]] = {}
    for term in timeline_terms:
        tl[term] = []
        for _ in range(runs):
            t = time.perf_counter()
            timeline(s, parser, term)
            tl[term].append((time.perf_counter() - t) * 1000)
    s.close()
    return {"first_query_ms": first_ms, "latencies": lat, "timeline_ms": tl}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=("build", "query"))
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--procs", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--per-kind", type=int, default=10)
    ap.add_argument("--timeline", action="append", default=[])
    args = ap.parse_args(argv)
    if args.command == "build":
        out = build(args.corpus, args.index, args.procs)
    else:
        out = queries(args.corpus, args.index, args.runs, args.per_kind, args.timeline)
    out["pid"] = os.getpid()
    json.dump(out, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
