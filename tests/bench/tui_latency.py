"""TUI timings through Textual's Pilot, in a fresh process (run by ``run_bench.py``).

Two modes, each printing one JSON object on stdout:

``startup``
    Cold start. The parent stores ``time.time()`` in ``DOSSIER_BENCH_T0`` right before it
    starts this process. Measured: process start -> the first frame after
    ``MainScreen.on_mount`` (the search input has focus and the screen has been refreshed
    once: ``call_after_refresh`` from ``on_mount``), i.e. the first *interactive* frame;
    and process start -> the first results painted (index opened in the worker thread,
    searcher warmed, the empty query's results drawn and refreshed). Everything runs
    headless (``App.run_test``, no real terminal), at 120x40 cells.

``keys``
    Keystroke to results painted. For every query word, the input is cleared, then the
    word is typed one key at a time with ``pilot.press``; after each key the script waits
    until the results for *exactly the text typed so far* have been drawn, and times
    from just before the press to the refresh after ``MainScreen._search_done`` accepted
    them (hooked with ``call_after_refresh``). That includes the search bar's debounce
    (``tui.widgets.search_bar.DEBOUNCE``), the search in its worker thread and one
    refresh. Keys that give no search (a query error such as a too-short prefix) are
    reported separately. The app's own ``app.latencies`` (from the ``Input.Changed``
    handler on) are returned too. Also the peak RSS of the process (``VmHWM``) after all typing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path

T_IMPORT = time.time()

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _key(ch: str) -> str:
    """The Pilot key name of a character (``space`` for " ", ``asterisk`` for "*")."""
    from textual.keys import _character_to_key

    return _character_to_key(ch)


def _status_mb(key: str = "VmHWM") -> float:
    """A memory figure of /proc/self/status in MB (VmHWM: peak RSS; RssAnon: heap;
    RssFile: mapped files, mostly the index segments Whoosh reads through mmap)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _vm_hwm_mb() -> float:
    return _status_mb("VmHWM")


async def startup(corpus: Path, index_dir: Path) -> dict:
    from textual.widgets import Input

    from tui.app import DossierApp
    from tui.screens.main import MainScreen

    t0 = float(os.environ.get("DOSSIER_BENCH_T0") or T_IMPORT)
    marks: dict[str, float] = {"imports_done": time.time() - t0}
    orig_mount = MainScreen.on_mount
    orig_ready = MainScreen._index_ready

    def on_mount(self: MainScreen) -> None:
        orig_mount(self)
        marks.setdefault("mounted", time.time() - t0)

        def frame() -> None:
            marks.setdefault("first_frame", time.time() - t0)
            marks["input_focused"] = float(isinstance(self.app.focused, Input))

        self.call_after_refresh(frame)

    def index_ready(self: MainScreen, ix, existed) -> None:  # noqa: ANN001
        orig_ready(self, ix, existed)
        marks.setdefault("index_ready", time.time() - t0)

    MainScreen.on_mount = on_mount  # type: ignore[method-assign]
    MainScreen._index_ready = index_ready  # type: ignore[method-assign]
    orig_done = MainScreen._search_done

    def search_done(self: MainScreen, request, result, *rest, **kw) -> None:  # noqa: ANN001
        orig_done(self, request, result, *rest, **kw)
        if "first_results" not in marks:
            self.call_after_refresh(lambda: marks.setdefault("first_results", time.time() - t0))

    MainScreen._search_done = search_done  # type: ignore[method-assign]
    app = DossierApp([corpus], index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(3000):
            if "first_results" in marks:
                break
            await asyncio.sleep(0.002)
        await pilot.pause()
    return {"marks_s": marks, "vm_hwm_mb": _vm_hwm_mb()}


async def keys(corpus: Path, index_dir: Path, words: list[str], reps: int) -> dict:
    from textual.widgets import Input

    from tui.app import DossierApp
    from tui.screens.main import MainScreen

    state: dict = {"painted": None, "failed": None}
    orig_done = MainScreen._search_done
    orig_failed = MainScreen._search_failed

    # ``*rest``: whatever else the screen passes (keep, the marks facet, ...), so that
    # a new parameter of ``_search_done`` does not silently stop every sample.
    def search_done(self: MainScreen, request, result, *rest, **kw) -> None:  # noqa: ANN001
        accepted = request == self.current_request()
        orig_done(self, request, result, *rest, **kw)
        if accepted:
            q = request.query
            self.call_after_refresh(lambda: state.__setitem__(
                "painted", (q, time.perf_counter(), result.total, result.elapsed_ms)))

    def search_failed(self: MainScreen, request, *rest, **kw) -> None:  # noqa: ANN001
        orig_failed(self, request, *rest, **kw)
        state["failed"] = (request.query, time.perf_counter())

    MainScreen._search_done = search_done  # type: ignore[method-assign]
    MainScreen._search_failed = search_failed  # type: ignore[method-assign]

    app = DossierApp([corpus], index_dir)
    samples: list[dict] = []
    errors: list[dict] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        for _ in range(5000):  # wait for the index and the first (empty-query) results
            if isinstance(screen, MainScreen) and screen.result is not None:
                break
            await asyncio.sleep(0.002)
        # The app runs an incremental index update right after opening: let it finish, so
        # that the keys are timed against the steady state (its time is reported).
        t_wait = time.perf_counter()
        for _ in range(60000):
            busy = [w for w in app.workers
                    if w.group == "reindex" and not w.is_finished]
            if not busy:
                break
            await asyncio.sleep(0.005)
        reindex_wait_s = time.perf_counter() - t_wait
        await pilot.pause()
        inp = app.query_one("#search-input", Input)
        for _rep in range(reps):
            for word in words:
                inp.value = ""
                await pilot.pause(0.3)  # let the empty query's search finish
                typed = ""
                for ch in word:
                    typed += ch
                    state["painted"] = state["failed"] = None
                    t = time.perf_counter()
                    await pilot.press(_key(ch))
                    deadline = t + 10.0
                    while time.perf_counter() < deadline:
                        p, f = state["painted"], state["failed"]
                        if p is not None and p[0] == typed:
                            samples.append({"query": typed, "ms": (p[1] - t) * 1000,
                                            "hits": p[2], "search_ms": p[3]})
                            break
                        if f is not None and f[0] == typed:
                            errors.append({"query": typed, "ms": (f[1] - t) * 1000})
                            break
                        await asyncio.sleep(0.001)
                    else:
                        errors.append({"query": typed, "ms": None, "timeout": True})
                        if not samples and len(errors) >= 3:
                            # Nothing painted at all: the hooks above no longer match
                            # the screen; say so instead of waiting 10 s for every key.
                            raise SystemExit("tui_latency: no results seen after 3 keys "
                                             "(MainScreen._search_done changed?)")
        app_lat = list(app.latencies)
    return {"samples": samples, "errors": errors, "app_latencies_ms": app_lat,
            "startup_reindex_wait_s": reindex_wait_s,
            "rss_anon_mb": _status_mb("RssAnon"), "rss_file_mb": _status_mb("RssFile"),
            "vm_hwm_mb": _vm_hwm_mb()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="TUI startup / keystroke latency via Pilot")
    ap.add_argument("mode", choices=("startup", "keys"))
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--word", action="append", default=[])
    ap.add_argument("--reps", type=int, default=1)
    args = ap.parse_args(argv)
    if args.mode == "startup":
        out = asyncio.run(startup(args.corpus, args.index))
    else:
        out = asyncio.run(keys(args.corpus, args.index, args.word or ["Regierung"], args.reps))
    out["pid"] = os.getpid()
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
