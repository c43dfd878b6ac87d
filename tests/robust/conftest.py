"""Fixtures of the robustness suite, and the ``slow`` opt-in.

The helpers in this folder (``hostile.py``) are imported by file path:
pytest runs with ``--import-mode=importlib`` and ``tests`` is no package.

Tests marked ``slow`` (the long kill storm) are skipped here unless the run
selects them with ``-m slow`` or sets ``DOSSIER_SLOW=1``, so the default run
stays short even though ``addopts`` does not deselect the marker.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent


def load_helper(name: str) -> ModuleType:
    """Import ``tests/robust/<name>.py`` once, by path."""
    key = f"dossier_robust_{name}"
    if key in sys.modules:
        return sys.modules[key]
    spec = importlib.util.spec_from_file_location(key, HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[key] = module
    spec.loader.exec_module(module)
    return module


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip this folder's ``slow`` tests unless they were asked for."""
    if "slow" in (config.getoption("markexpr") or "") or os.environ.get("DOSSIER_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow (or DOSSIER_SLOW=1)")
    for item in items:
        if "slow" in item.keywords and HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def hostile() -> ModuleType:
    """The hostile-corpus generator module."""
    return load_helper("hostile")


@pytest.fixture(scope="session")
def tally() -> ModuleType:
    """Counters for the figures of the run (cases fuzzed, kills survived)."""
    return load_helper("tally")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the figures: cases fuzzed per property, kills survived."""
    counts = load_helper("tally").COUNTS
    if not counts:
        return
    fuzzed = sum(v for k, v in counts.items() if k.startswith("fuzz:"))
    terminalreporter.section("dossier robustness figures")
    terminalreporter.write_line(f"cases fuzzed: {fuzzed}")
    for key in sorted(counts):
        terminalreporter.write_line(f"  {key}: {counts[key]}")
    out = os.environ.get("DOSSIER_ROBUST_REPORT")
    if out:
        Path(out).write_text(json.dumps({"cases_fuzzed": fuzzed, **counts}, indent=1))
