"""What a search and a timeline depend on, as values.

The main screen builds them from its state; the export, the KWIC screen and the
workers take them as arguments. They live outside the screen module so that those
need not import a screen (tests/tui/test_layering.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.search import Period


@dataclass(frozen=True)
class SearchRequest:
    """Everything a search depends on: a result is shown only if it answers the
    request that is current when it arrives (stale results are dropped)."""

    query: str
    sort: str
    since: dt.date | None
    until: dt.date | None
    limit: int
    snippets: int
    #: Only articles mentioning an event in this period (the mentioned timeline's filter).
    events: Period | None = None
    #: The word being typed at the end also matches as a prefix (cursor right after it).
    complete_last: bool = False


@dataclass(frozen=True)
class TimelineRequest:
    """What a timeline depends on (a late one for an older state is dropped). The
    mentioned timeline counts the articles the publication-date filter leaves."""

    query: str
    by: str
    kind: str
    since: dt.date | None
    until: dt.date | None
    complete_last: bool = False
