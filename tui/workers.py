"""Worker failures reach the user through one handler, the App's.

Textual posts ``Worker.StateChanged`` to the node that started the worker (a
screen) and does not let it bubble. Every screen used to catch it and word the
failure itself; the wording and the "never a traceback" rule then had to be kept
equal in four places. Screens that run workers mix in :class:`ReportsWorkersToApp`,
which hands the message to the App; the App words the failure once
(``render.worker_failure``) and gives the line back to the screen to show where it
belongs (:class:`tui.protocols.ShowsWorkerFailures`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.worker import Worker

if TYPE_CHECKING:
    from textual.message import Message


class ReportsWorkersToApp:
    """Mixin for a screen (before ``Screen`` in the bases): its workers' state changes
    go to the App's queue instead of the screen's.

    A screen that is closing or closed drops them, as its own queue did, so a worker
    cancelled by closing its screen is not reported."""

    def post_message(self, message: Message) -> bool:
        """``Worker.StateChanged`` to the App; every other message as usual."""
        if isinstance(message, Worker.StateChanged):
            if self._closing or self._closed:  # type: ignore[attr-defined]
                return False
            return self.app.post_message(message)  # type: ignore[attr-defined]
        return super().post_message(message)  # type: ignore[misc]
