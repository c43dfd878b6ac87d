"""``dossier index --watch``: a file written into the corpus becomes searchable by itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.build import build_index
from index.corpus import watched_folders
from index.search import Index

ROOT = Path(__file__).resolve().parents[2]


def _article(path: Path, word: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Titel {word}\n\nEin Bericht über {word} im Park.\n", encoding="utf-8")


def _paths(index_dir: Path, word: str) -> set[str]:
    ix = Index(index_dir)
    try:
        return {h.path for h in ix.search(word, limit=50).hits}
    finally:
        ix.close()


def test_watched_folders_only_for_plain_article_files(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    _article(corpus / "a" / "x.txt", "eins")
    (corpus / ".git").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (corpus / "link").symlink_to(corpus / "a")
    roots = [corpus]
    assert watched_folders(roots, [corpus / "a" / "x.txt", corpus / "a" / "x.yaml"]) == {
        (corpus / "a").resolve()}
    assert watched_folders(roots, [corpus / "a"]) is None  # a folder: walk everything
    assert watched_folders(roots, [corpus / ".git" / "x.txt"]) is None
    assert watched_folders(roots, [tmp_path / "elsewhere" / "x.txt"]) is None
    assert watched_folders(roots, [corpus / "link" / "x.txt"]) is None
    assert watched_folders(roots, [corpus / "gone" / "x.txt"]) is None  # folder removed


def test_a_folder_update_touches_only_that_folder(tmp_path: Path) -> None:
    corpus, index_dir = tmp_path / "c", tmp_path / "i"
    _article(corpus / "a" / "old.txt", "Walross")
    _article(corpus / "b" / "keep.txt", "Walross")
    build_index([corpus], index_dir)
    _article(corpus / "a" / "new.txt", "Walross")
    _article(corpus / "b" / "unseen.txt", "Walross")
    (corpus / "a" / "old.txt").unlink()
    (corpus / "a" / "evil.txt").symlink_to("/etc/passwd")  # the same fence as a full walk
    report = build_index([corpus], index_dir, folders={(corpus / "a").resolve()})
    assert (report.added, report.removed) == (1, 1)
    assert [rel for rel, _why in report.skipped] == ["a/evil.txt"]
    # b/ was not listed: its new file waits for a full update, its old one stays.
    assert _paths(index_dir, "Walross") == {"a/new.txt", "b/keep.txt"}
    build_index([corpus], index_dir)
    assert _paths(index_dir, "Walross") == {"a/new.txt", "b/keep.txt", "b/unseen.txt"}


def _wait_for(predicate, timeout: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    """Poll until *predicate()* holds; generous, since CI machines are slow and shared."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(sys.platform != "linux", reason="inotify")
def test_watch_indexes_a_written_file_without_a_manual_update(tmp_path: Path) -> None:
    corpus, index_dir = tmp_path / "c", tmp_path / "i"
    _article(corpus / "first.txt", "Anfang")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "index", "--watch", "--json", "--corpus", str(corpus),
         "--index", str(index_dir)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()  # printed once the first update is done
        assert "watching 1 folder" in line, line
        _article(corpus / "sub" / "neu.txt", "Quokka")  # a new folder: the full walk
        assert _wait_for(lambda: _paths(index_dir, "Quokka") == {"sub/neu.txt"})
        _article(corpus / "sub" / "zwei.txt", "Quokka")  # a file: just its folder
        assert _wait_for(lambda: _paths(index_dir, "Quokka") == {"sub/neu.txt",
                                                                 "sub/zwei.txt"})
        (corpus / "sub" / "neu.txt").unlink()
        assert _wait_for(lambda: _paths(index_dir, "Quokka") == {"sub/zwei.txt"})
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert '"status": "ok"' in out


def test_watch_is_refused_read_only(tmp_path: Path) -> None:
    from cli.main import main

    _article(tmp_path / "c" / "a.txt", "x")
    code = main(["index", "--watch", "--read-only", "--corpus", str(tmp_path / "c"),
                 "--index", str(tmp_path / "i")])
    assert code == 2
    assert not (tmp_path / "i").exists()
