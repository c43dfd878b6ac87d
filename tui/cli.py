"""The ``dossier`` command line.

``dossier`` alone opens the TUI; the subcommands are a stable contract for
scripts (JSON lines, exit codes: 0 success, 1 failure, 2 usage or query
error with one line on stderr). Only this module and :mod:`tui.app` know
about Textual, and Textual is imported only when the TUI is opened, so
``dossier search`` starts fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from index import __version__


class UsageError(Exception):
    """Bad arguments or query: exit code 2, one line on stderr."""


class _ArgParser(argparse.ArgumentParser):
    """A parser whose usage errors are one line on stderr and exit code 2 (argparse
    prints the whole usage block first); used for every subcommand too."""

    def error(self, message: str) -> Any:  # argparse: NoReturn
        line = " ".join(message.split())
        self.exit(2, f"dossier: {line} (see dossier --help)\n")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--corpus", action="append", type=Path, metavar="DIR", default=argparse.SUPPRESS,
        help="a folder of articles (repeatable; default: the bundled seeds or $DOSSIER_CORPUS)",
    )
    common.add_argument(
        "--index", type=Path, metavar="DIR", default=argparse.SUPPRESS,
        help="where the index lives (default: a folder per corpus under the user cache)",
    )
    # SUPPRESS: a subcommand's copy of the flag must not reset one given before it.
    common.add_argument(
        "--read-only", action="store_true", default=argparse.SUPPRESS,
        help="never write (no index build or update) and never start another program "
             "(also $DOSSIER_READ_ONLY=1); for shared and SSH deployments",
    )
    p = _ArgParser(
        prog="dossier",
        description="Explore a folder of news articles: search, timeline, source viewer.",
        parents=[common],
    )
    p.add_argument("--version", action="version", version=f"dossier {__version__}")
    p.add_argument("--no-mouse", action="store_true", help="do not capture the mouse (TUI)")
    p.add_argument("--query", default="", help="start the TUI with this query")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_ArgParser)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        sp.add_argument("--version", action="version", version=f"dossier {__version__}")
        return sp

    sp = add("index", "build or update the index of the corpus folders")
    sp.add_argument("--rebuild", action="store_true", help="rebuild from scratch")
    sp.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                    help="wait this long for another running indexer (default: fail at once)")

    sp = add("search", "search the corpus")
    sp.add_argument("query", metavar="QUERY", nargs="?", default=None)
    sp.add_argument("--saved", metavar="NAME",
                    help="run the saved search NAME (its query, dates and sort)")
    sp.add_argument("--json", action="store_true", help="one JSON object per hit and line")
    sp.add_argument("--limit", type=int, default=20, metavar="N")
    sp.add_argument("--since", metavar="DATE", help="published on or after (2021, 2021-01, ...)")
    sp.add_argument("--until", metavar="DATE", help="published on or before")
    sp.add_argument("--sort", choices=("relevance", "date", "oldest"), default=None)

    sp = add("show", "print one article")
    sp.add_argument("id", metavar="ID")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--query", metavar="Q", help="also report the spans matching Q")

    sp = add("timeline", "publication-date histogram of a query, or with --events the dates "
                         "the matching articles mention")
    sp.add_argument("query", nargs="?", default="", metavar="QUERY")
    sp.add_argument("--events", action="store_true",
                    help="the event timeline: dates mentioned in the articles")
    sp.add_argument("--by", choices=("auto", "day", "week", "month", "year"), default="auto")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--since", metavar="DATE")
    sp.add_argument("--until", metavar="DATE")

    from tui.cli_workflow import add_parsers

    add_parsers(add)  # export, mark, marks, history, saved, kwic
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dossier`` console script."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help/--version
        return int(exc.code or 0)
    from tui.readonly import read_only_requested

    args.read_only = read_only_requested(getattr(args, "read_only", False))
    try:
        if args.command is None:
            return _tui(args)
        from tui.cli_workflow import HANDLERS

        handler = {"index": _cmd_index, "search": _cmd_search, "show": _cmd_show,
                   "timeline": _cmd_timeline, **HANDLERS}[args.command]
        return handler(args)
    except UsageError as exc:
        print(f"dossier: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("dossier: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `dossier search x | head` closed the pipe: not an error worth a traceback.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError:
            pass
        return 0
    except _Failure as exc:
        print(f"dossier: {exc}", file=sys.stderr)
        return 1


class _Failure(Exception):
    """A failure that is not the user's typing: exit code 1, one line on stderr."""


# --- helpers ------------------------------------------------------------------------------------

def _locations(args: argparse.Namespace) -> tuple[list[Path], Path]:
    from index.paths import default_index_dir, normalize_corpora
    from tui.readonly import PathRefused, check_paths

    corpora = normalize_corpora(getattr(args, "corpus", None))
    index_arg = getattr(args, "index", None)
    explicit = index_arg.expanduser().resolve() if index_arg else None
    try:
        check_paths(corpora, explicit)  # DOSSIER_ALLOWED_ROOTS, before touching anything
    except PathRefused as exc:
        raise UsageError(str(exc)) from None
    for c in corpora:
        if not c.is_dir():
            raise UsageError(f"corpus folder not found: {c}")
    index_dir = explicit or default_index_dir(corpora)
    return corpora, index_dir


