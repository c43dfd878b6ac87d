"""The facet and timeline columns read in one block equal Whoosh's value-by-value read."""

from __future__ import annotations

import pytest

import index.timeline as timeline_module
from index.build import build_index
from index.search import Index
from index.timeline import Columns


def test_bulk_columns_equal_whooshs_own_reading(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    corpus = tmp_path / "c"
    corpus.mkdir()
    sources = ["Der Standard", "", "Süddeutsche Zeitung", "APA – Austria Presse Agentur"]
    for i in range(12):
        front = f"source: {sources[i % 4]}\n" if sources[i % 4] else ""
        date = f"date: 2021-01-{i + 1:02d}\n" if i % 3 else ""  # some undated: day 0
        lang = "The court ruled against Parler." if i % 5 == 0 else "Das Gericht urteilte."
        (corpus / f"{i:02d}.md").write_text(f"---\ntitle: T{i}\n{front}{date}---\n{lang}\n",
                                             encoding="utf-8")
        if i == 5:
            build_index([corpus], tmp_path / "i")  # a second segment follows
    build_index([corpus], tmp_path / "i")
    (corpus / "03.md").unlink()  # a deleted document stays in its segment's columns
    build_index([corpus], tmp_path / "i")
    ix = Index(tmp_path / "i")
    try:
        searcher, _ = ix._current()
        reader = searcher.reader()
        assert len(list(reader.leaf_readers())) >= 2
        fast = Columns(reader)
        monkeypatch.setattr(timeline_module, "raw_column", lambda _reader, _n: None)
        slow = Columns(reader)
    finally:
        ix.close()
    for name in ("days", "sources", "agencies", "langs", "live"):
        assert getattr(fast, name) == getattr(slow, name), name
    assert set(fast.sources) >= {"Der Standard", "Süddeutsche Zeitung", ""}
    assert 0 in fast.days and set(fast.langs) == {"de", "en"}
