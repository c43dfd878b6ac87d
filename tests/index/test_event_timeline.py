"""The mentioned-dates timeline (issue 11 point 3, issue 10 item 6): mentions are
counted at their own precision, implausible years never reach it, and the number of
buckets is bounded whatever the data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from cli.main import main
from index.build import build_index
from index.search import Index
from index.timeline import MAX_TIMELINE_BUCKETS, _buckets, _fit_granularity

D = dt.date


def _corpus(tmp_path: Path, texts: dict[str, str]) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in texts.items():
        (corpus / name).write_text(text, "utf-8")
    return corpus


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return _corpus(tmp_path, {
        "a.txt": "Wien plant\n\n13.01.2021\n\nIn Wien wurde am 1.1.9999 und im Jahr 9999 "
                 "nichts beschlossen. Der Plan gilt bis 31.12.9998, sagte sie am Montag.\n",
        "b.txt": "Wien baut\n\n14.01.2021\n\nIn Wien soll 9998 gebaut werden, und bis "
                 "1.1.2190 auch. Der Bau begann 1. Oktober 2020.\n",
    })


def test_year_9999_never_reaches_the_timeline(hostile: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    index_dir = tmp_path / "ix"
    build_index([hostile], index_dir)
    code = main(["timeline", "Wien", "--events", "--corpus", str(hostile),
                 "--index", str(index_dir)])
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in err
    code = main(["timeline", "Wien", "--events", "--by", "day", "--json", "--corpus",
                 str(hostile), "--index", str(index_dir)])
    rows = [json.loads(line) for line in capsys.readouterr()[0].splitlines()]
    assert code == 0
    assert all(r["date"] is None or r["date"] < "2200" for r in rows)
    assert not any(r["expression"] in ("1.1.9999", "9999", "9998", "31.12.9998") for r in rows)


def test_day_buckets_are_bounded_whatever_the_data(hostile: Path, tmp_path: Path) -> None:
    build_index([hostile], tmp_path / "ix")
    ix = Index(tmp_path / "ix")
    try:
        tl = ix.event_timeline("Wien", by="day")  # 2020 ... 2199: 65,000 days
    finally:
        ix.close()
    assert len(tl.buckets) <= MAX_TIMELINE_BUCKETS + 1
    assert tl.granularity != "day"


def test_bucket_code_survives_the_end_of_the_calendar() -> None:
    first, last = D(2021, 1, 1).toordinal(), D(9999, 12, 31).toordinal()
    gran = _fit_granularity("day", first, last, 60)
    buckets = _buckets(first, last, gran, {}, {})  # type: ignore[arg-type]
    assert gran == "year" and len(buckets) <= MAX_TIMELINE_BUCKETS + 1
    assert len(_buckets(first, last, "day", {}, {})) == MAX_TIMELINE_BUCKETS + 1  # type: ignore


@pytest.fixture
def precise(tmp_path: Path) -> Index:  # type: ignore[misc]
    corpus = _corpus(tmp_path, {
        "year.txt": "Rückblick\n\n13.01.2021\n\nDas Werk wurde 2018 eröffnet.\n",
        "month.txt": "Planung\n\n13.01.2021\n\nDer Umbau soll im März beginnen.\n",
        "day.txt": "Bericht\n\n13.01.2021\n\nDie Firma schloss am 20. Januar 2021 ihr Werk.\n",
        "season.txt": "Geschichte\n\n13.01.2021\n\nIm Sommer 1940 lag das Werk still.\n",
    })
    build_index([corpus], tmp_path / "ix")
    ix = Index(tmp_path / "ix")
    yield ix
    ix.close()


def test_year_mention_is_no_january_event(precise: Index) -> None:
    tl = precise.event_timeline("", by="month")
    by_label = {b.label: b for b in tl.buckets}
    assert by_label["2018-01"].hits == 0 and by_label["2021-01"].hits == 1
    assert by_label["2021-03"].hits == 1  # "im März": a month mention, in its month
    coarse = {b.label: (b.hits, b.total) for b in tl.coarse}
    assert coarse == {"2018": (1, 1), "1940-SU": (1, 1)}
    # The coarse mention covers every month of 2018, marked apart from the hits.
    assert all(by_label[f"2018-{m:02d}"].coarse_total == 1 for m in range(1, 13))
    assert by_label["2019-01"].coarse_total == 0
    years = {b.label: b.hits for b in precise.event_timeline("", by="year").buckets}
    assert years["2018"] == 1 and years["1940"] == 1 and years["2021"] == 2


def test_month_mention_is_not_on_the_first(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, {
        "month.txt": "Planung\n\n13.01.2021\n\nDer Umbau soll im März beginnen.\n",
        "day.txt": "Bericht\n\n13.01.2021\n\nDie Firma schloss am 20. Januar 2021 ihr Werk.\n",
        "week.txt": "Vorschau\n\n13.01.2021\n\nNächste Woche wird abgestimmt.\n",
    })
    build_index([corpus], tmp_path / "ix")
    ix = Index(tmp_path / "ix")
    try:
        tl = ix.event_timeline("", by="day")
    finally:
        ix.close()
    assert tl.granularity == "day"
    by_label = {b.label: b for b in tl.buckets}
    assert by_label["2021-03-01"].hits == 0 and by_label["2021-01-20"].hits == 1
    assert by_label["2021-01-18"].hits == 0 and by_label["2021-01-19"].coarse_hits == 1
    assert by_label["2021-03-01"].coarse_hits == 1 and by_label["2021-01-20"].coarse_hits == 1
    assert {b.label for b in tl.coarse} == {"2021-03", "2021-W03"}
    assert next(b for b in tl.coarse if b.label == "2021-03").end == D(2021, 3, 31)


def test_filter_by_a_period_finds_coarse_mentions_starting_in_it(precise: Index) -> None:
    assert precise.search("", events=(D(2018, 1, 1), D(2018, 12, 31))).total == 1
    assert precise.search("", events=(D(2021, 3, 1), D(2021, 3, 1))).total == 1


def test_json_mentions_give_granularity_range_and_anchor(precise: Index) -> None:
    rows = {m.expression: m.to_json() for m in precise.events("")}
    assert (rows["2018"]["granularity"], rows["2018"]["date"], rows["2018"]["end"]) == (
        "year", "2018-01-01", "2018-12-31")
    assert rows["2018"]["anchored_on"] is None
    assert (rows["März"]["granularity"], rows["März"]["end"]) == ("month", "2021-03-31")
    assert rows["März"]["anchored_on"] == "publication date"
    assert rows["Sommer 1940"]["value"] == "1940-SU"
