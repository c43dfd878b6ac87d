"""Updating the index from the TUI in a child ``dossier index`` process.

The TUI must stay small and responsive while a corpus of 100,000 files is
walked and re-indexed; a child process keeps that memory and CPU out of the
UI process, and it can be ended at any moment because builds are atomic.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

_COUNTS = re.compile(r"(\d+) added, (\d+) updated, (\d+) removed")


@dataclass(frozen=True)
class UpdateOutcome:
    """What the child said: a one-line message and whether anything changed."""

    message: str
    changed: bool = False
    locked: bool = False
    failed: bool = False


def update_command(corpora: Sequence[Path], index_dir: Path) -> list[str]:
    """The ``dossier index`` command line for these folders (this interpreter)."""
    cmd = [sys.executable, "-m", "tui.cli", "index", "--index", str(index_dir)]
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
    if proc.returncode != 0:
        if "another dossier is indexing" in last_err:
            return UpdateOutcome(last_err, locked=True)
        return UpdateOutcome(f"index update failed: {last_err or f'exit {proc.returncode}'}",
                             failed=True)
    summary = out[-1] if out else ""
    m = _COUNTS.search(summary)
    changed = bool(m) and any(int(x) for x in m.groups())  # type: ignore[union-attr]
    return UpdateOutcome(summary.split(": ", 1)[-1] or "index is up to date", changed=changed)
