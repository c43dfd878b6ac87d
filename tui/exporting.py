"""Export from the TUI: the current request's matches to a file, as one message.

No Textual here (the worker in the main screen calls it): what is written is
exactly what ``dossier export`` writes for the same query and filters.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.search import Index
    from tui.marking import MarkKeeper
    from tui.requests import SearchRequest

#: At most this many articles per export from the TUI (``dossier export --limit``).
EXPORT_LIMIT = 1000


def export_to_file(ix: Index | None, request: SearchRequest, target: Path,
                   keeper: MarkKeeper) -> tuple[str, bool]:
    """Write the matches of *request* to *target* (format from its name); returns
    the one-line message for the user and whether it worked. *keeper* resolves the
    query's ``tag:``/``is:bookmarked`` filters."""
    from index.export import ExportPathError, collect, format_for, render, write_atomic
    from index.search import QueryError

    if ix is None:
        return "export: the index is not open", False
    fmt = format_for(str(target), None)
    try:
        text, ids = keeper.resolve(request.query)
        records = collect(ix, text, limit=EXPORT_LIMIT, since=request.since,
                          until=request.until, sort=request.sort, events=request.events,
                          ids=ids)
        write_atomic(target, render(records, fmt, heading=request.query))
    except QueryError as exc:
        return f"export: query error: {exc}", False
    except ExportPathError as exc:
        return str(exc), False
    n = len(records)
    return f"{n} article{'s' if n != 1 else ''} written to {target} ({fmt})", True
