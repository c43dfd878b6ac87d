"""No terminal, a terminal that goes away, a window far too large.

The TUI is the forced command of shared SSH accounts, so it meets every way a
session can start or end badly: ``ssh -T`` or ``sftp`` (no terminal at all), a
client that dies (the pty is closed; no SIGHUP reaches a process that is not the
session leader), and a client announcing a 6000x6000 window. These tests run the
real ``dossier`` on a real pseudo-terminal (``pty.openpty``) or on pipes.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from cli.main import NO_TERMINAL
from tui.driver import MAX_COLUMNS, MAX_ROWS

LINE = f"dossier: {NO_TERMINAL}\n".encode()


def _cmd(dossier_bin: Path, corpus_env: dict[str, Path]) -> list[str]:
    return [str(dossier_bin), "--read-only", "--corpus", str(corpus_env["corpus"]),
            "--index", str(corpus_env["index"]), "--no-mouse"]


@pytest.mark.parametrize("stdin_tty, stdout_tty", [(False, False), (False, True), (True, False)])
def test_without_a_terminal_one_line_and_exit_2(dossier_bin: Path, corpus_env: dict[str, Path],
                                                stdin_tty: bool, stdout_tty: bool) -> None:
    """Before, the TUI drew escape codes into the pipe and spun for ever (killed here by
    the timeout). Now: nothing on stdout, one line on stderr, exit 2."""
    master, slave = pty.openpty()
    feed_r, feed_w = os.pipe()  # an input pipe that stays open, like `(sleep 4) | dossier`
    try:
        proc = subprocess.run(
            _cmd(dossier_bin, corpus_env),
            stdin=slave if stdin_tty else feed_r,
            stdout=slave if stdout_tty else subprocess.PIPE,
            stderr=subprocess.PIPE, timeout=30,
        )
    finally:
        for fd in (slave, master, feed_r, feed_w):
            os.close(fd)
    assert proc.returncode == 2
    assert proc.stderr == LINE
    if not stdout_tty:
        assert proc.stdout == b""


class PtyRun:
    """``dossier`` on a pseudo-terminal of a given size; its output is drained."""

    def __init__(self, cmd: list[str], cols: int, rows: int, session_leader: bool) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

        def setup() -> None:
            os.setsid()
            if session_leader:  # the pty becomes its controlling terminal: SIGHUP on close
                fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        env = {**os.environ, "TERM": "xterm-256color"}
        self.proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave,
                                     preexec_fn=setup, env=env)
        os.close(slave)
        self.output = bytearray()
        self.closed = False

    def read_until(self, needle: bytes, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.output:
            tail = bytes(self.output[-500:])
            assert time.monotonic() < deadline, f"{needle!r} not shown: {tail!r}"
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.output += os.read(self.master, 1 << 20)
                except OSError:
                    return

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def hang_up(self) -> int | None:
        """Close the terminal; the exit code, or None when it kept running (killed)."""
        os.close(self.master)
        self.closed = True
        try:
            return self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            return None

    def cleanup(self) -> None:
        if not self.closed:
            os.close(self.master)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def test_terminal_closed_ends_the_tui(dossier_bin: Path, corpus_env: dict[str, Path]) -> None:
    """The pty goes away without a SIGHUP (dossier is not its session leader): before, the
    input thread read end-of-input in a loop at ~70% CPU, for ever. Now it exits, 129."""
    run = PtyRun(_cmd(dossier_bin, corpus_env), 80, 24, session_leader=False)
    try:
        run.read_until(b"hits")
        assert run.hang_up() == 129
    finally:
        run.cleanup()


def test_huge_window_is_capped_and_hangs_up(dossier_bin: Path,
                                            corpus_env: dict[str, Path]) -> None:
    """6000x6000: drawn at most MAX_COLUMNS x MAX_ROWS (every cursor move stays inside),
    the screen says so, memory stays that of a normal window, and hanging up ends it."""
    run = PtyRun(_cmd(dossier_bin, corpus_env), 6000, 6000, session_leader=True)
    try:
        run.read_until(b"larger than dossier draws")
        run.read_until(b"hits")
        moves = [(int(r), int(c)) for r, c in re.findall(rb"\x1b\[(\d+);(\d+)H", run.output)]
        assert moves
        assert max(r for r, _ in moves) <= MAX_ROWS
        assert max(c for _, c in moves) <= MAX_COLUMNS
        assert run.peak_rss_mb() < 200  # 315 MB and rising before; ~62 MB capped
        assert run.hang_up() == 129
    finally:
        run.cleanup()


def test_size_cap_applies_to_in_band_resize_reports() -> None:
    """A terminal reporting its size in band (mode 2048) is clamped the same way."""
    from textual import events

    from tui.driver import DossierDriver, cap_size

    assert cap_size(6000, 6000) == (MAX_COLUMNS, MAX_ROWS)
    assert cap_size(80, 24) == (80, 24)
    seen: list[object] = []

    class Probe(DossierDriver):
        def __init__(self) -> None:  # no terminal needed for the message path
            self.capped_from = None

    probe = Probe()
    base = DossierDriver.__mro__[1]
    original = base.process_message
    try:
        base.process_message = lambda self, m: seen.append(m)  # type: ignore[method-assign]
        probe.process_message(events.Resize.from_dimensions((6000, 6000), (60000, 120000)))
    finally:
        base.process_message = original  # type: ignore[method-assign]
    resize = seen[0]
    assert isinstance(resize, events.Resize)
    assert tuple(resize.size) == (MAX_COLUMNS, MAX_ROWS)
    assert probe.capped_from == (6000, 6000)


if sys.platform != "linux":  # pragma: no cover - pty and /proc details are Linux's
    pytestmark = pytest.mark.skip(reason="Linux pty and /proc")


BUSY = """
import os, sys
from tui.screens.main import MainScreen

mount = MainScreen.on_mount

def on_mount(self):
    mount(self)
    def busy():  # the event loop never gets back: like a frame that takes for ever
        os.write(1, b"BUSY")
        while True:
            pass
    self.set_timer(0.3, busy)

MainScreen.on_mount = on_mount
from cli.main import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("session_leader", [False, True], ids=["end-of-input", "sighup"])
def test_hang_up_while_the_event_loop_is_busy(corpus_env: dict[str, Path],
                                              session_leader: bool) -> None:
    """Hang-up handling does not wait for the event loop: with the loop stuck in a busy
    loop (a huge frame), closing the terminal still ends the process, exit 129."""
    cmd = [sys.executable, "-c", BUSY, "--read-only", "--corpus", str(corpus_env["corpus"]),
           "--index", str(corpus_env["index"]), "--no-mouse"]
    run = PtyRun(cmd, 80, 24, session_leader=session_leader)
    try:
        run.read_until(b"BUSY")
        assert run.hang_up() == 129
    finally:
        run.cleanup()
