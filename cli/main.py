"""The ``dossier`` command line.

``dossier`` alone opens the TUI; the subcommands are a stable contract for
scripts (JSON lines, exit codes: 0 success, 1 failure, 2 usage or query
error with one line on stderr). Here: the parser, the exit codes, the dispatch and
the search, show, timeline and index commands. No module of :mod:`cli` imports Textual
or :mod:`tui` at import time: the TUI is imported only inside :func:`_tui`, when it is
opened, so ``dossier search`` starts fast and works without a terminal.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cli import output
from cli.common import (
    UsageError,
    _build,
    _check_query,
    _date_range,
    _Failure,
    _locations,
    _open,
)
from index import __version__


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
    sp.add_argument("--json", action="store_true",
                    help="print one JSON object with the counts (no progress bar)")
    sp.add_argument("--watch", action="store_true",
                    help="after the update, keep watching the corpus and index each change "
                         "as it happens (Ctrl+C stops)")

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

    from cli.workflow import add_parsers

    add_parsers(add)  # export, mark, marks, history, saved, kwic
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dossier`` console script."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help/--version
        return int(exc.code or 0)
    from cli.readonly import read_only_requested

    args.read_only = read_only_requested(getattr(args, "read_only", False))
    try:
        if args.command is None:
            return _tui(args)
        from cli.workflow import HANDLERS

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


# --- commands -----------------------------------------------------------------------------------

def _cmd_index(args: argparse.Namespace) -> int:
    from index.store import BuildLocked

    if args.read_only:
        raise UsageError("`dossier index` is refused in read-only mode (it writes the index)")
    corpora, index_dir = _locations(args)

    def run() -> None:
        try:
            report = _build(corpora, index_dir, rebuild=args.rebuild, wait=args.wait,
                            quiet=args.json)
        except _Failure as exc:
            if args.json:
                output.index_failure(str(exc), locked=isinstance(exc.__context__, BuildLocked))
            raise
        for rel, reason in report.skipped:
            print(f"skipped {rel!r}: {reason}", file=sys.stderr)
        for rel, msg in report.warnings:
            print(f"warning {rel!r}: {msg}", file=sys.stderr)
        output.index_summary(report, str(index_dir), args.json)
        sys.stdout.flush()

    if args.watch:
        from cli.watch import watch

        return watch(corpora, index_dir, args.json, first_update=run)
    run()
    return 0


def _cmd_search(args: argparse.Namespace) -> int:
    from cli.workflow import apply_saved, marked
    from index.search import QueryError

    if args.limit < 0:
        raise UsageError("--limit must be 0 or more")
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
        output.json_lines(hit.to_json() for hit in result.hits)
    else:
        output.hits(result)
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
        output.json_line(record)
    else:
        output.article(art, spans)
    return 0


def _cmd_timeline(args: argparse.Namespace) -> int:
    from cli.workflow import marked
    from index.search import QueryError

    since, until = _date_range(args.since, args.until)
    _check_query(args.query)
    ix = _open(args)
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
        output.json_lines(m.to_json() for m in mentions)
    elif args.json:
        output.timeline_json(tl)
    else:
        output.timeline(tl, mentions, args.events)
    return 0


NO_TERMINAL = "no terminal; connect with ssh -t, or use 'dossier search'"


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
