"""SIGTERM and SIGHUP end the TUI the normal way.

Textual handles SIGTSTP/SIGCONT but not SIGTERM or SIGHUP: by default either kills
the interpreter on the spot, leaving the user's terminal in raw mode on the
alternate screen (SIGTERM from ``kill`` or a service manager) and skipping the
app's own cleanup (closing the index). SIGHUP is what a dossier served over SSH
gets when the connection drops; the terminal is gone then, so cleanup must not
be able to hang the process either.

The handler asks the app to exit from its own event loop; a daemon watchdog ends
the process with ``os._exit`` if that has not happened within a few seconds (a
dead terminal, a search stuck in a worker thread, a huge frame being rendered),
and a second signal ends it at once. The exit code is the shell convention
``128 + signal number``. The same :func:`request_exit` serves the terminal
driver when input ends (the terminal went away without a signal), and an
``alarm`` backs the watchdog thread up: the kernel ends the process even if no
Python thread gets to run.
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


_exiting: list[int] = []


def request_exit(app: Any, code: int, loop: asyncio.AbstractEventLoop | None,
                 grace: float = GRACE) -> None:
    """Ask *app* to exit with *code* from any thread, and make sure the process ends.

    A watchdog thread calls ``os._exit(code)`` after *grace* seconds; an ``alarm``
    (default action: terminate) two seconds later covers a main thread that holds
    the interpreter. Called twice, the second call exits at once.
    """
    if _exiting:
        os._exit(code)
    _exiting.append(code)
    watchdog = threading.Timer(grace, os._exit, args=(code,))
    watchdog.daemon = True
    watchdog.start()
    if hasattr(signal, "alarm"):
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGALRM, signal.SIG_DFL)  # dossier sets no SIGALRM handler
        signal.alarm(int(grace) + 2)
    if loop is None or loop.is_closed():
        return
    try:
        loop.call_soon_threadsafe(lambda: app.exit(return_code=code))
    except RuntimeError:  # the loop closed meanwhile: the watchdog ends the process
        pass


@contextmanager
def exit_on_signals(app: Any, grace: float = GRACE) -> Iterator[None]:
    """While the block runs, SIGTERM/SIGHUP call ``app.exit(return_code=128+n)``.

    Only in the main thread (Python delivers signals there); the previous handlers
    come back afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    def handler(signum: int, _frame: FrameType | None) -> None:
        code = 128 + signum
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # the app is not running (yet, or any more)
            if _exiting:
                os._exit(code)
            _exiting.append(code)
            raise SystemExit(code) from None
        request_exit(app, code, loop, grace)  # a second signal exits at once

    previous = {sig: signal.signal(sig, handler) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
