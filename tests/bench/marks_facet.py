"""Per-keystroke cost of the marks facet and of one mark change, with 500 marks.

Usage (after building an index of a generated corpus, see README.md here):

    .venv/bin/python -m tests.bench.marks_facet /tmp/dossier-bench/ix10k

Prints the search p50 and the marks-facet p50 for three queries, and the mean time
of one mark change (a SQLite transaction in WAL mode). The marks database is made in
a temporary folder.
"""

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from index.marks import Marks
from index.search import Index
from tui.marking import MarkKeeper


def main() -> None:
    ix = Index(sys.argv[1])
    ids = ix.ids()
    random.seed(1)
    chosen = random.sample(ids, min(500, len(ids)))
    with tempfile.TemporaryDirectory() as tmp:
        m = Marks(Path(tmp) / "marks.sqlite3")
        t0 = time.perf_counter()
        for i, d in enumerate(chosen):
            if i % 2:
                m.toggle_bookmark(d, content_hash="h", path="p", title="t")
            m.add_tags(d, [f"t{i % 10}"], content_hash="h", path="p", title="t")
        changes = len(chosen) + len(chosen) // 2
        write_ms = (time.perf_counter() - t0) * 1000 / changes
        keeper = MarkKeeper()
        keeper._marks, keeper.off = m, None
        for q in ("Casino", "Krabbe", ""):
            a, b = [], []
            for _ in range(15):
                t = time.perf_counter()
                ix.search(q, limit=100, snippets=30, facets=True, suggest=False)
                a.append(time.perf_counter() - t)
                t = time.perf_counter()
                keeper.facet(ix, q, None, None, None, None)
                b.append(time.perf_counter() - t)
            print(f"{q or '(empty)'}: search p50 {statistics.median(a) * 1000:.1f} ms, "
                  f"marks facet p50 {statistics.median(b) * 1000:.2f} ms")
        print(f"one mark change (a SQLite transaction, WAL): {write_ms:.2f} ms on average")
        m.close()
    ix.close()


if __name__ == "__main__":
    main()
