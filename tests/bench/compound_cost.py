"""What closed-compound splitting costs a build: CPU time and index size, with and without.

    python -m tests.bench.compound_cost --corpus DIR [--runs 3] [--procs 2]

Each build runs in a fresh process (so the split cache starts empty, as in a real
build), the variants alternate, and the figure is the median over ``--runs``. "without"
is the same German analyzer with :class:`index.compounds.DecompoundFilter` left out of
the chain; everything else (schema, writer, ``procs``) is the same as ``dossier index``.
CPU is user + system time of the build process and its worker processes.
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

_BUILD = r"""
import sys
from pathlib import Path
import index.analysis as analysis
from index.compounds import DecompoundFilter

variant, corpus, out, procs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
if variant == "without":
    full = analysis.german_analyzer

    def german_analyzer():
        from whoosh.analysis import CompositeAnalyzer
        items = [f for f in full().items if not isinstance(f, DecompoundFilter)]
        return CompositeAnalyzer(*items)

    analysis.german_analyzer = german_analyzer
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
    runs: dict[str, list[tuple[float, float, int]]] = {"without": [], "with": []}
    for i in range(args.runs):
        for variant in runs:
            runs[variant].append(_one(variant, args.corpus, args.procs))
            cpu, wall, size = runs[variant][-1]
            print(f"run {i + 1} {variant:8} cpu {cpu:7.2f} s   wall {wall:7.2f} s", flush=True)
    med = {v: tuple(statistics.median(r[i] for r in rs) for i in range(3))
           for v, rs in runs.items()}
    for v, (cpu, wall, size) in med.items():
        print(f"{v:8} cpu {cpu:7.2f} s   wall {wall:7.2f} s   index {size / 1e6:8.2f} MB")
    cpu_pct = 100 * (med["with"][0] / med["without"][0] - 1)
    size_pct = 100 * (med["with"][2] / med["without"][2] - 1)
    print(f"decompounding: build CPU {cpu_pct:+.1f}%, index size {size_pct:+.1f}% "
          f"(median of {args.runs}, procs={args.procs})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
