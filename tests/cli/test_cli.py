"""The command-line contract: exit codes, JSON lines, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_json_contract(seed_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "search", "Kapitol", "--corpus", str(seed_corpus), "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 3
    keys = {"id", "path", "title", "date", "date_precision", "date_origin", "source",
            "language", "score", "snippets", "spans"}
    assert all(keys <= set(r) for r in rows)
    code, out, _ = _run(capsys, "show", rows[0]["id"], "--corpus", str(seed_corpus), "--json")
    text = json.loads(out)["text"]
    assert all(text[s:e].lower().startswith("kapitol") for s, e in rows[0]["spans"])


def test_zero_hits_is_success(seed_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "search", "Quantenphysik", "--corpus", str(seed_corpus), "--json")
    assert (code, out) == (0, "")


def test_query_error_exit_2_one_line(seed_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "search", '"Parler', "--corpus", str(seed_corpus))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "column 1" in err


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "search")[0] == 2
    code, _, err = _run(capsys, "search", "x", "--corpus", str(tmp_path / "missing"))
    assert code == 2 and "not found" in err
    assert _run(capsys, "show", "nope", "--corpus", str(tmp_path))[0] == 2


@pytest.mark.parametrize("argv", [
    ("timeline", "Parler", "--by", "century"),
    ("search", "Parler", "--limit", "abc"),
    ("bogus",),
    ("--nope",),
])
def test_argparse_errors_are_one_line_exit_2(argv: tuple[str, ...],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("dossier: "), err
    assert err.endswith(" (see dossier --help)\n") and "usage:" not in err


@pytest.mark.parametrize("command", ["search", "export", "timeline"])
def test_since_after_until_is_a_usage_error(command: str, seed_corpus: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, command, "Parler", "--corpus", str(seed_corpus),
                          "--since", "2021", "--until", "2020")
    assert (code, out) == (2, "")
    assert err == "dossier: --since 2021 is after --until 2020\n"
    code, _, err = _run(capsys, command, "Parler", "--corpus", str(seed_corpus),
                        "--since", "2021-01", "--until", "2021-01")
    assert code == 0, err


def test_since_until_and_sort(seed_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "search", "Parler", "--corpus", str(seed_corpus), "--json",
                        "--since", "2021-01", "--until", "2021-01", "--sort", "date")
    assert code == 0
    dates = [json.loads(x)["date"] for x in out.splitlines()]
    assert dates and all(d and d.startswith("2021-01") for d in dates)


def test_timeline_json(seed_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "timeline", "Parler", "--corpus", str(seed_corpus), "--json",
                        "--by", "month")
    data = json.loads(out)
    assert code == 0 and data["granularity"] == "month"
    assert sum(b["hits"] for b in data["buckets"]) + data["undated_hits"] == 3


def test_index_summary(seed_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "index", "--corpus", str(seed_corpus))
    assert code == 0 and "3 added" in out
    code, out, _ = _run(capsys, "index", "--corpus", str(seed_corpus))
    assert "3 unchanged" in out


def test_help_and_version_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--version"], ["search", "--version"], ["index", "--help"],
                 ["timeline", "--help"], ["show", "--help"]):
        code, out, _ = _run(capsys, *argv)
        assert code == 0 and out


def test_index_package_never_imports_textual() -> None:
    code = (
        "import sys, index.search, index.build, index.corpus, index.metadata, index.dates\n"
        "assert 'textual' not in sys.modules, 'index imported textual'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ})
    assert proc.returncode == 0, proc.stderr


def test_timeline_events_json(seed_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "timeline", "--events", "Gericht", "--corpus", str(seed_corpus),
                        "--json")
    rows = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and rows
    keys = {"date", "granularity", "expression", "sentence", "id", "span"}
    assert all(keys <= set(r) for r in rows)
    assert {r["value"] for r in rows} >= {"2021-01-21"}


def test_corpus_before_or_after_the_subcommand(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "own"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Zebrafische im Aquarium\n\nDer Zebrafisch schwimmt.\n")
    for argv in (["--corpus", str(corpus), "search", "Zebrafisch", "--json"],
                 ["search", "Zebrafisch", "--json", "--corpus", str(corpus)]):
        code, out, _ = _run(capsys, *argv)
        assert code == 0
        assert len(out.splitlines()) == 1, argv


def test_index_is_quiet_when_piped(seed_corpus: Path, tmp_path: Path) -> None:
    dossier = Path(sys.executable).with_name("dossier")
    proc = subprocess.run([str(dossier), "index", "--corpus", str(seed_corpus), "--index",
                           str(tmp_path / "ix")], capture_output=True, text=True, timeout=60,
                          env={**os.environ})
    assert proc.returncode == 0
    assert proc.stderr == ""  # no progress bar when stderr is not a terminal
    assert proc.stdout.count("\n") == 1 and "3 added" in proc.stdout


def test_index_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    import pty

    corpus = tmp_path / "many"
    corpus.mkdir()
    for i in range(400):
        (corpus / f"{i:03d}.txt").write_text(
            f"Artikel {i}\n\nDas Gericht verhandelt die Klage Nummer {i}. " * 20, "utf-8")
    dossier = Path(sys.executable).with_name("dossier")
    master, slave = pty.openpty()
    proc = subprocess.Popen([str(dossier), "index", "--corpus", str(corpus), "--index",
                             str(tmp_path / "ix")], stdout=subprocess.PIPE, stderr=slave,
                            env={**os.environ, "COLUMNS": "100"})
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=120)
    os.close(master)
    text = seen.decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "indexing" in text and "/400" in text  # a bar with counts, rate and time left
    assert "art/s" in text or "0:00" in text
