"""The command line's subcommands for what a user keeps: export, mark, marks,
history, saved and kwic (and ``search --saved``, ``tag:``/``is:bookmarked``).

Kept apart from :mod:`cli.main` (which owns the parser, the exit codes and the
dispatch) so each feature's arguments and handler sit together; the helpers both use
are in :mod:`cli.common`. No Textual.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cli import common as _cli
from cli.output import color as _color
from cli.output import mark as _mark


def add_parsers(add: Any) -> None:
    """Add the subcommands to the ``dossier`` parser (*add* makes one subparser)."""
    _add_export_parser(add)
    _add_marks_parsers(add)


def _add_marks_parsers(add: Any) -> None:
    """``dossier mark`` and ``dossier marks``: bookmarks and tags from the command line."""
    sp = add("mark", "bookmark or tag an article (kept in your user data folder)")
    sp.add_argument("id", metavar="ID")
    on_off = sp.add_mutually_exclusive_group()
    on_off.add_argument("--bookmark", action="store_true", help="bookmark it")
    on_off.add_argument("--unbookmark", action="store_true", help="take the bookmark away")
    sp.add_argument("--tag", action="append", default=[], metavar="TAG",
                    help="add a tag (one word; repeatable)")
    sp.add_argument("--untag", action="append", default=[], metavar="TAG",
                    help="remove a tag (repeatable)")
    sp = add("marks", "list the bookmarked and tagged articles")
    sp.add_argument("--json", action="store_true", help="one JSON object per article and line")
    sp = add("saved", "list, add, rename or delete saved searches")
    sp.add_argument("--json", action="store_true", help="one JSON object per search and line")
    sp.add_argument("--add", nargs=2, metavar=("NAME", "QUERY"),
                    help="save QUERY (with --since/--until/--sort) as NAME")
    sp.add_argument("--replace", action="store_true", help="--add over an existing NAME")
    sp.add_argument("--rename", nargs=2, metavar=("OLD", "NEW"))
    sp.add_argument("--delete", metavar="NAME")
    sp.add_argument("--since", metavar="DATE")
    sp.add_argument("--until", metavar="DATE")
    sp.add_argument("--sort", choices=("relevance", "date", "oldest"), default="relevance")
    sp = add("kwic", "every match of a query with its context, one line each, by article")
    sp.add_argument("query", metavar="QUERY")
    sp.add_argument("--json", action="store_true", help="one JSON object per line of context")
    sp.add_argument("--limit", type=int, default=20, metavar="N", help="articles (default 20)")
    sp.add_argument("--per-article", type=int, default=20, metavar="N",
                    help="lines per article (default 20)")
    sp.add_argument("--width", type=int, default=100, metavar="N",
                    help="characters of context per line (default 100)")
    sp.add_argument("--since", metavar="DATE")
    sp.add_argument("--until", metavar="DATE")
    sp.add_argument("--sort", choices=("relevance", "date", "oldest"), default="relevance")
    sp = add("history", "the queries searched in the TUI, newest first")
    sp.add_argument("--json", action="store_true", help="one JSON string per query and line")
    sp.add_argument("--limit", type=int, default=50, metavar="N")


def _add_export_parser(add: Any) -> None:
    """``dossier export``: the hits of a query with citations, to a file or stdout."""
    from index.export import FORMATS

    sp = add("export", "write the hits of a query with their citations "
                       "(CSV, JSON, Markdown or BibTeX)")
    sp.add_argument("query", metavar="QUERY")
    sp.add_argument("--format", choices=FORMATS, default=None,
                    help="default: from the --out file's ending (.csv .json .md .bib), else md")
    sp.add_argument("--out", type=Path, metavar="FILE", default=None,
                    help="write to FILE (default: standard output; refused when read-only)")
    sp.add_argument("--excel", action="store_true",
                    help="CSV for spreadsheets: UTF-8 with BOM, ';' between cells")
    sp.add_argument("--limit", type=int, default=1000, metavar="N")
    sp.add_argument("--since", metavar="DATE", help="published on or after (2021, 2021-01, ...)")
    sp.add_argument("--until", metavar="DATE", help="published on or before")
    sp.add_argument("--sort", choices=("relevance", "date", "oldest"), default="relevance")


def marked(args: argparse.Namespace, text: str) -> tuple[str, frozenset[str] | None]:
    """*text* without its ``tag:``/``is:bookmarked`` filters, and the article ids they
    allow (None when it has none). The marks database is opened only when asked for,
    and only when it exists: it is created with the first mark, not by a search."""
    from index.marks import MarksUnavailable, marks_path, open_marks, resolve
    from index.query import split_marks

    rest, flt = split_marks(text)
    if not flt:
        return text, None
    if args.read_only:
        raise _cli.UsageError("read-only: bookmarks and tags are off (tag:, is:bookmarked)")
    corpora, index_dir = _cli._locations(args)
    if not marks_path(corpora).exists():
        return rest, frozenset()  # nothing marked yet: no article has a mark
    try:
        marks = open_marks(corpora, index_dir)
    except MarksUnavailable as exc:
        raise _cli._Failure(str(exc)) from None
    try:
        return resolve(text, marks)
    finally:
        marks.close()


def apply_saved(args: argparse.Namespace) -> Any:
    """``search --saved NAME``: its query, dates and sort into *args* (dates and sort
    given on the command line win); the saved mentioned-date period, if any."""
    from index.saved import BadSavedSearch, SavedSearches, SavedUnavailable, saved_path

    if args.saved is None:
        if args.query is None:
            raise _cli.UsageError("search needs a QUERY (or --saved NAME)")
        args.sort = args.sort or "relevance"
        return None
    if args.query is not None:
        raise _cli.UsageError("give a QUERY or --saved NAME, not both")
    if args.read_only:
        raise _cli.UsageError("read-only: saved searches are off")
    corpora, _index_dir = _cli._locations(args)
    name = " ".join(args.saved.split())
    if not saved_path(corpora).exists():
        raise _cli.UsageError(f"no saved search named {name[:60]!r}")
    try:
        store = SavedSearches.for_corpora(corpora)
        try:
            found = store.use(name)
        finally:
            store.close()
    except BadSavedSearch as exc:
        raise _cli.UsageError(str(exc)) from None
    except SavedUnavailable as exc:
        raise _cli._Failure(str(exc)) from None
    args.query = found.query
    args.since = args.since or (found.since.isoformat() if found.since else None)
    args.until = args.until or (found.until.isoformat() if found.until else None)
    args.sort = args.sort or found.sort
    return found.mentions


def _cmd_export(args: argparse.Namespace) -> int:
    from index.export import (
        ExportPathError,
        check_target,
        collect,
        format_for,
        render,
        write_atomic,
    )
    from index.search import QueryError

    if args.limit < 0:
        raise _cli.UsageError("--limit must be 0 or more")
    if args.out is not None and args.read_only:
        raise _cli.UsageError("read-only: export writes to standard output only (no --out)")
    fmt = format_for(str(args.out or ""), args.format)
    if args.excel and fmt != "csv":
        raise _cli.UsageError("--excel is for CSV only")
    target = None
    if args.out is not None:
        try:
            target = check_target(args.out)  # before any index work
        except ExportPathError as exc:
            raise _cli.UsageError(str(exc)) from None
    since, until = _cli._date_range(args.since, args.until)
    _cli._check_query(args.query)
    ix = _cli._open(args)
    try:
        text, ids = marked(args, args.query)
        records = collect(ix, text, limit=args.limit, since=since, until=until,
                          sort=args.sort, ids=ids)
    except QueryError as exc:
        raise _cli.UsageError(f"query error: {exc}") from None
    finally:
        ix.close()
    text = render(records, fmt, excel=args.excel, heading=args.query)
    if target is None:
        sys.stdout.write(text)
        return 0
    try:
        write_atomic(target, text)
    except ExportPathError as exc:
        raise _cli.UsageError(str(exc)) from None
    print(f"dossier: {len(records)} article{'s' if len(records) != 1 else ''} "
          f"written to {target} ({fmt})", file=sys.stderr)
    return 0


def _cmd_mark(args: argparse.Namespace) -> int:
    from index.marks import MarksUnavailable, article_key, open_marks
    from index.query import QueryError, check_tag

    if args.read_only:
        raise _cli.UsageError("read-only: bookmarks and tags are off")
    try:
        for tag in [*args.tag, *args.untag]:
            check_tag(tag)
    except QueryError as exc:
        raise _cli.UsageError(exc.message) from None
    corpora, index_dir = _cli._locations(args)
    ix = _cli._open(args)
    try:
        try:
            key = article_key(ix, index_dir, args.id)
        except KeyError:
            raise _cli.UsageError(f"no article with id {args.id}") from None
    finally:
        ix.close()
    try:
        marks = open_marks(corpora, index_dir)
    except MarksUnavailable as exc:
        raise _cli._Failure(str(exc)) from None
    try:
        if args.bookmark or args.unbookmark:
            marks.set_bookmark(args.id, args.bookmark, **key)
        if args.tag:
            marks.add_tags(args.id, args.tag, **key)
        if args.untag:
            marks.remove_tags(args.id, args.untag)
        mark = marks.get(args.id)
    except MarksUnavailable as exc:
        raise _cli._Failure(str(exc)) from None
    finally:
        marks.close()
    state = "bookmarked" if mark and mark.bookmarked else "not bookmarked"
    tags = ", ".join(mark.tags) if mark and mark.tags else "none"
    print(f"{args.id}: {state}; tags: {tags}")
    return 0


def _cmd_marks(args: argparse.Namespace) -> int:
    from index.marks import Marks, MarksUnavailable, marks_path

    if args.read_only:
        raise _cli.UsageError("read-only: bookmarks and tags are off")
    corpora, _index_dir = _cli._locations(args)
    if not marks_path(corpora).exists():
        return 0  # nothing marked yet: nothing to create either
    try:
        marks = Marks.for_corpora(corpora)
        try:
            found = marks.marks()
        finally:
            marks.close()
    except MarksUnavailable as exc:
        raise _cli._Failure(str(exc)) from None
    for m in found:
        if args.json:
            print(json.dumps(m.to_json(), ensure_ascii=False))
        else:
            flag = "*" if m.bookmarked else " "
            tags = " ".join(f"#{t}" for t in m.tags)
            print(f"{flag} [{m.doc_id}] {_one_line(m.title) or '(untitled)'}  {tags}".rstrip())
            print(f"    {_one_line(m.path)}")
    return 0


def _cmd_history(args: argparse.Namespace) -> int:
    from index.history import History, HistoryUnavailable, history_path

    if args.read_only:
        raise _cli.UsageError("read-only: search history is off")
    if args.limit < 0:
        raise _cli.UsageError("--limit must be 0 or more")
    corpora, _index_dir = _cli._locations(args)
    if not history_path(corpora).exists():
        return 0  # nothing searched yet: nothing to create either
    try:
        history = History.for_corpora(corpora)
        try:
            queries = history.recent(args.limit)
        finally:
            history.close()
    except HistoryUnavailable as exc:
        raise _cli._Failure(str(exc)) from None
    for q in queries:
        print(json.dumps(q, ensure_ascii=False) if args.json else _one_line(q))
    return 0


def _cmd_saved(args: argparse.Namespace) -> int:
    from index.saved import (
        BadSavedSearch,
        SavedSearch,
        SavedSearches,
        SavedUnavailable,
        check_name,
        saved_path,
    )

    if args.read_only:
        raise _cli.UsageError("read-only: saved searches are off")
    actions = [a for a in (args.add, args.rename, args.delete) if a is not None]
    if len(actions) > 1:
        raise _cli.UsageError("one of --add, --rename, --delete at a time")
    corpora, _index_dir = _cli._locations(args)
    try:
        if args.add is not None:
            check_name(args.add[0])
            _cli._check_query(args.add[1])
            since, until = _cli._date_range(args.since, args.until)
        if not actions and not saved_path(corpora).exists():
            return 0  # nothing saved yet: nothing to create either
        store = SavedSearches.for_corpora(corpora)
        try:
            if args.add is not None:
                saved = store.save(SavedSearch(args.add[0], args.add[1], since, until,
                                               args.sort), replace=args.replace)
                print(f"saved {saved.name!r}: {_one_line(saved.describe())}")
            elif args.rename is not None:
                print(f"renamed to {store.rename(*args.rename)!r}")
            elif args.delete is not None:
                if not store.delete(args.delete):
                    raise _cli.UsageError(f"no saved search named {args.delete[:60]!r}")
                print(f"deleted {' '.join(args.delete.split())!r}")
            else:
                for found in store.all():
                    if args.json:
                        print(json.dumps(found.to_json(), ensure_ascii=False))
                    else:
                        print(f"{found.name}: {_one_line(found.describe())}")
        finally:
            store.close()
    except BadSavedSearch as exc:
        raise _cli.UsageError(str(exc)) from None
    except SavedUnavailable as exc:
        raise _cli._Failure(str(exc)) from None
    return 0


def _cmd_kwic(args: argparse.Namespace) -> int:
    from index.kwic import kwic
    from index.search import QueryError

    if args.limit < 0 or args.per_article < 0:
        raise _cli.UsageError("--limit and --per-article must be 0 or more")
    if not 20 <= args.width <= 1000:
        raise _cli.UsageError("--width must be between 20 and 1000")
    since, until = _cli._date_range(args.since, args.until)
    _cli._check_query(args.query)
    ix = _cli._open(args)
    try:
        text, ids = marked(args, args.query)
        found = kwic(ix, text, articles=args.limit, per_article=args.per_article,
                     width=args.width, since=since, until=until, sort=args.sort, ids=ids)
    except QueryError as exc:
        raise _cli.UsageError(f"query error: {exc}") from None
    finally:
        ix.close()
    color = _color()
    for art in found:
        if args.json:
            for line in art.lines:
                print(json.dumps(line.to_json(art.hit), ensure_ascii=False))
            continue
        hit = art.hit
        path = f"\x1b[35m{hit.path}\x1b[0m" if color else hit.path
        date = hit.date.isoformat() if hit.date else "undated"
        more = (f" ({art.matches} matches, first {len(art.lines)} lines)"
                if art.matches > sum(len(x.spans) for x in art.lines) else "")
        print(f"{path}  [{hit.doc_id}]  {date}  {_one_line(hit.title)}{more}")
        for line in art.lines:
            print(f"{line.line:>5}: {_mark(line.text, line.spans, color)}")
        print()
    return 0


def _one_line(text: str) -> str:
    from index.text import sanitize_line

    return sanitize_line(text)


HANDLERS = {"export": _cmd_export, "mark": _cmd_mark, "marks": _cmd_marks,
            "history": _cmd_history, "saved": _cmd_saved, "kwic": _cmd_kwic}
