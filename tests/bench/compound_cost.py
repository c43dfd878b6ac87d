"""What closed-compound splitting costs a build: CPU time and index size.

    python -m tests.bench.compound_cost --corpus DIR [--runs 3] [--procs 2]

Three German analyzers, each build in a fresh process (so the word cache starts
empty, as in a real build), alternating, median over ``--runs``:

- ``before``: the chain before closed compounds (``LowercaseFilter`` and
  ``GermanNormalizeFilter`` where ``GermanWordFilter`` is now) and Whoosh's own
  posting formats (no ``OverlapPositions``);
- ``nosplit``: today's chain with the splitter switched off (what the one-pass
  filter alone changes);
- ``with``: today's chain, as ``dossier index`` runs it.

Schema, writer and ``procs`` are those of ``dossier index``. CPU is user + system
time of the build process and its worker processes.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VARIANTS = ("before", "nosplit", "with")

_BUILD = r"""
import sys
from pathlib import Path
import index.analysis as analysis

variant, corpus, out, procs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
if variant == "before":
    from whoosh.analysis import CompositeAnalyzer, LowercaseFilter
    full = analysis.german_analyzer

    def german_analyzer():
        items = []
        for f in full().items:
            if isinstance(f, analysis.GermanWordFilter):
                items += [LowercaseFilter(), analysis.GermanNormalizeFilter()]
            else:
                items.append(f)
        return CompositeAnalyzer(*items)

    analysis.german_analyzer = german_analyzer
    import index.schema as schema
    schema._discount_overlaps = lambda field: field  # Whoosh's own formats, as before
elif variant == "nosplit":
    analysis.compound_parts = lambda text, folded: ()
from index.build import build_index
build_index([Path(corpus)], Path(out), rebuild=True, procs=procs)
"""


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _one(variant: str, corpus: Path, procs: int) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, index bytes) of one build in a fresh process."""
    out = Path(tempfile.mkdtemp(prefix=f"dossier-cc-{variant}-"))
    try:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        subprocess.run([sys.executable, "-c", _BUILD, variant, str(corpus), str(out / "ix"),
                        str(procs)], check=True, env=env)
        wall = time.monotonic() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return cpu, wall, _size(out / "ix")
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--procs", type=int, default=min(2, os.cpu_count() or 1))
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"compound_cost: no such folder: {args.corpus}", file=sys.stderr)
        return 2
    runs: dict[str, list[tuple[float, float, int]]] = {v: [] for v in VARIANTS}
    for i in range(args.runs):
        for variant in VARIANTS:
            runs[variant].append(_one(variant, args.corpus, args.procs))
            cpu, wall, size = runs[variant][-1]
            print(f"run {i + 1} {variant:8} cpu {cpu:7.2f} s   wall {wall:7.2f} s", flush=True)
    med = {v: tuple(statistics.median(r[i] for r in rs) for i in range(3))
           for v, rs in runs.items()}
    for v, (cpu, wall, size) in med.items():
        print(f"{v:8} cpu {cpu:7.2f} s   wall {wall:7.2f} s   index {size / 1e6:8.2f} MB")
    for base in ("before", "nosplit"):
        cpu_pct = 100 * (med["with"][0] / med[base][0] - 1)
        size_pct = 100 * (med["with"][2] / med[base][2] - 1)
        print(f"with vs {base}: build CPU {cpu_pct:+.1f}%, index size {size_pct:+.1f}%")
    print(f"(median of {args.runs}, procs={args.procs})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
