"""Search history: newest first, duplicates collapsed, bounded, robust."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cli.main import main
from index.history import History, HistoryUnavailable, history_path
from tui.history_walk import HistoryWalk


def test_newest_first_duplicates_collapse_and_whitespace(tmp_path: Path) -> None:
    h = History(tmp_path / "h.sqlite3")
    for q in ["Parler", "Amazon  Klage", "Parler", "  ", "Amazon Klage\n"]:
        h.record(q)
    assert h.recent() == ["Amazon Klage", "Parler"]
    assert h._db.execute("SELECT uses FROM queries WHERE text = 'Parler'").fetchone()[0] == 2
    assert h.recent(containing="klage") == ["Amazon Klage"]
    assert h.recent(limit=1) == ["Amazon Klage"]
    assert h.record("x" * 2001) is False
    h.forget("Parler")
    assert h.recent() == ["Amazon Klage"]
    h.close()
    again = History(tmp_path / "h.sqlite3")
    assert again.recent() == ["Amazon Klage"]
    again.close()


def test_bounded(tmp_path: Path) -> None:
    h = History(tmp_path / "h.sqlite3", max_entries=5)
    for i in range(12):
        h.record(f"q{i}")
    assert h.recent() == [f"q{i}" for i in range(11, 6, -1)]
    h.close()


def test_damaged_file_is_one_line_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"garbage\x00" * 64)
    with pytest.raises(HistoryUnavailable) as info:
        History(path)
    assert "\n" not in str(info.value) and str(info.value).startswith("search history is off: ")
    assert path.read_bytes() == b"garbage\x00" * 64
    assert [p.name for p in tmp_path.iterdir()] == ["h.sqlite3"]


def test_locked_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    History(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        h = History(path, timeout=0.2)
        with pytest.raises(HistoryUnavailable, match="locked"):
            h.record("Parler")
    finally:
        other.execute("ROLLBACK")
        other.close()
    h.close()


_WORKER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from index.history import History
    h = History(Path(sys.argv[1]))
    for i in range(80):
        h.record(f"{sys.argv[2]} {i}")
        h.record("shared")
    h.close()
""")


def test_two_processes_at_once(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, str(path), who],
                              stderr=subprocess.PIPE) for who in ("a", "b")]
    for p in procs:
        _out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    h = History(path)
    entries = h.recent()
    assert len(entries) == 161 and len(set(entries)) == 161
    assert h._db.execute("SELECT uses FROM queries WHERE text = 'shared'").fetchone()[0] == 160
    h.close()


def test_walk_like_a_shell() -> None:
    w = HistoryWalk()
    w.set_entries(["c", "b", "a"])
    assert w.back("typed") == "c" and w.back("c") == "b" and w.back("b") == "a"
    assert w.back("a") is None  # the oldest: stays
    assert w.forward() == "b" and w.forward() == "c"
    assert w.forward() == "typed" and not w.walking  # the draft comes back
    assert w.forward() is None  # not walking: Down goes to the results
    assert w.back("c") == "b"  # the query on screen is skipped
    w.stop()
    assert not w.walking


def test_cli_history_lists_without_creating(tmp_path: Path, seed_corpus: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    where = ["--corpus", str(seed_corpus)]
    assert main(["history", *where]) == 0
    assert capsys.readouterr().out == ""
    path = history_path([seed_corpus.resolve()])
    assert not path.exists()
    h = History(path)
    h.record("Parler")
    h.record('"einstweilige Verfügung"')
    h.close()
    assert main(["history", "--json", *where]) == 0
    assert capsys.readouterr().out.splitlines() == ['"\\"einstweilige Verfügung\\""',
                                                    '"Parler"']
    assert main(["history", "--limit", "1", *where]) == 0
    assert capsys.readouterr().out == '"einstweilige Verfügung"\n'