def _progress_printer() -> Any:
    """A rich progress bar on a terminal; nothing when stderr is piped."""
    if not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    class _Rate(TransferSpeedColumn):
        def render(self, task):  # type: ignore[no-untyped-def]
            speed = task.finished_speed or task.speed
            from rich.text import Text
            return Text(f"{speed:,.0f} art/s" if speed else "", style="progress.data.speed")

    progress = Progress(
        TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
        _Rate(), TimeRemainingColumn(), console=Console(stderr=True), transient=True,
    )
    task = progress.add_task("index", total=None)

    def update(done: int, total: int, _path: str) -> None:
        progress.update(task, completed=done, total=total or None)

    return progress, update


def _build(corpora: list[Path], index_dir: Path, rebuild: bool = False, wait: float = 0.0,
           quiet: bool = False) -> Any:
    from index.build import BuildError, build_index

    progress, update = (None, None) if quiet else _progress_printer()
    try:
        if progress is not None:
            with progress:
                return build_index(corpora, index_dir, rebuild=rebuild, progress=update,
                                   procs=min(2, os.cpu_count() or 1), lock_wait=wait)
        return build_index(corpora, index_dir, rebuild=rebuild, lock_wait=wait,
                           procs=min(2, os.cpu_count() or 1))
    except BuildError as exc:
        raise _Failure(str(exc)) from None


def _open(args: argparse.Namespace) -> Any:
    """Open the index, building it first when it doesn't exist yet."""
    from index.build import index_exists
    from index.search import Index, IndexMissing

    corpora, index_dir = _locations(args)
    if not index_exists(index_dir):
        if args.read_only:
            raise _Failure(f"no index in {index_dir} (read-only: nothing is built here; "
                           "the owner of the corpus runs `dossier index`)")
        report = _build(corpora, index_dir, wait=30.0)
        print(f"dossier: indexed {index_dir}: {report.summary()}", file=sys.stderr)
    try:
        return Index(index_dir)
    except IndexMissing as exc:
        raise _Failure(str(exc)) from None


def _date_arg(value: str | None, end: bool) -> dt.date | None:
    if not value:
        return None
    from index.query import QueryError, parse_period

    try:
        first, last = parse_period(value)
    except QueryError as exc:
        raise UsageError(exc.message) from None
    return last if end else first


def _date_range(since: str | None, until: str | None) -> tuple[dt.date | None, dt.date | None]:
    """``--since``/``--until`` as dates; a period that ends before it starts is a usage
    error (it would only ever find nothing)."""
    first, last = _date_arg(since, False), _date_arg(until, True)
    if first is not None and last is not None and first > last:
        raise UsageError(f"--since {since} is after --until {until}")
    return first, last


def _check_query(text: str) -> None:
    """Reject a malformed query before any index work (it may need a build)."""
    from index.query import QueryError, rewrite_dates, split_marks, validate

    try:
        text, _marks = split_marks(text)  # tag: and is:bookmarked filter (see _marked)
        validate(text)
        rewrite_dates(text)
    except QueryError as exc:
        raise UsageError(f"query error: {exc}") from None


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _mark(text: str, spans: Sequence[Sequence[int]], color: bool) -> str:
    if not color or not spans:
        return text
    out, pos = [], 0
    for s, e in spans:
        out.append(text[pos:s])
        out.append(f"\x1b[1;31m{text[s:e]}\x1b[0m")
        pos = e
    out.append(text[pos:])
    return "".join(out)


# --- commands -----------------------------------------------------------------------------------

def _cmd_index(args: argparse.Namespace) -> int:
    if args.read_only:
        raise UsageError("`dossier index` is refused in read-only mode (it writes the index)")
    corpora, index_dir = _locations(args)
    report = _build(corpora, index_dir, rebuild=args.rebuild, wait=args.wait)
    for rel, reason in report.skipped:
        print(f"skipped {rel!r}: {reason}", file=sys.stderr)
    for rel, msg in report.warnings:
        print(f"warning {rel!r}: {msg}", file=sys.stderr)
    kind = "rebuilt" if report.rebuilt else "updated"
    print(f"{kind} {index_dir} in {report.seconds:.1f}s: {report.summary()}")
    return 0


