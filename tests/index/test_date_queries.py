"""Every documented date form in the query syntax selects exactly the right articles.

Why a corpus of its own: on the seeds (three articles, two days) a ``date:>X`` that matched
every day still passed every older test. Here articles sit on both sides of every boundary
(the day before, the day itself, the day after; month and year edges), so an operator that
is off by one day, inclusive where it should be exclusive, or matching everything, fails.
"""

from __future__ import annotations

import pytest

from index.build import build_index
from index.search import Index

DAYS = {
    "a": "2020-12-31",
    "b": "2021-01-12",
    "c": "2021-01-13",
    "d": "2021-01-14",
    "e": "2021-01-31",
    "f": "2021-02-01",
    "g": "2022-01-13",
}


@pytest.fixture(scope="module")
def dated_index(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("dated")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, day in DAYS.items():
        (corpus / f"{name}.md").write_text(
            f"---\ntitle: Bericht {name}\ndate: {day}\n---\nParler klagt gegen Amazon.\n",
            encoding="utf-8")
    build_index([corpus], root / "index")
    ix = Index(root / "index")
    yield ix
    ix.close()


def _names(ix: Index, query: str) -> set[str]:
    res = ix.search(query, limit=50)
    return {h.path.removesuffix(".md") for h in res.hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date:2021-01-13", "c"),
        ("date:13.01.2021", "c"),
        ("date:>2021-01-13", "defg"),
        ("date:>=2021-01-13", "cdefg"),
        ("date:<2021-01-13", "ab"),
        ("date:<=2021-01-13", "abc"),
        ("date:2021-01", "bcde"),
        ("date:>2021-01", "fg"),
        ("date:<2021-01", "a"),
        ("date:2021", "bcdef"),
        ("date:>2021", "g"),
        ("date:[2021-01-13 TO 2021-02-01]", "cdef"),
        ("date:[2021-01-14 TO 2021-01-14]", "d"),
        ("Parler date:>2021-01-31", "fg"),
        ("Parler NOT date:2021", "ag"),
    ],
)
def test_date_operators_select_exactly(dated_index: Index, query: str, expected: str) -> None:
    assert _names(dated_index, query) == set(expected), query


def test_since_and_until_are_inclusive(dated_index: Index) -> None:
    import datetime as dt

    res = dated_index.search("Parler", since=dt.date(2021, 1, 13), until=dt.date(2021, 1, 31),
                             limit=50)
    assert {h.path.removesuffix(".md") for h in res.hits} == set("cde")
