"""Fixtures for the SSH, read-only, copy and terminal-fault tests.

A small corpus (the seeds, two quokka articles and a hostile one) with its index
built once per session into an explicit folder (the SSH deployment names its
index with ``--index``: ``restrict`` lets no environment through), and a tmux
driver for the real program. ``make_app`` and ``settle`` (tests/conftest.py) use
this folder's corpus.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
DOSSIER = Path(sys.executable).with_name("dossier")
HOSTILE_TITLE = "[/b] [@click=app.quit]x[/] \x1b[31mred\x1b[0m \x1b]52;c;cHduZWQ=\x07"
_YAML_TITLE = HOSTILE_TITLE.replace("\x1b", "\\e").replace("\x07", "\\a")

ARTICLES = {
    "quokka_en.txt": """---
title: Quokka sightings rise in Perth
date: 2020-11-20
source: Perth Herald
language: en
---
Quokka sightings rise in Perth

PERTH, Nov 20 - Quokka sightings rose sharply this month, rangers said. The quokka is a
small marsupial. Rangers counted more quokkas than ever; one quokka took a selfie.

A second paragraph says nothing about the animal at all.
""",
    "quokka_de.txt": """---
title: Quokkas erobern Rottnest Island
date: 2021-03-15
source: Tagesblatt
---
Quokkas erobern Rottnest Island

Rottnest – Die Quokkas auf der Insel vermehren sich. Ein Quokka wurde beim Frühstück
gesehen. Touristen lieben das Quokka, das immer zu lächeln scheint.
""",
    "hostile.txt": "---\n"
    f'title: "{_YAML_TITLE}"\n'
    "date: 2021-02-03\n"
    'source: "[b]Evil[/b]\\e[2J Source"\n'
    "---\n"
    "Hostile\n\nEin Quokka \x1b[2J\x1b[H löscht \u202eesrever\u202c keinen Bildschirm "
    "\x1b]52;c;ZXZpbA==\x07 und \x9b31m bleibt [@click=app.quit]harmlos[/].\n",
}


@pytest.fixture(scope="session")
def corpus_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``corpus``, ``index`` (built) and ``base`` folders for the session."""
    from index.build import build_index

    base = tmp_path_factory.mktemp("dossier_ssh")
    corpus = base / "corpus"
    shutil.copytree(SEEDS, corpus)
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, "utf-8")
    index_dir = base / "index"
    build_index([corpus.resolve()], index_dir)
    return {"base": base, "corpus": corpus.resolve(), "index": index_dir.resolve()}


# --- tmux ---------------------------------------------------------------------------------------

class Tmux:
    """One detached tmux session running a command; capture, keys, pane state."""

    def __init__(self, command: str, width: int = 80, height: int = 24,
                 env: dict[str, str] | None = None) -> None:
        self.name = f"dossier-ssh-{uuid.uuid4().hex[:8]}"
        base = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
        base.update(env or {})
        # remain-on-exit: the pane stays after the command so its end can be inspected.
        subprocess.run(["tmux", "-f", "/dev/null", "new-session", "-d", "-s", self.name,
                        "-x", str(width), "-y", str(height), command],
                       env=base, check=True)
        subprocess.run(["tmux", "set-option", "-t", self.name, "remain-on-exit", "on"],
                       capture_output=True, check=False)

    def capture(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True, check=False).stdout

    def wait_for(self, needle: str, timeout: float = 15.0, gone: bool = False) -> str:
        """Poll the screen until *needle* shows (or, with *gone*, disappears)."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.capture()
            if (needle in screen) != gone:
                return screen
            time.sleep(0.02)
        raise AssertionError(f"{needle!r} {'stayed' if gone else 'did not appear'} "
                             f"within {timeout}s; screen:\n{screen}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        cmd = ["tmux", "send-keys", "-t", self.name] + (["-l"] if literal else []) + list(keys)
        subprocess.run(cmd, check=True)

    def display(self, fmt: str) -> str:
        return subprocess.run(["tmux", "display-message", "-p", "-t", self.name, fmt],
                              capture_output=True, text=True, check=False).stdout.strip()

    def pane_pid(self) -> int:
        return int(self.display("#{pane_pid}"))

    def dead(self) -> bool:
        out = self.display("#{pane_dead}")
        return out in ("1", "")

    def resize(self, width: int, height: int) -> None:
        subprocess.run(["tmux", "resize-window", "-t", self.name, "-x", str(width),
                        "-y", str(height)], capture_output=True, check=False)

    def kill(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True,
                       check=False)

    def find_pid(self, program: bytes, timeout: float = 10.0) -> int:
        """The pid of the process running *program* (a path suffix) below the pane."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for pid in descendants(self.pane_pid()):
                try:
                    cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                except OSError:
                    continue
                if any(part.endswith(program) for part in cmd[:2]):
                    return pid
            time.sleep(0.05)
        raise AssertionError(f"no {program!r} process in the pane:\n{self.capture()}")

    alive = staticmethod(lambda pid: alive(pid))
    descendants = staticmethod(lambda pid: descendants(pid))


def children(pid: int) -> list[int]:
    """Direct children of *pid* (from /proc, Linux)."""
    out: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            out.append(int(entry.name))
    return out


def descendants(pid: int) -> list[int]:
    """Every process below *pid*."""
    out: list[int] = []
    todo = [pid]
    while todo:
        for child in children(todo.pop()):
            out.append(child)
            todo.append(child)
    return out


def alive(pid: int) -> bool:
    """Is *pid* running (not a zombie)?"""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def tmux() -> Iterator[type[Tmux]]:
    """The Tmux class; every session made through it is killed after the test."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed: these tests drive dossier inside tmux")
    if not DOSSIER.exists():
        pytest.skip(f"no dossier script next to {sys.executable}")
    made: list[Tmux] = []

    class Tracked(Tmux):
        def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
            super().__init__(*args, **kwargs)
            made.append(self)

    yield Tracked
    for session in made:
        session.kill()


@pytest.fixture(scope="session")
def dossier_bin() -> Path:
    """The installed ``dossier`` script."""
    return DOSSIER
