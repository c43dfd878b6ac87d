"""The stored event record (index/document.py): same on-disk list as before, both ways."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from index.build import build_index
from index.document import StoredEvent
from index.search import Index

EVENT = StoredEvent(
    start=dt.date(2021, 1, 20), end=dt.date(2021, 1, 31), granularity="month", kind="date",
    expression="Ende Januar", span=(10, 21), sentence="Ende Januar kam es.", sentence_span=(10, 29),
    value=None, anchored_on="publication date",
)


def test_stored_form_is_the_positional_list() -> None:
    """Indexes built before the dataclass hold this list: the order must not change."""
    assert EVENT.to_stored() == ["2021-01-20", "2021-01-31", "month", "date", "Ende Januar",
                                 10, 21, "Ende Januar kam es.", 10, 29, None,
                                 "publication date"]


def test_round_trip_and_older_records() -> None:
    assert StoredEvent.from_stored(EVENT.to_stored()) == EVENT
    older = EVENT.to_stored()[:11]  # written before anchored_on was stored
    assert StoredEvent.from_stored(older).anchored_on is None
    undated = [None, None, *EVENT.to_stored()[2:]]
    assert StoredEvent.from_stored(undated).start is None


def test_index_stores_and_reads_events(seed_corpus: Path, tmp_path: Path) -> None:
    build_index([seed_corpus], tmp_path / "ix")
    ix = Index(tmp_path / "ix")
    try:
        mentions = ix.events()
        assert mentions
        s, _ = ix._current()
        reader = s.reader()
        stored = [StoredEvent.from_stored(r) for d in reader.all_doc_ids()
                  for r in reader.stored_fields(d)["meta"]["events"]]
        assert all(isinstance(r, list) and len(r) == 12 for d in reader.all_doc_ids()
                   for r in reader.stored_fields(d)["meta"]["events"])
        for m in mentions:
            assert any(ev.start == m.start and ev.span == m.span and ev.sentence == m.sentence
                       for ev in stored)
    finally:
        ix.close()
