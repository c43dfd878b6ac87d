"""The dossier benchmark: one command, one table, one JSON file.

    python -m tests.bench.run_bench --n 10000 [--corpus DIR] [--out results.json]
        [--skip-naive] [--skip-tui] [--runs 3]

Measures, in this order and on the same files (see ``tests/bench/README.md``, "Results"):

1. index build: ``dossier index --rebuild`` in a subprocess (wall, articles/s, CPU time,
   peak RSS over the process and its worker processes from ``wait4``, size on disk);
2. incremental update of 1 and of 100 changed files: a line with a unique word is
   appended to each, ``dossier index`` runs, and the time until the word is found by a
   freshly opened ``Index`` is taken; then the files are restored and re-indexed;
3. cold start of ``dossier search TERM`` (whole process) and of the TUI (``tui_latency.py
   startup``: process start to the first interactive frame, and to the first results);
4. query latency over the seeded mix of ``queries.py`` on a warm ``Index`` in this process:
   ``search(q, limit=20, snippets=20, facets=True)``; and the first query after opening
   the index in a fresh process (imports excluded);
5. timeline buckets for a broad query and for everything;
6. keystroke to results painted in the TUI through Pilot (``tui_latency.py keys``);
7. side by side: ``rg -i -l -F TERM DIR`` and ``grep -ril -F TERM DIR`` for the queries'
   terms, and the naive Whoosh set-up (``naive_whoosh.py``) built and queried the same way.

Every figure is the median of ``--runs`` repetitions (latency percentiles are over all
repetitions of all queries). Nothing is installed: missing tools are named with the
Debian package that has them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.queries import KINDS, load_stats, query_mix  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
WORK = Path("/tmp/dossier-bench")
MARK_WORD = "Quendelbenchmarkwort"  # appended to changed files; in no corpus


# -- helpers ---------------------------------------------------------------------------------

def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of *values*."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def run(cmd: list[str], env: dict[str, str] | None = None, check: bool = True,
        stdout: int | None = subprocess.PIPE) -> dict[str, Any]:
    """Run *cmd*; wall time, CPU time and peak RSS (max over the process tree that was
    waited for: Linux ``wait4`` reports the larger of the child's and its children's)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, env=env)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    if check and proc.returncode not in (0,):
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): "
                           f"{(err or b'').decode(errors='replace')[-2000:]}")
    return {"wall": wall, "rc": proc.returncode, "stdout": (out or b"").decode(errors="replace"),
            "stderr": (err or b"").decode(errors="replace")}


def run_rusage(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Like :func:`run` but with ``wait4``: peak RSS (MB) and CPU seconds of the child tree."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    # Drain pipes in threads is overkill here: the commands print little.
    _pid, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-2000:]}")
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "maxrss_mb": ru.ru_maxrss / 1024,
            "stdout": out, "stderr": err}


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def dossier_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("dossier")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("dossier")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from cli.main import main; sys.exit(main())"]


def check_tools(need_corpus: bool, skip_rg: bool) -> list[str]:
    missing = []
    if not skip_rg and not shutil.which("rg"):
        missing.append("rg (Debian package: ripgrep -> apt-get install -y ripgrep)")
    if not skip_rg and not shutil.which("grep"):
        missing.append("grep (Debian package: grep)")
    if need_corpus and not Path("/usr/share/dict/ngerman").exists():
        missing.append("/usr/share/dict/ngerman (Debian package: wngerman -> "
                       "apt-get update && apt-get install -y wngerman)")
    return missing


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {loadavg()}] {msg}", file=sys.stderr, flush=True)


class Steps:
    """Runs the benchmark's steps one by one: each result (or its error, in
    ``res["errors"]``) lands in *res* with the load average before and after, and *res*
    is written to *out* after every step, so a failed or interrupted run keeps what it
    measured. Shared by ``run_bench`` and ``goals``."""

    def __init__(self, res: dict[str, Any], out: Path | None) -> None:
        self.res, self.out = res, out

    def save(self) -> None:
        if self.out:
            self.out.write_text(json.dumps(self.res, indent=1, default=str) + "\n")

    def __call__(self, key: str, fn: Any, *a: Any) -> Any:
        la = loadavg()
        t = time.perf_counter()
        try:
            self.res[key] = fn(*a)
        except Exception as exc:  # noqa: BLE001 - one failed step must not lose the others
            self.res.setdefault("errors", {})[key] = str(exc)[-2000:]
            log(f"{key} FAILED: {str(exc).splitlines()[0][:300] if str(exc) else exc!r}")
        self.res["loadavg"][key] = f"{la} -> {loadavg()}"
        log(f"{key} done in {time.perf_counter() - t:.1f} s")
        self.save()
        return self.res.get(key)


