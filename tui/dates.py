"""Reading the date ranges a user types into "go to date"."""

from __future__ import annotations

import calendar
import datetime as dt
import re

_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")
_SEPARATORS = re.compile(r"\s*(?:\.\.|…|\bto\b|\bbis\b|\s-\s|/)\s*")


def _period(text: str) -> tuple[dt.date, dt.date]:
    m = _DATE.match(text)
    if not m:
        raise ValueError(f"not a date: {text.strip()!r} (use 2021, 2021-01 or 2021-01-13)")
    year = int(m.group(1))
    if m.group(3):
        day = dt.date(year, int(m.group(2)), int(m.group(3)))
        return day, day
    if m.group(2):
        month = int(m.group(2))
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, 1), dt.date(year, month, last)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def parse_range(text: str) -> tuple[dt.date | None, dt.date | None]:
    """``2021``, ``2021-01``, ``2021-01-13``, or two of them joined by ``..``/``to``/``/``
    (either end may be empty: ``2021-03..``) -> (since, until). Raises ValueError."""
    parts = _SEPARATORS.split(text.strip(), maxsplit=1)
    try:
        if len(parts) == 1:
            return _period(parts[0])
        since = _period(parts[0])[0] if parts[0].strip() else None
        until = _period(parts[1])[1] if parts[1].strip() else None
    except ValueError as exc:
        if "not a date" in str(exc):
            raise
        raise ValueError(f"not a valid date: {exc}") from None
    if since is None and until is None:
        raise ValueError("give at least one date")
    if since and until and since > until:
        since, until = until, since
    return since, until
