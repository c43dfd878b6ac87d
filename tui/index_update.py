"""Updating the index from the TUI in a child ``dossier index`` process.

The TUI must stay small and responsive while a corpus of 100,000 files is
walked and re-indexed; a child process keeps that memory and CPU out of the
UI process, and it can be ended at any moment because builds are atomic.

The child runs with ``--json``: its result comes back as one JSON object on stdout
(the counts, or ``"status": "locked"``/``"failed"`` with the error) and its exit
code, never as prose to pick apart, so rewording a message cannot break the update.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class UpdateOutcome:
    """What the child said: a one-line message and whether anything changed."""

    message: str
    changed: bool = False
    locked: bool = False
    failed: bool = False


def update_command(corpora: Sequence[Path], index_dir: Path) -> list[str]:
    """The ``dossier index`` command line for these folders (this interpreter)."""
    cmd = [sys.executable, "-m", "cli", "index", "--json", "--index", str(index_dir)]
    for corpus in corpora:
        cmd += ["--corpus", str(corpus)]
    return cmd


def run_update(
    corpora: Sequence[Path],
    index_dir: Path,
    on_start: Callable[[subprocess.Popen[bytes]], None] | None = None,
) -> UpdateOutcome:
    """Run the update and wait for it (call from a worker thread)."""
    proc = subprocess.Popen(
        update_command(corpora, index_dir),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    if on_start is not None:
        on_start(proc)
    out_b, err_b = proc.communicate()
    out = out_b.decode("utf-8", "replace").strip().splitlines()
    err = err_b.decode("utf-8", "replace").strip().splitlines()
    last_err = err[-1].removeprefix("dossier: ") if err else ""
    record = _summary(out[-1] if out else "")
    if proc.returncode == 1 and record.get("status") == "locked":
        return UpdateOutcome(str(record.get("error") or last_err), locked=True)
    if proc.returncode != 0:
        why = record.get("error") or last_err or f"exit {proc.returncode}"
        return UpdateOutcome(f"index update failed: {why}", failed=True)
    if record.get("status") != "ok":
        return UpdateOutcome("index update failed: no summary from dossier index", failed=True)
    changed = any(int(record.get(k) or 0) for k in ("added", "updated", "removed"))
    return UpdateOutcome(str(record.get("summary") or "index is up to date"), changed=changed)


def _summary(line: str) -> dict[str, Any]:
    """The child's ``--json`` object ({} when the line is not one)."""
    try:
        record = json.loads(line)
    except ValueError:
        return {}
    return record if isinstance(record, dict) else {}
