"""Figures the robustness suite reports at the end of a run.

The lead must quote "cases fuzzed" and "kills survived"; tests add to these
counters and ``conftest.py`` prints them in the terminal summary (and writes
them to ``$DOSSIER_ROBUST_REPORT`` as JSON when that is set).
"""

from __future__ import annotations

from collections import Counter

COUNTS: Counter[str] = Counter()


def add(name: str, n: int = 1) -> None:
    """Count *n* more events of kind *name* (e.g. ``fuzz:parser``, ``kills``)."""
    COUNTS[name] += n
