"""The terminal driver: Textual's Linux driver with a size cap and hang-up detection.

Two things a shared SSH server needs that stock Textual (8.2.8) does not do:

- **A size cap.** A 6000x6000 window (``stty``, an in-band resize report or a
  hostile client) is 36 million cells: the compositor took ~930 MB and a frame took
  seconds. Sizes beyond :data:`MAX_COLUMNS` x :data:`MAX_ROWS` are clamped before the
  app sees them, so dossier draws in the top-left corner and says so
  (:attr:`DossierDriver.capped_from`, shown by the app).
- **End of input ends the app.** When the terminal goes away (the SSH client dies,
  the pty is closed, stdin reaches its end) the stock input thread reads ``b""``
  for ever, returning at once from ``select``: a process spinning at 100% CPU,
  reparented to PID 1, long after its user left. Here end of input or a read
  error asks the app to exit (code 129, like SIGHUP) through
  :func:`tui.signals.request_exit`, whose watchdog ends the process within a few
  seconds even if the event loop is busy rendering: hang-up handling does not wait
  for a frame to finish.

The input loop is Textual's own (``LinuxDriver.run_input_thread``), with those checks.
"""

from __future__ import annotations

import asyncio
import os
import selectors
import signal
from codecs import getincrementaldecoder
from typing import Any

from textual import events
from textual._loop import loop_last
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

from tui.signals import request_exit

#: The largest window dossier draws; beyond it, the top-left corner of this size is used.
MAX_COLUMNS = 500
MAX_ROWS = 200
#: Exit code when the terminal went away (as for SIGHUP: 128 + 1).
HANGUP_CODE = 128 + int(signal.SIGHUP)


def cap_size(width: int, height: int) -> tuple[int, int]:
    """*width* x *height* clamped to :data:`MAX_COLUMNS` x :data:`MAX_ROWS`."""
    return min(width, MAX_COLUMNS), min(height, MAX_ROWS)


class DossierDriver(LinuxDriver):
    """``LinuxDriver`` with the size cap and end-of-input exit (see the module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The real window size when it was larger than the cap, else None.
        self.capped_from: tuple[int, int] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        if self._size is None:
            # App.size falls back to Rich's console size (uncapped) until the first
            # resize event: the first frames were drawn at the full 6000x6000.
            self._size = self._get_terminal_size()

    def start_application_mode(self) -> None:
        """Remember the app's event loop (the input thread hands the exit to it)."""
        self._loop = asyncio.get_running_loop()
        super().start_application_mode()

    def _get_terminal_size(self) -> tuple[int, int]:
        width, height = super()._get_terminal_size()
        return self._cap(width, height)

    def _cap(self, width: int, height: int) -> tuple[int, int]:
        capped = cap_size(width, height)
        self.capped_from = (width, height) if capped != (width, height) else None
        return capped

    def process_message(self, message: Any) -> None:
        """Clamp resize reports that come from the terminal itself (in-band resize)."""
        if isinstance(message, events.Resize):
            width, height = message.size
            capped = self._cap(width, height)
            if capped != (width, height):
                pixels = None
                if message.pixel_size is not None:
                    pw, ph = message.pixel_size
                    pixels = (pw * capped[0] // max(1, width), ph * capped[1] // max(1, height))
                message = events.Resize.from_dimensions(capped, pixels)
        super().process_message(message)

    def _hang_up(self) -> None:
        """The terminal is gone: end the app (and, failing that, the process)."""
        request_exit(self._app, HANGUP_CODE, self._loop)

    def run_input_thread(self) -> None:
        """Textual's input loop, ending the app at end of input or on a read error."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        parser = XTermParser(self._debug)
        feed, tick = parser.feed, parser.tick
        decode = getincrementaldecoder("utf-8")().decode
        gone = False

        def process(selector_events: list[tuple[Any, int]], final: bool = False) -> None:
            nonlocal gone
            for last, (_key, mask) in loop_last(selector_events):
                if mask & selectors.EVENT_READ:
                    try:
                        data = os.read(fileno, 1024 * 4)
                    except OSError:  # EIO: the terminal was hung up
                        data = b""
                    if not data:
                        gone = True
                        break
                    for event in feed(decode(data, final=final and last)):
                        self.process_message(event)
            for event in tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set() and not gone:
                process(selector.select(0.1))
            if gone:
                self._hang_up()
            else:
                selector.unregister(self.fileno)
                process(selector.select(0.1), final=True)
        finally:
            selector.close()
            try:
                for _event in feed(""):
                    pass
            except Exception:  # noqa: BLE001 - a half sequence at the end is no error
                pass

