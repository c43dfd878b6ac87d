"""What every subcommand needs: the two kinds of error and their exit codes, the
folders named by the arguments, the index opened (or built first), and dates and queries
checked before any index work.

Its own module so :mod:`cli.main` (the parser and dispatch) and :mod:`cli.workflow`
(the subcommands for what a user keeps) both import it without importing each other.
No Textual, no Rich at import time (the progress bar imports Rich only on a terminal).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any


class UsageError(Exception):
    """Bad arguments or query: exit code 2, one line on stderr."""



class _Failure(Exception):
    """A failure that is not the user's typing: exit code 1, one line on stderr."""


def _locations(args: argparse.Namespace) -> tuple[list[Path], Path]:
    from cli.readonly import PathRefused, check_paths
    from index.paths import default_index_dir, normalize_corpora

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
    from index.opening import open_or_build
    from index.results import IndexMissing
    from index.store import BuildError

    corpora, index_dir = _locations(args)
    bar: list[Any] = [None, None]  # the progress printer, made only for a build

    def build_starts() -> None:
        bar[:] = _progress_printer()
        if bar[0] is not None:
            bar[0].start()

    def update(done: int, total: int, path: str) -> None:
        if bar[1] is not None:
            bar[1](done, total, path)

    try:
        opened = open_or_build(corpora, index_dir, read_only=args.read_only,
                               on_build=build_starts, progress=update,
                               lock_wait=30.0, procs=min(2, os.cpu_count() or 1))
    except (BuildError, IndexMissing) as exc:
        raise _Failure(str(exc)) from None
    finally:
        if bar[0] is not None:
            bar[0].stop()
    if opened.report is not None:
        print(f"dossier: indexed {index_dir}: {opened.report.summary()}", file=sys.stderr)
    return opened.index


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
