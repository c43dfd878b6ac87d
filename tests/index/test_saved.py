"""Saved searches: names, filters, rename/delete, the command line."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from cli.main import main
from index.saved import (
    BadSavedSearch,
    SavedSearch,
    SavedSearches,
    SavedUnavailable,
    check_name,
    saved_path,
)

JAN = (dt.date(2021, 1, 1), dt.date(2021, 1, 31))


def test_save_get_replace_rename_delete(tmp_path: Path) -> None:
    store = SavedSearches(tmp_path / "s.sqlite3")
    s = store.save(SavedSearch("  Parler   Klagen ", "Parler Klage", *JAN, "oldest",
                               (dt.date(2021, 2, 1), dt.date(2021, 2, 28))))
    assert s.name == "Parler Klagen"
    got = store.get("parler klagen")
    assert got == s and got.describe() == ("Parler Klage · 2021-01-01..2021-01-31 · "
                                           "mentions 2021-02-01..2021-02-28 · oldest first")
    with pytest.raises(BadSavedSearch, match="exists already"):
        store.save(SavedSearch("PARLER KLAGEN", "x"))
    store.save(SavedSearch("PARLER KLAGEN", "x"), replace=True)
    assert [(x.name, x.query) for x in store.all()] == [("PARLER KLAGEN", "x")]
    store.save(SavedSearch("Cloud", "Cloud"))
    with pytest.raises(BadSavedSearch, match="exists already"):
        store.rename("cloud", "parler klagen")
    assert store.rename("cloud", "Cloud Act") == "Cloud Act"
    assert store.rename("cloud act", "CLOUD ACT") == "CLOUD ACT"  # its own name, recased
    with pytest.raises(BadSavedSearch, match="no saved search"):
        store.rename("nope", "x")
    assert store.delete("cloud act") is True and store.delete("cloud act") is False
    assert store.use("parler klagen").query == "x"
    with pytest.raises(BadSavedSearch, match="no saved search"):
        store.use("gone")
    store.close()


@pytest.mark.parametrize("name", ["", "   ", "a[b]", "x\x1bq", "tab\there?" * 10,
                                  '"quoted"', "a/b", "$HOME", "-leading", "x" * 61])
def test_odd_names_are_one_line_errors(name: str) -> None:
    with pytest.raises(BadSavedSearch) as info:
        check_name(name)
    assert "\n" not in str(info.value)


def test_good_names() -> None:
    for name in ["Parler", "Klagen 2021", "Amazon & Parler (Jan.)", "Wer? Wann!", "é", "a"]:
        assert check_name(name) == name


def test_damaged_and_locked(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    path.write_bytes(b"nope" * 100)
    with pytest.raises(SavedUnavailable, match="saved searches are off"):
        SavedSearches(path)
    assert path.read_bytes() == b"nope" * 100
    path.unlink()
    SavedSearches(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        store = SavedSearches(path, timeout=0.2)
        with pytest.raises(SavedUnavailable, match="locked"):
            store.save(SavedSearch("a", "b"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    store.close()


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_saved_and_search_saved(seed_corpus: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    where = ["--corpus", str(seed_corpus)]
    assert _run(capsys, "index", *where)[0] == 0
    assert _run(capsys, "saved", *where)[:2] == (0, "")
    assert not saved_path([seed_corpus.resolve()]).exists()
    code, out, err = _run(capsys, "saved", "--add", "Parler Januar", "Parler", "--since",
                          "2021-01", "--until", "2021-01", "--sort", "oldest", *where)
    assert code == 0 and out.startswith("saved 'Parler Januar'"), err
    code, out, _ = _run(capsys, "search", "--saved", "parler  januar", "--json", *where)
    dates = [json.loads(x)["date"] for x in out.splitlines()]
    assert dates and dates == sorted(dates) and all(d.startswith("2021-01") for d in dates)
    code, out, _ = _run(capsys, "search", "--saved", "Parler Januar", "--until", "2021-01-15",
                        "--json", *where)
    assert [json.loads(x)["date"] for x in out.splitlines()] == ["2021-01-13"]
    code, out, _ = _run(capsys, "saved", "--json", *where)
    assert json.loads(out) == {"name": "Parler Januar", "query": "Parler",
                               "since": "2021-01-01", "until": "2021-01-31", "sort": "oldest",
                               "mentions": None}
    assert _run(capsys, "saved", "--rename", "parler januar", "PJ", *where)[0] == 0
    assert _run(capsys, "saved", *where)[1].startswith("PJ: Parler")
    assert _run(capsys, "saved", "--delete", "pj", *where)[0] == 0
    assert _run(capsys, "saved", *where)[1] == ""


@pytest.mark.parametrize("argv", [
    ["search", "--saved", "nope"],
    ["search", "Parler", "--saved", "x"],
    ["search"],
    ["saved", "--add", "a[b]", "Parler"],
    ["saved", "--add", "ok", '"Parler'],
    ["saved", "--delete", "nope"],
    ["saved", "--rename", "nope", "x"],
    ["saved", "--add", "a", "b", "--delete", "a"],
])
def test_cli_saved_bad_input(argv: list[str], seed_corpus: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    where = ["--corpus", str(seed_corpus)]
    assert _run(capsys, "index", *where)[0] == 0
    assert _run(capsys, "saved", "--add", "taken", "Parler", *where)[0] == 0
    code, out, err = _run(capsys, *argv, *where)
    assert code == 2 and out == "" and err.count("\n") == 1, err
