"""Match spans are the same whether read from the postings or from the text analyzed again.

The search takes spans from the postings for a few terms and re-analyzes the shown articles
for many (a prefix being typed can expand to thousands of terms); both must mark the same
characters, furniture (datelines, agency credits: not indexed) included.
"""

from __future__ import annotations

import pytest

import index.search as search_module
from index.build import build_index
from index.search import Index

QUERIES = [
    "Parler", "Amazon Klage", "Redefreiheit", "Freiheit", "Cloud-Infrastruktur", "Cloud",
    '"einstweilige Verfügung"', "Amaz*", "Par*", "Amazn~", "Einschraenkung", "die", "dpa",
    "Servern", "Twitter-Alternative", "US-Bundesstaat Washington", "Klage OR Richter",
    "Parler OR Empfohlener OR Lesezeit OR Stand OR Uhr",  # words of furniture: no spans
]


@pytest.fixture(scope="module")
def mixed_index(tmp_path_factory: pytest.TempPathFactory):
    import shutil
    from pathlib import Path

    root = tmp_path_factory.mktemp("spans")
    corpus = root / "c"
    shutil.copytree(Path(__file__).resolve().parents[2] / "seeds", corpus)
    (corpus / "en.txt").write_text(
        "Parler sues Amazon again\n\nSEATTLE (AP) — Parler sued Amazon over the cloud "
        "servers; the court said the free-speech claims failed. (c) AP\n", encoding="utf-8")
    # Furniture (the dateline line, the reading time) shares words with the text: only the
    # text's "Stand" and "Uhr" are indexed, so only they may be marked.
    (corpus / "furniture.txt").write_text(
        "Parler verliert vor Gericht\n\n13.01.2021 | Stand: 12:05 Uhr\n\nParler hat vor "
        "Gericht verloren. Der Stand des Verfahrens: offen, um 12 Uhr.\n\nLesezeit: 2 Min.\n",
        encoding="utf-8")
    build_index([corpus], root / "i")
    ix = Index(root / "i")
    yield ix
    ix.close()


@pytest.mark.parametrize("query", QUERIES)
def test_analyzed_spans_equal_postings_spans(mixed_index: Index, query: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_module, "SPANS_FROM_POSTINGS_UP_TO", 10**9)
    from_postings = {h.doc_id: h.spans for h in mixed_index.search(query, limit=20).hits}
    monkeypatch.setattr(search_module, "SPANS_FROM_POSTINGS_UP_TO", -1)
    analyzed = {h.doc_id: h.spans for h in mixed_index.search(query, limit=20).hits}
    assert analyzed == from_postings
    assert any(from_postings.values()) or query in ("dpa",), query
