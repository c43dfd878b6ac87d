"""``date:`` queries select exactly the articles of their period, no more and no fewer.

The seeds are three articles of two days, so a ``date:>X`` rewritten to match every
day still "finds" the seed it is asked about. Here a tiny corpus has articles on both
sides of every boundary (the last day of a month and of a year, the first day of the
next) and one undated article, and every form is checked against the exact set of
files it must return, through the query syntax and through ``since``/``until``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.search import Index

#: file stem -> publication date (None: undated). Every stem is also a word of its body.
DAYS: dict[str, dt.date | None] = {
    "dec31": dt.date(2020, 12, 31),
    "jan01": dt.date(2021, 1, 1),
    "jan13": dt.date(2021, 1, 13),
    "jan31": dt.date(2021, 1, 31),
    "feb01": dt.date(2021, 2, 1),
    "feb28": dt.date(2021, 2, 28),
    "mar01": dt.date(2021, 3, 1),
    "jan01next": dt.date(2022, 1, 1),
    "undated": None,
}


@pytest.fixture(scope="module")
def dated_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    from index.build import build_index

    root = tmp_path_factory.mktemp("dated")
    corpus = root / "corpus"
    corpus.mkdir()
    for stem, day in DAYS.items():
        front = f"---\ntitle: Meldung {stem}\ndate: {day.isoformat()}\n---\n" if day else ""
        (corpus / f"{stem}.txt").write_text(
            f"{front}Meldung {stem}\n\nDas Quokka der Meldung {stem} bleibt.\n", "utf-8")
    build_index([corpus], root / "index")
    ix = Index(root / "index")
    yield ix
    ix.close()


def _stems(ix: Index, query: str, **kw: object) -> set[str]:
    result = ix.search(query, limit=100, **kw)  # type: ignore[arg-type]
    return {Path(h.path).stem for h in result.hits}


def _where(pred) -> set[str]:  # type: ignore[no-untyped-def]
    return {stem for stem, day in DAYS.items() if day is not None and pred(day)}


def test_the_corpus_dates_are_read(dated_index: Index) -> None:
    hits = dated_index.search("Quokka", limit=100).hits
    assert {Path(h.path).stem: h.date for h in hits} == DAYS


D = dt.date
CASES = [
    # a day, a month, a year
    ("date:2021-01-13", lambda d: d == D(2021, 1, 13)),
    ("date:13.01.2021", lambda d: d == D(2021, 1, 13)),
    ("date:2021-01", lambda d: (d.year, d.month) == (2021, 1)),
    ("date:2021-02", lambda d: (d.year, d.month) == (2021, 2)),
    ("date:2021", lambda d: d.year == 2021),
    ("date:2020", lambda d: d.year == 2020),
    # strict and inclusive bounds, at a day, a month and a year
    ("date:>2021-01-01", lambda d: d > D(2021, 1, 1)),
    ("date:>=2021-01-01", lambda d: d >= D(2021, 1, 1)),
    ("date:<2021-01-01", lambda d: d < D(2021, 1, 1)),
    ("date:<=2021-01-01", lambda d: d <= D(2021, 1, 1)),
    ("date:>2021-01", lambda d: d > D(2021, 1, 31)),
    ("date:>=2021-01", lambda d: d >= D(2021, 1, 1)),
    ("date:<2021-02", lambda d: d < D(2021, 2, 1)),
    ("date:<=2021-02", lambda d: d <= D(2021, 2, 28)),
    ("date:>2021", lambda d: d.year > 2021),
    ("date:<2021", lambda d: d.year < 2021),
    ("date:>=2021", lambda d: d.year >= 2021),
    ("date:<=2021", lambda d: d.year <= 2021),
    # ranges: inclusive of whole periods at both ends, open at one end
    ("date:[2021-01-13 TO 2021-02-01]", lambda d: D(2021, 1, 13) <= d <= D(2021, 2, 1)),
    ("date:[2021-01 TO 2021-02]", lambda d: D(2021, 1, 1) <= d <= D(2021, 2, 28)),
    ("date:[2020-12-31 TO 2020-12-31]", lambda d: d == D(2020, 12, 31)),
    ("date:[2021-02 TO]", lambda d: d >= D(2021, 2, 1)),
    ("date:[TO 2021-01]", lambda d: d <= D(2021, 1, 31)),
    ("date:[2021 TO 2021]", lambda d: d.year == 2021),
]


@pytest.mark.parametrize(("query", "pred"), CASES, ids=[q for q, _ in CASES])
def test_date_query_selects_exactly_its_period(dated_index: Index, query: str, pred) -> None:  # type: ignore[no-untyped-def]
    expected = _where(pred)
    assert expected and expected != _where(lambda d: True), "a case must cut the corpus"
    assert _stems(dated_index, query) == expected
    # The same filter next to words narrows them the same way.
    assert _stems(dated_index, f"Quokka {query}") == expected


def test_undated_and_its_negation(dated_index: Index) -> None:
    assert _stems(dated_index, "date:undated") == {"undated"}
    assert _stems(dated_index, "Quokka NOT date:undated") == set(DAYS) - {"undated"}


def test_two_bounds_together_are_a_window(dated_index: Index) -> None:
    assert _stems(dated_index, "date:>2020-12-31 date:<2021-02-01") == {"jan01", "jan13", "jan31"}
    assert _stems(dated_index, "date:2021-01 OR date:2022") == {"jan01", "jan13", "jan31",
                                                                "jan01next"}


@pytest.mark.parametrize(("since", "until", "pred"), [
    (D(2021, 1, 1), None, lambda d: d >= D(2021, 1, 1)),
    (None, D(2021, 1, 1), lambda d: d <= D(2021, 1, 1)),
    (D(2021, 1, 13), D(2021, 2, 1), lambda d: D(2021, 1, 13) <= d <= D(2021, 2, 1)),
    (D(2021, 1, 14), D(2021, 1, 30), lambda d: False),
])
def test_since_and_until_select_exactly_their_days(dated_index: Index, since, until,  # type: ignore[no-untyped-def]
                                                   pred) -> None:
    assert _stems(dated_index, "Quokka", since=since, until=until) == _where(pred)
