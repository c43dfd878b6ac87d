"""The TUI's background update: a child `dossier index`, its outcome in one line."""

from __future__ import annotations

from pathlib import Path

from index.build import build_index
from index.store import build_lock
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


def test_child_reports_one_json_object(seed_corpus: Path, tmp_path: Path) -> None:
    """The update reads the child's ``--json`` line, not its prose: run the real child
    command and hold it to the keys :func:`run_update` reads, so a drift in
    ``dossier index --json`` fails here and not silently in the TUI."""
    import json
    import subprocess

    from tui.index_update import update_command

    index_dir = tmp_path / "ix"
    cmd = update_command([seed_corpus], index_dir)
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["status"] == "ok" and record["added"] == 3
    assert {"updated", "removed", "unchanged", "skipped", "seconds", "summary"} <= set(record)
    (seed_corpus / "000_73fe919e8720b275.txt").unlink()
    outcome = run_update([seed_corpus], index_dir)
    assert outcome.changed and "1 removed" in outcome.message  # a removal alone is a change
    with build_lock(index_dir):
        locked = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert locked.returncode == 1
    assert json.loads(locked.stdout)["status"] == "locked"
