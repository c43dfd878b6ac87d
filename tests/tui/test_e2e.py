"""End to end: the real ``dossier`` program in tmux at 80x24, driven by keys."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

DOSSIER = Path(sys.executable).with_name("dossier")


def _capture(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session],
                          capture_output=True, text=True, check=False).stdout


def _wait_for(session: str, needle: str, timeout: float = 15.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _capture(session)
        if needle in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{needle!r} did not appear within {timeout}s; screen:\n{screen}")


@pytest.mark.e2e
def test_dossier_in_tmux(corpus_env) -> None:  # noqa: ANN001
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed: the end-to-end test drives dossier inside tmux")
    if not DOSSIER.exists():
        pytest.skip(f"no dossier script next to {sys.executable}")
    session = f"dossier-e2e-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
    env["DOSSIER_CACHE"] = str(corpus_env["cache"])
    env["TERM"] = "xterm-256color"
    command = (f"{shlex.quote(str(DOSSIER))} --corpus {shlex.quote(str(corpus_env['corpus']))}"
               f" --index {shlex.quote(str(corpus_env['index']))} --no-mouse")
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24",
                    command], env=env, check=True)
    try:
        _wait_for(session, "hits ·")  # the index is open and listed
        subprocess.run(["tmux", "send-keys", "-t", session, "-l", "quokka"], check=True)
        screen = _wait_for(session, "3 hits")
        assert "Quokka sightings rise in Perth" in screen
        assert "[/b] [@click=app.quit]x[/]" in screen  # the hostile title, literally
        assert "Traceback" not in screen
        subprocess.run(["tmux", "send-keys", "-t", session, "Enter"], check=True)
        _wait_for(session, "q Quit")  # the results have the focus: q is a key, not a letter
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            alive = subprocess.run(["tmux", "has-session", "-t", session],
                                   capture_output=True, check=False).returncode == 0
            if not alive:
                break
            time.sleep(0.1)
        assert not alive, "q in the results did not quit:\n" + _capture(session)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True,
                       check=False)


@pytest.mark.e2e
def test_ctrl_q_quits_from_the_search_box_in_tmux(corpus_env) -> None:  # noqa: ANN001
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed: the end-to-end test drives dossier inside tmux")
    if not DOSSIER.exists():
        pytest.skip(f"no dossier script next to {sys.executable}")
    session = f"dossier-e2e-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
    env["DOSSIER_CACHE"] = str(corpus_env["cache"])
    command = (f"{shlex.quote(str(DOSSIER))} --corpus {shlex.quote(str(corpus_env['corpus']))}"
               f" --index {shlex.quote(str(corpus_env['index']))} --no-mouse")
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24",
                    command], env=env, check=True)
    try:
        _wait_for(session, "hits ·")
        subprocess.run(["tmux", "send-keys", "-t", session, "-l", "kl"], check=True)
        _wait_for(session, "/ kl")
        subprocess.run(["tmux", "send-keys", "-t", session, "C-q"], check=True)
        deadline = time.monotonic() + 10
        alive = True
        while alive and time.monotonic() < deadline:
            alive = subprocess.run(["tmux", "has-session", "-t", session],
                                   capture_output=True, check=False).returncode == 0
            time.sleep(0.1)
        assert not alive, "Ctrl+Q in the search box did not quit:\n" + _capture(session)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True,
                       check=False)
