"""The index folder and the one open-or-build path (index/store.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from index.build import build_index
from index.opening import IndexNotBuilt, open_or_build
from index.results import IndexMissing

#: What only building needs: searching an existing index must not pay for importing it.
BUILD_ONLY = ("index.build", "index.metadata", "index.events", "index.corpus", "index.dates")


def test_searching_does_not_import_the_builder() -> None:
    """A fresh ``import index.search, index.store`` loads none of the build-side modules
    (they were a third of a cold ``dossier search``)."""
    script = (
        "import json, sys\n"
        "import index.search, index.store\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('index'))))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=True)
    loaded = set(json.loads(proc.stdout))
    assert "index.search" in loaded
    assert loaded.isdisjoint(BUILD_ONLY), sorted(loaded & set(BUILD_ONLY))


def test_builds_when_missing(seed_corpus: Path, tmp_path: Path) -> None:
    calls: list[str] = []
    progress: list[tuple[int, int]] = []
    opened = open_or_build([seed_corpus], tmp_path / "ix", on_build=lambda: calls.append("b"),
                           progress=lambda done, total, _p: progress.append((done, total)))
    try:
        assert opened.report is not None
        assert opened.report.added == 3
        assert opened.index.doc_count() == 3
        assert calls == ["b"]
        assert progress[-1] == (3, 3)
    finally:
        opened.index.close()


def test_report_is_none_when_the_index_exists(seed_corpus: Path, tmp_path: Path) -> None:
    build_index([seed_corpus], tmp_path / "ix")
    calls: list[str] = []
    for read_only in (False, True):
        opened = open_or_build([seed_corpus], tmp_path / "ix", read_only=read_only,
                               on_build=lambda: calls.append("b"))
        try:
            assert opened.report is None
            assert opened.index.search("Amazon").total > 0
        finally:
            opened.index.close()
    assert calls == []


def test_read_only_without_index_raises_one_line(seed_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "nested" / "ix"
    with pytest.raises(IndexMissing) as info:
        open_or_build([seed_corpus], index_dir, read_only=True, on_build=pytest.fail)
    assert isinstance(info.value, IndexNotBuilt)
    assert str(info.value) == (
        f"no index in {index_dir} (read-only: nothing is built here; "
        "the owner of the corpus runs `dossier index`)")
    assert not (tmp_path / "nested").exists()  # nor a lock file beside it


def test_unreadable_index_is_not_reported_as_not_built(seed_corpus: Path,
                                                       tmp_path: Path) -> None:
    """A damaged index is IndexMissing but not IndexNotBuilt: the TUI shows "No index"
    only when there is none, not when one exists and cannot be opened."""
    index_dir = tmp_path / "ix"
    build_index([seed_corpus], index_dir)
    for toc in index_dir.glob("*.toc"):
        toc.unlink()
    with pytest.raises(IndexMissing) as info:
        open_or_build([seed_corpus], index_dir, read_only=True)
    assert not isinstance(info.value, IndexNotBuilt)
