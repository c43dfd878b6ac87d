"""The records an index document stores, in one place for the writer and the reader.

Whoosh keeps a stored field as whatever was pickled; the builder wrote event mentions
as positional lists and the search read them back by position, two places that had
to agree on eleven indexes. :class:`StoredEvent` names the positions; the stored form
stays the same list, so indexes built before keep working without a rebuild.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StoredEvent:
    """One date an article mentions, as the index stores it (already sanitized)."""

    start: dt.date | None
    end: dt.date | None
    granularity: str
    kind: str
    expression: str
    span: tuple[int, int]
    sentence: str
    sentence_span: tuple[int, int]
    value: str | None
    #: What a year-less or relative expression was read against; None: it states its
    #: year. Absent (None) in records of indexes built before it was stored.
    anchored_on: str | None = None

    def to_stored(self) -> list[Any]:
        """The stored form: a flat list (dates as ISO strings), small when pickled."""
        return [self.start.isoformat() if self.start else None,
                self.end.isoformat() if self.end else None,
                self.granularity, self.kind, self.expression, self.span[0], self.span[1],
                self.sentence, self.sentence_span[0], self.sentence_span[1], self.value,
                self.anchored_on]

    @classmethod
    def from_stored(cls, ev: Sequence[Any]) -> StoredEvent:
        """Read back :meth:`to_stored`'s list, or an older 11-item one."""
        return cls(
            start=dt.date.fromisoformat(ev[0]) if ev[0] else None,
            end=dt.date.fromisoformat(ev[1]) if ev[1] else None,
            granularity=ev[2], kind=ev[3], expression=ev[4], span=(ev[5], ev[6]),
            sentence=ev[7], sentence_span=(ev[8], ev[9]), value=ev[10],
            anchored_on=ev[11] if len(ev) > 11 else None,
        )
