"""What screens and widgets may know about each other and the App, as Protocols.

Screens type ``self.app`` and the screens they talk to through these, instead of
importing ``tui.app`` or another screen module: that import is what closed the
circle app -> screens -> app (tests/tui/test_layering.py keeps it open).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class ShowsWorkerFailures(Protocol):
    """A screen that shows its failed workers itself (a header line, the viewer, the
    status line); the App's one ``Worker.StateChanged`` handler words the line."""

    def show_worker_failure(self, group: str, text: str) -> None:
        """Show *text* (one line, already safe) for a failed worker of *group*."""
        ...