# -- the measurements ------------------------------------------------------------------------

def bench_build(corpus: Path, index: Path, n: int, runs: int) -> dict[str, Any]:
    rows = []
    for i in range(runs):
        la = loadavg()
        r = run_rusage([*dossier_cmd(), "index", "--rebuild", "--corpus", str(corpus),
                        "--index", str(index)])
        rows.append({"wall": r["wall"], "cpu": r["cpu"], "maxrss_mb": r["maxrss_mb"],
                     "load": la, "out": r["stdout"].strip()})
        log(f"build {i + 1}/{runs}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, "
            f"{r['maxrss_mb']:.0f} MB")
    wall = med([x["wall"] for x in rows])
    return {"runs": rows, "wall_s": wall, "articles_per_s": n / wall,
            "cpu_s": med([x["cpu"] for x in rows]), "articles_per_cpu_s":
            n / med([x["cpu"] for x in rows]),
            "peak_rss_mb": max(x["maxrss_mb"] for x in rows), "size_mb": du_mb(index)}


def _article_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md") and p.is_file())


def _visible(index: Path, word: str, want: int, timeout: float = 30.0) -> float:
    """Seconds until a freshly opened Index finds *want* articles with *word*."""
    from index.search import Index

    t0 = time.perf_counter()
    while True:
        ix = Index(index)
        try:
            got = ix.search(word, limit=200, snippets=0, facets=False).total
        finally:
            ix.close()
        if got == want or time.perf_counter() - t0 > timeout:
            return time.perf_counter() - t0 if got == want else float("nan")
        time.sleep(0.01)


