"""SIGTERM and SIGHUP end the TUI the normal way.

Textual handles SIGTSTP/SIGCONT but not SIGTERM or SIGHUP: by default either kills
the interpreter on the spot, leaving the user's terminal in raw mode on the
alternate screen (SIGTERM from ``kill`` or a service manager) and skipping the
app's own cleanup (closing the index). SIGHUP is what a dossier served over SSH
gets when the connection drops; the terminal is gone then, so cleanup must not
be able to hang the process either.

The handler asks the app to exit from its own event loop; a daemon watchdog ends
the process with ``os._exit`` if that has not happened within a few seconds (a
dead terminal, a search stuck in a worker thread), and a second signal ends it at
once. The exit code is the shell convention ``128 + signal number``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

#: Seconds the app gets to restore the terminal and close the index after a signal.
GRACE = 3.0
SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextmanager
def exit_on_signals(app: Any, grace: float = GRACE) -> Iterator[None]:
    """While the block runs, SIGTERM/SIGHUP call ``app.exit(return_code=128+n)``.

    Only in the main thread (Python delivers signals there); the previous handlers
    come back afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def handler(signum: int, _frame: FrameType | None) -> None:
        code = 128 + signum
        if received:
            os._exit(code)  # a second signal: the user (or the system) means it
        received.append(signum)
        watchdog = threading.Timer(grace, os._exit, args=(code,))
        watchdog.daemon = True
        watchdog.start()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # the app is not running (yet, or any more)
            raise SystemExit(code) from None
        loop.call_soon_threadsafe(lambda: app.exit(return_code=code))

    previous = {sig: signal.signal(sig, handler) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
