"""One debounce for the article previews (the main screen's and the events
screen's): moving the cursor through a list loads the highlighted article only
once the cursor rests, not once per row passed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.message_pump import MessagePump
    from textual.timer import Timer

#: Seconds the cursor must rest before the preview loads: below a key repeat's
#: interval, so holding ``down`` loads nothing until it is let go.
PREVIEW_DELAY = 0.08


class Debounce:
    """Call *callback* once, *delay* seconds after the last :meth:`poke` (a timer of
    *owner*, so it stops with the screen)."""

    def __init__(self, owner: MessagePump, callback: Callable[[], object],
                 delay: float = PREVIEW_DELAY) -> None:
        self._owner = owner
        self._callback = callback
        self._delay = delay
        self._timer: Timer | None = None

    def poke(self) -> None:
        """(Re)start the wait: an earlier, pending call is dropped."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._owner.set_timer(self._delay, self._fire)

    def _fire(self) -> None:
        self._timer = None
        self._callback()