def bench_incremental(corpus: Path, index: Path, counts: tuple[int, ...],
                      runs: int) -> dict[str, Any]:
    __import__("index.search")  # imported once, not inside the timed part

    files = _article_files(corpus)
    out: dict[str, Any] = {}
    for k in counts:
        step = max(1, len(files) // k)
        chosen = files[::step][:k]
        rows = []
        for r in range(runs):
            word = f"{MARK_WORD}{chr(97 + r)}{k}x"
            saved = {p: p.read_bytes() for p in chosen}
            la = loadavg()
            try:
                t0 = time.perf_counter()
                for p in chosen:
                    with open(p, "a", encoding="utf-8") as fh:
                        fh.write(f"\n\nNachtrag: {word} erwähnt.\n")
                upd = run_rusage([*dossier_cmd(), "index", "--corpus", str(corpus),
                                  "--index", str(index)])
                t_upd = time.perf_counter() - t0
                vis = _visible(index, word, len(chosen))
                total = time.perf_counter() - t0
            finally:
                for p, data in saved.items():
                    p.write_bytes(data)
            back = run_rusage([*dossier_cmd(), "index", "--corpus", str(corpus),
                               "--index", str(index)])
            rows.append({"update_wall": upd["wall"], "update_cpu": upd["cpu"],
                         "until_searchable": total, "search_after": vis,
                         "restore_wall": back["wall"], "load": la,
                         "out": upd["stdout"].strip(), "setup": t_upd - upd["wall"]})
            log(f"incremental {k}: update {upd['wall']:.2f} s, searchable after "
                f"{total:.2f} s ({upd['stdout'].strip()})")
        out[str(k)] = {"runs": rows, "update_s": med([x["update_wall"] for x in rows]),
                       "searchable_s": med([x["until_searchable"] for x in rows]),
                       "restore_s": med([x["restore_wall"] for x in rows])}
    return out


def bench_cli_search(corpus: Path, index: Path, term: str, runs: int) -> dict[str, Any]:
    rows = []
    for _ in range(runs + 1):
        r = run([*dossier_cmd(), "search", term, "--corpus", str(corpus), "--index", str(index),
                 "--limit", "20"])
        rows.append(r["wall"])
    rows = rows[1:]  # the first run warms the file cache
    imp = []
    for _ in range(runs):
        r = run([sys.executable, "-X", "importtime", "-c", "import index.search"])
        total = 0
        for line in r["stderr"].splitlines():
            parts = line.split("|")
            if len(parts) == 3 and parts[2].strip() == "index.search":
                total = int(parts[1])
        imp.append(total / 1e6)
    py = [run([sys.executable, "-c", "pass"])["wall"] for _ in range(runs)]
    return {"term": term, "walls": rows, "wall_s": med(rows), "import_index_search_s": med(imp),
            "python_startup_s": med(py)}


def bench_first_query(index: Path, q: dict[str, Any], runs: int) -> dict[str, Any]:
    code = (
        "import sys, time, json, datetime as dt\n"
        "from index.search import Index\n"
        "q = json.loads(sys.argv[2])\n"
        "t0 = time.perf_counter(); ix = Index(sys.argv[1]); t1 = time.perf_counter()\n"
        "d = lambda s: dt.date.fromisoformat(s) if s else None\n"
        "r = ix.search(q['query'], limit=20, snippets=20, since=d(q['since']),"
        " until=d(q['until']), sort='date' if q['sort'] else 'relevance')\n"
        "t2 = time.perf_counter()\n"
        "print(json.dumps({'open': t1 - t0, 'query': t2 - t1, 'total': t2 - t0}))\n"
    )
    rows = [json.loads(run([sys.executable, "-c", code, str(index), json.dumps(q)])["stdout"])
            for _ in range(runs)]
    return {"query": q["query"], "open_ms": med([r["open"] * 1000 for r in rows]),
            "first_query_ms": med([r["query"] * 1000 for r in rows]),
            "open_plus_query_ms": med([r["total"] * 1000 for r in rows])}


def _search(ix: Any, q: dict[str, Any]) -> Any:
    d = dt.date.fromisoformat
    return ix.search(q["query"], limit=20, snippets=20, facets=True,
                     since=d(q["since"]) if q["since"] else None,
                     until=d(q["until"]) if q["until"] else None,
                     sort="date" if q["sort"] == "date" else "relevance")


def bench_queries(index: Path, mix: list[dict[str, Any]], runs: int) -> dict[str, Any]:
    from index.search import Index

    ix = Index(index)
    ix.warm_up()
    for q in mix:  # one untimed pass: OS cache and searcher caches warm
        _search(ix, q)
    lat: list[dict[str, Any]] = []
    for _ in range(runs):
        for q in mix:
            t = time.perf_counter()
            r = _search(ix, q)
            ms = (time.perf_counter() - t) * 1000
            lat.append({"kind": q["kind"], "query": q["query"], "ms": ms, "hits": r.total})
    ix.close()
    return summarize(lat)


def summarize(lat: list[dict[str, Any]]) -> dict[str, Any]:
    allms = [x["ms"] for x in lat]
    by_kind = {}
    for kind in KINDS:
        ms = [x["ms"] for x in lat if x["kind"] == kind]
        if ms:
            by_kind[kind] = {"p50": pct(ms, 50), "p95": pct(ms, 95), "max": max(ms)}
    slowest = sorted(lat, key=lambda x: -x["ms"])[:5]
    return {"p50": pct(allms, 50), "p95": pct(allms, 95), "p99": pct(allms, 99),
            "samples": len(allms), "by_kind": by_kind,
            "slowest": [{k: x[k] for k in ("kind", "query", "ms")} for x in slowest]}


def bench_timeline(index: Path, terms: list[str], runs: int) -> dict[str, Any]:
    from index.search import Index

    ix = Index(index)
    ix.warm_up()
    out = {}
    for term in terms:
        ix.timeline(term)
        ms = []
        for _ in range(runs):
            t = time.perf_counter()
            tl = ix.timeline(term)
            ms.append((time.perf_counter() - t) * 1000)
        out[term or "(all)"] = {"median_ms": med(ms), "buckets": len(tl.buckets),
                                "hits": tl.total_hits, "granularity": tl.granularity}
    ix.close()
    return out


def scan_terms(mix: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(kind, fixed string) for rg/grep: the first query of each kind; for AND the first
    term (a lower bound of what an AND costs rg), the words of a phrase with one space."""
    seen: dict[str, str] = {}
    for q in mix:
        if q["kind"] in seen:
            continue
        seen[q["kind"]] = " ".join(q["terms"]) if q["kind"] == "phrase" else q["terms"][0]
    return list(seen.items())


def bench_scan(tool: str, corpus: Path, terms: list[tuple[str, str]],
               runs: int) -> dict[str, Any]:
    base = {"rg": ["rg", "-i", "-l", "-F"], "grep": ["grep", "-r", "-i", "-l", "-F"]}[tool]
    out = {}
    run([*base, terms[0][1], str(corpus)], check=False)  # page cache warm
    for kind, term in terms:
        ms = []
        files = 0
        for _ in range(runs):
            r = run([*base, term, str(corpus)], check=False)
            ms.append(r["wall"] * 1000)
            files = len(r["stdout"].splitlines())
        out[kind] = {"term": term, "median_ms": med(ms), "files": files}
    out["_all_median_ms"] = med([v["median_ms"] for v in out.values()])
    return out


def bench_naive(corpus: Path, index: Path, n: int, runs: int, per_kind: int, procs: int,
                timeline_terms: list[str], reuse: bool) -> dict[str, Any]:
    mod = [sys.executable, "-m", "tests.bench.naive_whoosh"]
    res: dict[str, Any] = {"procs": procs}
    if not reuse or not list(index.glob("_MAIN_*.toc")):
        shutil.rmtree(index, ignore_errors=True)
        la = loadavg()
        b = run_rusage([*mod, "build", "--corpus", str(corpus), "--index", str(index),
                        "--procs", str(procs)])
        res["build"] = {"wall_s": b["wall"], "articles_per_s": n / b["wall"], "cpu_s": b["cpu"],
                        "peak_rss_mb": b["maxrss_mb"], "size_mb": du_mb(index), "load": la}
        log(f"naive build: {b['wall']:.1f} s")
    else:
        res["build"] = {"reused": True, "size_mb": du_mb(index)}
    tl_args = [a for t in timeline_terms for a in ("--timeline", t)]
    q = run_rusage([*mod, "query", "--corpus", str(corpus), "--index", str(index),
                    "--runs", str(runs), "--per-kind", str(per_kind), *tl_args])
    data = json.loads(q["stdout"])
    res["queries"] = summarize(data["latencies"])
    res["first_query_ms"] = data["first_query_ms"]
    res["timeline"] = {t: med(v) for t, v in data["timeline_ms"].items()}
    res["query_process_peak_rss_mb"] = q["maxrss_mb"]
    return res


def bench_tui(corpus: Path, index: Path, words: list[str], runs: int) -> dict[str, Any]:
    mod = [sys.executable, "-m", "tests.bench.tui_latency"]
    starts = []
    for _ in range(runs + 1):
        env = dict(os.environ, DOSSIER_BENCH_T0=repr(time.time()))
        r = run_rusage([*mod, "startup", "--corpus", str(corpus), "--index", str(index)],
                       env=env)
        d = json.loads(r["stdout"].strip().splitlines()[-1])
        d["peak_rss_mb"] = r["maxrss_mb"]
        starts.append(d)
    starts = starts[1:]
    marks = {k: med([s["marks_s"].get(k, float("nan")) for s in starts])
             for k in ("imports_done", "mounted", "first_frame", "index_ready", "first_results")}
    word_args = [a for w in words for a in ("--word", w)]
    r = run_rusage([*mod, "keys", "--corpus", str(corpus), "--index", str(index), *word_args,
                    "--reps", str(runs)])
    d = json.loads(r["stdout"].strip().splitlines()[-1])
    ms = [s["ms"] for s in d["samples"]]
    return {
        "startup_s": marks,
        "input_focused_at_first_frame": all(s["marks_s"].get("input_focused") for s in starts),
        "keys": {"p50": pct(ms, 50), "p95": pct(ms, 95), "max": max(ms) if ms else None,
                 "samples": len(ms), "errors": d["errors"][:20],
                 "app_latencies_p50": pct(d["app_latencies_ms"], 50),
                 "app_latencies_p95": pct(d["app_latencies_ms"], 95),
                 "search_ms_p95": pct([s["search_ms"] for s in d["samples"]], 95),
                 "slowest": sorted(d["samples"], key=lambda s: -s["ms"])[:5],
                 "startup_reindex_wait_s": d.get("startup_reindex_wait_s")},
        "peak_rss_mb": max(r["maxrss_mb"], d["vm_hwm_mb"]),
        "rss_at_end_anon_mb": d.get("rss_anon_mb"), "rss_at_end_file_mb": d.get("rss_file_mb"),
        "startup_peak_rss_mb": max(s["peak_rss_mb"] for s in starts),
    }


def profile_build(folder: Path, out_dir: Path) -> dict[str, Any]:
    """Where a build's time goes, per article: an in-process single-writer build
    (``procs=1``) of *folder* with the stages of ``index.build._document`` and the
    writer timed by wrappers (wall time of each stage, this process only)."""
    import index.build as b

    acc: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def timed(name: str, fn: Any) -> Any:
        def wrapper(*a: Any, **k: Any) -> Any:
            t, c = time.perf_counter(), time.process_time()
            try:
                return fn(*a, **k)
            finally:
                acc[name] = acc.get(name, 0.0) + time.perf_counter() - t
                cpu[name] = cpu.get(name, 0.0) + time.process_time() - c
        return wrapper

    orig = {k: getattr(b, k) for k in ("read_article", "extract_metadata", "extract_events",
                                        "_mentioned", "mask_furniture", "_document", "discover",
                                        "_writer")}

    def writer(*a: Any, **k: Any) -> Any:
        w = orig["_writer"](*a, **k)
        w.add_document = timed("writer.add_document (analysis, postings)", w.add_document)
        w.update_document = timed("writer.add_document (analysis, postings)",
                                  w.update_document)
        w.commit = timed("writer.commit (flush, merge)", w.commit)
        return w

    b.read_article = timed("read_article (read, decode, front matter)", orig["read_article"])
    b.extract_metadata = timed("extract_metadata (title, date, source, language, furniture)",
                               orig["extract_metadata"])
    b.extract_events = timed("extract_events", orig["extract_events"])
    b._mentioned = timed("_mentioned", orig["_mentioned"])
    b.mask_furniture = timed("mask_furniture", orig["mask_furniture"])
    b._document = timed("_document (all of the above + records)", orig["_document"])
    b.discover = timed("discover", orig["discover"])
    b._writer = writer
    shutil.rmtree(out_dir, ignore_errors=True)
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        rep = b.build_index([folder], out_dir, rebuild=True, procs=1)
    finally:
        for k, v in orig.items():
            setattr(b, k, v)
    wall, cpu_all = time.perf_counter() - t0, time.process_time() - c0
    n = rep.added
    stages = {k: {"wall_s": v, "cpu_s": cpu[k],
                  "cpu_ms_per_article": cpu[k] / max(1, n) * 1000,
                  "cpu_share": cpu[k] / max(1e-9, cpu_all)}
              for k, v in sorted(acc.items(), key=lambda kv: -cpu[kv[0]])}
    return {"folder": str(folder), "articles": n, "wall_s": wall, "cpu_s": cpu_all,
            "articles_per_s": n / wall, "stages": stages, "loadavg": loadavg()}


# -- report ----------------------------------------------------------------------------------

def _f(x: Any, unit: str = "", nd: int = 1) -> str:
    if x is None or (isinstance(x, float) and x != x):
        return "-"
    if isinstance(x, (int, float)):
        return f"{x:,.{nd}f}{unit}"
    return str(x)


def _ratio(other: Any, ours: Any) -> str:
    try:
        if not ours or other is None or other != other or ours != ours:
            return "-"
        return f"{other / ours:,.1f}x"
    except TypeError:
        return "-"


def table(res: dict[str, Any]) -> str:
    rows: list[tuple[str, str, str, str, str, str]] = []
    b = res.get("build", {})
    nv = res.get("naive", {})
    nb = nv.get("build", {})
    rg = res.get("rg", {})
    gp = res.get("grep", {})
    rg_all = rg.get("_all_median_ms")
    gp_all = gp.get("_all_median_ms")
    if b:
        rows.append(("build articles/s", _f(b["articles_per_s"], "", 0),
                     _f(nb.get("articles_per_s"), "", 0), _ratio(b["articles_per_s"],
                     nb.get("articles_per_s")), "", ">= 1,000/s"))
        rows.append(("build wall / CPU s", f"{b['wall_s']:.1f} / {b['cpu_s']:.1f}",
                     _f(nb.get("wall_s")), "", "", ""))
        rows.append(("build peak RSS MB", _f(b["peak_rss_mb"], "", 0),
                     _f(nb.get("peak_rss_mb"), "", 0), "", "", ""))
        rows.append(("index size MB", _f(b["size_mb"], "", 0), _f(nb.get("size_mb"), "", 0),
                     "", "", ""))
    inc = res.get("incremental", {})
    for k, v in inc.items():
        rows.append((f"update {k} file(s) -> searchable s", _f(v["searchable_s"], "", 2), "", "",
                     "", "<= 1 s" if k == "1" else ""))
    cs = res.get("cli_search")
    if cs:
        rows.append(("cold `dossier search` s", _f(cs["wall_s"], "", 2), "", "",
                     _f(rg_all / 1000 if rg_all else None, "", 2) + " (rg)", ""))
    fq = res.get("first_query")
    if fq:
        rows.append(("open + first query ms", _f(fq["open_plus_query_ms"]),
                     _f(nv.get("first_query_ms")),
                     _ratio(nv.get("first_query_ms"), fq["open_plus_query_ms"]), "", ""))
    q = res.get("queries")
    nq = nv.get("queries", {})
    if q:
        for p in ("p50", "p95", "p99"):
            rows.append((f"query+snippets {p} ms", _f(q[p], "", 1), _f(nq.get(p)),
                         _ratio(nq.get(p), q[p]), _ratio(rg_all, q[p]),
                         "<= 30 ms" if p == "p95" else ""))
        for kind, v in q["by_kind"].items():
            nk = nq.get("by_kind", {}).get(kind, {})
            rk = rg.get(kind, {}).get("median_ms")
            rows.append((f"  {kind} p50 / p95 ms", f"{v['p50']:.1f} / {v['p95']:.1f}",
                         f"{_f(nk.get('p50'))} / {_f(nk.get('p95'))}",
                         _ratio(nk.get("p95"), v["p95"]), _ratio(rk, v["p95"]),
                         "<= 100 ms" if kind == "prefix" else ""))
    for term, v in res.get("timeline", {}).items():
        nt = nv.get("timeline", {}).get(term if term != "(all)" else "")
        rows.append((f"timeline '{term}' ms", _f(v["median_ms"]), _f(nt),
                     _ratio(nt, v["median_ms"]), "", ""))
    tui = res.get("tui")
    if tui:
        s = tui["startup_s"]
        rows.append(("TUI first interactive frame s", _f(s["first_frame"], "", 2), "", "", "",
                     "<= 0.7 s"))
        rows.append(("TUI first results painted s", _f(s["first_results"], "", 2), "", "", "",
                     ""))
        k = tui["keys"]
        rows.append(("TUI key->painted p50 / p95 ms", f"{k['p50']:.0f} / {k['p95']:.0f}", "",
                     "", "", "p95 <= 150 ms"))
        rows.append(("TUI peak RSS MB", _f(tui["peak_rss_mb"], "", 0), "", "", "", "<= 300 MB"))
    if rg:
        rows.append(("rg -i -l median ms", _f(rg_all, "", 0), "", "", "", ""))
    if gp:
        rows.append(("grep -ril median ms", _f(gp_all, "", 0), "", "", "", ""))
    head = ("metric", "dossier", "naive Whoosh", "naive/ours", "rg/ours", "target")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(6)]
    def line(r: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(head), sep, *map(line, rows)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="dossier benchmark suite")
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--corpus", type=Path, default=None,
                    help="default: /tmp/dossier-bench/c{N/1000}k, generated if missing")
    ap.add_argument("--index", type=Path, default=None, help="default: WORK/idx-{name}")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--per-kind", type=int, default=10, help="queries per kind in the mix")
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument("--skip-tui", action="store_true")
    ap.add_argument("--skip-scan", action="store_true", help="no rg/grep")
    ap.add_argument("--skip-build", action="store_true",
                    help="reuse the index if it exists (no build figures)")
    ap.add_argument("--skip-incremental", action="store_true")
    ap.add_argument("--build-runs", type=int, default=1,
                    help="full builds to time (default 1: a build is long)")
    ap.add_argument("--naive-procs", type=int, default=None,
                    help="naive build writers (default 1 up to 20k articles, else 2 with "
                         "multisegment, index/whoosh_notes.md pitfall 7)")
    ap.add_argument("--naive-per-kind", type=int, default=None,
                    help="queries per kind for the naive set-up (default: --per-kind; its "
                         "query phase took over 10 minutes at 100k with 10)")
    ap.add_argument("--naive-reuse", action="store_true",
                    help="query the naive index of an earlier run (no naive build figures)")
    ap.add_argument("--profile-build", type=Path, default=None, metavar="FOLDER",
                    help="only time the build stages per article on FOLDER (in-process, "
                         "one writer) and print them as JSON")
    args = ap.parse_args(argv)
    if args.profile_build:
        prof = profile_build(args.profile_build.resolve(), WORK / "profile-build-idx")
        print(json.dumps(prof, indent=1))
        return 0

    name = f"c{args.n // 1000}k" if args.n % 1000 == 0 else f"c{args.n}"
    corpus = (args.corpus or WORK / name).resolve()
    index = (args.index or WORK / f"idx-{corpus.name}").resolve()
    naive_index = WORK / f"naive-{corpus.name}"
    need_corpus = not (corpus / "corpus_stats.json").exists()
    missing = check_tools(need_corpus, args.skip_scan)
    if missing:
        print("run_bench: missing, install first (nothing is installed by this script):\n  "
              + "\n  ".join(missing), file=sys.stderr)
        return 2
    if need_corpus:
        from tests.bench.gen_corpus import generate

        log(f"generating {args.n} articles in {corpus}")
        generate(args.n, corpus, seed=1)
    stats = load_stats(corpus)
    n = stats["n"]
    mix = query_mix(stats, seed=1, per_kind=args.per_kind)
    common = stats["top_terms"][0][0]
    res: dict[str, Any] = {
        "date": dt.datetime.now().isoformat(timespec="seconds"), "n": n, "corpus": str(corpus),
        "index": str(index), "runs": args.runs, "per_kind": args.per_kind,
        "command": "python -m tests.bench.run_bench " + " ".join(sys.argv[1:] if argv is None
                                                                   else argv),
        "cpus": os.cpu_count(), "loadavg": {"start": loadavg()}, "python": sys.version.split()[0],
    }

    step = Steps(res, args.out)
    save = step.save

    if not args.skip_build or not (index / "dossier-version.json").exists():
        step("build", bench_build, corpus, index, n, args.build_runs)
    if not args.skip_incremental:
        step("incremental", bench_incremental, corpus, index, (1, 100), args.runs)
    step("cli_search", bench_cli_search, corpus, index, common, args.runs)
    step("first_query", bench_first_query, index, mix[0], args.runs)
    step("queries", bench_queries, index, mix, args.runs)
    step("timeline", bench_timeline, index, [common, ""], args.runs)
    if not args.skip_tui:
        story = stats["stories"]["top"][0]
        by_kind = {q["kind"]: q for q in mix}  # the last query of each kind
        # A common word, a story's surname and topic (2-term AND), a prefix, a rare word.
        words = [common, f"{story['surname']} {story['topics'][0]}", by_kind["prefix"]["query"],
                 by_kind["rare"]["query"]]
        step("tui", bench_tui, corpus, index, words, args.runs)
    if not args.skip_scan:
        terms = scan_terms(mix)
        step("rg", bench_scan, "rg", corpus, terms, args.runs)
        step("grep", bench_scan, "grep", corpus, terms, args.runs)
    if not args.skip_naive:
        procs = args.naive_procs or (1 if n <= 20000 else 2)
        step("naive", bench_naive, corpus, naive_index, n, args.runs,
             args.naive_per_kind or args.per_kind, procs,
             [common, ""], args.naive_reuse)
    res["loadavg"]["end"] = loadavg()
    res["table"] = table(res)
    save()
    print(f"dossier benchmark, {n:,} articles, {res['date']}, load {res['loadavg']['start']} "
          f"-> {res['loadavg']['end']}, {os.cpu_count()} CPUs")
    print(res["table"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
