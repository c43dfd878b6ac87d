"""The TUI's background update: a child `dossier index`, its outcome in one line."""

from __future__ import annotations

from pathlib import Path

from index.build import build_index, build_lock
from tui.index_update import run_update


def test_update_reports_changes_and_lock(seed_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    build_index([seed_corpus], index_dir)
    first = run_update([seed_corpus], index_dir)
    assert not first.changed and not first.failed
    (seed_corpus / "neu.txt").write_text("Neuer Artikel\n\nEin Zebrafisch im Netz.\n", "utf-8")
    started = []
    second = run_update([seed_corpus], index_dir, on_start=started.append)
    assert second.changed and "1 added" in second.message
    assert started and started[0].poll() is not None
    with build_lock(index_dir):
        third = run_update([seed_corpus], index_dir)
    assert third.locked and "another dossier is indexing" in third.message
    broken = run_update([tmp_path / "missing"], index_dir)
    assert broken.failed and "\n" not in broken.message
