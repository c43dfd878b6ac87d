"""End to end: bookmarks, tags, history and export in the real program, in tmux."""

from __future__ import annotations

import json
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


def _keys(session: str, *keys: str, literal: bool = False) -> None:
    subprocess.run(["tmux", "send-keys", "-t", session, *(["-l"] if literal else []), *keys],
                   check=True)


@pytest.mark.e2e
def test_keep_what_you_found_in_tmux(corpus_env, tmp_path: Path) -> None:  # noqa: ANN001
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed: the end-to-end test drives dossier inside tmux")
    if not DOSSIER.exists():
        pytest.skip(f"no dossier script next to {sys.executable}")
    session = f"dossier-e2e-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
    env["DOSSIER_CACHE"] = str(corpus_env["cache"])
    env["DOSSIER_DATA"] = str(tmp_path / "data")
    env["TERM"] = "xterm-256color"
    where = ["--corpus", str(corpus_env["corpus"]), "--index", str(corpus_env["index"])]
    # Through env(1): a tmux server that is already running gives a new session the
    # environment it started with, not this one's.
    command = " ".join(shlex.quote(x) for x in [
        "env", f"DOSSIER_DATA={env['DOSSIER_DATA']}", f"DOSSIER_CACHE={env['DOSSIER_CACHE']}",
        str(DOSSIER), *where, "--no-mouse"])
    target = tmp_path / "brief.csv"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24",
                    command], env=env, check=True)
    try:
        _wait_for(session, "hits ·")
        _keys(session, "Perth", literal=True)
        _wait_for(session, "1 hit")
        _keys(session, "Enter")  # to the results (and into the history)
        _wait_for(session, "q Quit")
        _keys(session, "m")
        _wait_for(session, "bookmarked: Quokka sightings")
        _keys(session, "#")
        _wait_for(session, "Tags of")
        _keys(session, "perth, wildlife", literal=True)
        _wait_for(session, "perth, wildlife")  # in the input: it had the focus
        _keys(session, "Enter")
        screen = _wait_for(session, "#perth #wildlife")
        assert "* 2020-11-20" in screen
        _keys(session, "E")
        _wait_for(session, "dossier-export.md")
        # Typed keys go to the input only once it has the focus: clear it until that shows.
        deadline = time.monotonic() + 10
        while "dossier-export.md" in _capture(session) and time.monotonic() < deadline:
            _keys(session, "C-u")
            time.sleep(0.1)
        _keys(session, str(target), literal=True)
        _wait_for(session, target.name)
        _keys(session, "Enter")
        _wait_for(session, "1 article written")
        _keys(session, "q")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and subprocess.run(
                ["tmux", "has-session", "-t", session], capture_output=True,
                check=False).returncode == 0:
            time.sleep(0.1)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True,
                       check=False)
    assert "Quokka sightings rise in Perth" in target.read_text("utf-8")
    run = subprocess.run([str(DOSSIER), "marks", "--json", *where], env=env,
                         capture_output=True, text=True, check=True)
    (mark,) = [json.loads(x) for x in run.stdout.splitlines()]
    assert mark["bookmarked"] and mark["tags"] == ["perth", "wildlife"]
    run = subprocess.run([str(DOSSIER), "history", *where], env=env, capture_output=True,
                         text=True, check=True)
    assert run.stdout.splitlines()[0] == "Perth"
    run = subprocess.run([str(DOSSIER), "search", "tag:wildlife is:bookmarked", "--json",
                          *where], env=env, capture_output=True, text=True, check=True)
    assert [json.loads(x)["title"] for x in run.stdout.splitlines()] == [
        "Quokka sightings rise in Perth"]