def _cmd_search(args: argparse.Namespace) -> int:
    from index.search import QueryError

    if args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    from tui.cli_workflow import apply_saved, marked

    events = apply_saved(args)
    since, until = _date_range(args.since, args.until)
    _check_query(args.query)
    ix = _open(args)
    try:
        text, ids = marked(args, args.query)
        result = ix.search(text, limit=args.limit, since=since, until=until,
                           sort=args.sort, facets=not args.json, ids=ids, events=events)
    except QueryError as exc:
        raise UsageError(f"query error: {exc}") from None
    finally:
        ix.close()
    if args.json:
        for hit in result.hits:
            print(json.dumps(hit.to_json(), ensure_ascii=False))
        return 0
    color = _color()
    for hit in result.hits:
        date = hit.date.isoformat() if hit.date else "undated"
        where = " · ".join(x for x in (date, hit.source or hit.agency or "") if x)
        path = f"\x1b[35m{hit.path}\x1b[0m" if color else hit.path
        print(f"{path}  [{hit.doc_id}]  {where}")
        print(f"  {_mark(hit.title, hit.title_spans, color)}")
        for sn in hit.snippets:
            print(f"    …{_mark(sn.text, sn.spans, color)}…")
        print()
    line = f"{result.total} match{'es' if result.total != 1 else ''} ({result.elapsed_ms:.0f} ms)"
    if result.partial:
        line += "; stopped at the time limit, more may match"
    if result.suggestion:
        line += f"; did you mean: {result.suggestion}"
    if result.notice:
        line += f"; {result.notice}"
    print(line, file=sys.stderr)
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    from index.search import QueryError

    ix = _open(args)
    try:
        try:
            art = ix.article(args.id)
        except KeyError:
            raise UsageError(f"no article with id {args.id}") from None
        spans: tuple[tuple[int, int], ...] = ()
        if args.query:
            try:
                spans = ix.match_spans(args.id, args.query)
            except QueryError as exc:
                raise UsageError(f"query error: {exc}") from None
    finally:
        ix.close()
    if args.json:
        record = art.to_json()
        if args.query:
            record["spans"] = [list(s) for s in spans]
        print(json.dumps(record, ensure_ascii=False))
        return 0
    date = art.date.isoformat() if art.date else "undated"
    print(f"{art.title}")
    print(f"{date} ({art.date_origin or 'no date in the text'}) · {art.source or '-'} · "
          f"{art.language} · {art.path}")
    for note in art.date_notes:
        print(f"note: {note}")
    print()
    print(_mark(art.text, spans, _color()))
    return 0


def _cmd_timeline(args: argparse.Namespace) -> int:
    from index.search import QueryError

    since, until = _date_range(args.since, args.until)
    _check_query(args.query)
    ix = _open(args)
    from tui.cli_workflow import marked

    try:
        text, ids = marked(args, args.query)
        if args.events:
            tl = ix.event_timeline(text, by=args.by, since=since, until=until, ids=ids)
            mentions = ix.events(text, since=since, until=until, limit=100_000, ids=ids)
        else:
            tl = ix.timeline(text, by=args.by, since=since, until=until, ids=ids)
            mentions = []
    except QueryError as exc:
        raise UsageError(f"query error: {exc}") from None
    finally:
        ix.close()
    if args.json and args.events:
        for m in mentions:
            print(json.dumps(m.to_json(), ensure_ascii=False))
        return 0
    if args.json:
        print(json.dumps({
            "granularity": tl.granularity,
            "buckets": [{"start": b.start.isoformat(), "end": b.end.isoformat(),
                         "label": b.label, "hits": b.hits, "total": b.total}
                        for b in tl.buckets],
            "undated_hits": tl.undated_hits,
            "undated_total": tl.undated_total,
            "total_hits": tl.total_hits,
        }, ensure_ascii=False))
        return 0
    peak = max((b.total for b in tl.buckets), default=0) or 1
    for b in tl.buckets:
        if not b.total:
            continue
        bar = "█" * round(40 * b.hits / peak)
        rest = "░" * (round(40 * b.total / peak) - len(bar))
        print(f"{b.label:>10} {bar}{rest} {b.hits}/{b.total}")
    for b in tl.coarse:
        # Mentions of a whole month or year: at their own precision, not on a day.
        print(f"{b.label:>10} {'▒' * max(1, round(40 * b.hits / peak))} {b.hits}/{b.total}"
              f" (whole {_precision_word(b.label)})")
    label = "no dates" if args.events else "undated"
    print(f"{label:>10} {tl.undated_hits}/{tl.undated_total}")
    for m in mentions:
        when = m.value or (m.start.isoformat() if m.start else "?")
        print(f"{when:>10}  {m.expression!r} [{m.doc_id}] {m.sentence}")
    return 0


NO_TERMINAL = "no terminal; connect with ssh -t, or use 'dossier search'"


def _precision_word(label: str) -> str:
    """"2018" -> "year", "2021-01" -> "month", "2021-W02" -> "week", "1940-SU" -> "season"."""
    if "-W" in label:
        return "week"
    if label[5:6].isalpha():
        return "season"
    return "month" if "-" in label else "year"


def _tui(args: argparse.Namespace) -> int:
    # Without a terminal on both ends (`ssh -T`, a forced command run for `ssh host cmd`,
    # sftp, a pipe) the TUI would draw escape codes into the void and never see a key;
    # left alone it kept spinning after the client had gone. One line, exit 2, at once.
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(NO_TERMINAL)
    corpora, index_dir = _locations(args)
    try:
        from tui.app import run
    except ImportError:
        _parser().print_help()
        return 0
    return run(corpora=corpora, index_dir=index_dir, mouse=not args.no_mouse, query=args.query,
               read_only=args.read_only)


if __name__ == "__main__":  # `python -m tui.cli`: how the TUI runs its background update
    sys.exit(main())
