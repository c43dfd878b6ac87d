"""``tui/signals.py`` on its own: SIGTERM and SIGHUP end the app the normal way, and the
process ends even when the app does not.

``request_exit`` ends processes with ``os._exit`` and ``alarm``: those cases run in a
child interpreter, each with a stand-in app that records how it was asked to exit.
The real program under a signal is tested in tests/ssh/test_terminal_faults.py.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading

import pytest

from tui.signals import SIGNALS, exit_on_signals

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

PRELUDE = """
import asyncio, os, signal, sys
from tui import signals

class App:
    def exit(self, return_code):
        print("exit", return_code, flush=True)
"""


def _child(body: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    code = PRELUDE + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout, check=False)


def test_handlers_are_installed_for_the_block_and_restored_after() -> None:
    def mine(_signum, _frame) -> None:  # noqa: ANN001
        pass

    before = {sig: signal.signal(sig, mine) for sig in SIGNALS}
    try:
        assert set(SIGNALS) >= {signal.SIGTERM, signal.SIGHUP}
        with exit_on_signals(object()):
            assert all(signal.getsignal(sig) is not mine for sig in SIGNALS)
        assert all(signal.getsignal(sig) is mine for sig in SIGNALS)
    finally:
        for sig, old in before.items():
            signal.signal(sig, old)


def test_outside_the_main_thread_nothing_is_installed() -> None:
    seen: list[object] = []

    def run() -> None:
        with exit_on_signals(object()):
            seen.extend(signal.getsignal(sig) for sig in SIGNALS)

    before = [signal.getsignal(sig) for sig in SIGNALS]
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert seen == before


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_asks_the_running_app_to_exit_with_128_plus_n(signum: int) -> None:
    """The app's own exit runs in its loop with 128+n; when it does not end the process,
    the watchdog does, with the same code."""
    proc = _child(f"""
        async def main():
            app = App()
            with signals.exit_on_signals(app, grace=0.2):
                os.kill(os.getpid(), {int(signum)})
                await asyncio.sleep(60)  # the app never ends the loop: the watchdog must
        asyncio.run(main())
    """)
    assert proc.stdout == f"exit {128 + signum}\n", proc.stderr
    assert proc.returncode == 128 + signum, proc.stderr


def test_a_second_request_exits_at_once() -> None:
    proc = _child("""
        signals.request_exit(App(), 143, None, grace=60)
        print("first returned", flush=True)
        signals.request_exit(App(), 129, None, grace=60)
        print("not reached", flush=True)
    """)
    assert proc.stdout == "first returned\n" and proc.returncode == 129, proc.stderr


def test_a_closed_loop_leaves_the_exit_to_the_watchdog() -> None:
    proc = _child("""
        loop = asyncio.new_event_loop()
        loop.close()
        signals.request_exit(App(), 143, loop, grace=0.2)
        signal.pause() if hasattr(signal, "pause") else __import__("time").sleep(60)
    """)
    assert proc.stdout == "" and proc.returncode == 143, proc.stderr


def test_a_signal_before_the_app_runs_ends_the_process_with_its_code() -> None:
    proc = _child("""
        with signals.exit_on_signals(App()):
            os.kill(os.getpid(), signal.SIGHUP)
            print("not reached", flush=True)
    """)
    assert proc.stdout == "" and proc.returncode == 129, proc.stderr
    assert "Traceback" not in proc.stderr
