"""The index folder: whether it holds an index, its version and manifest, its builder lock.

Split from :mod:`index.build` so that searching an existing index never imports the
builder and what it pulls in (corpus reading, metadata and event extraction): that is
a third of a cold ``dossier search``. Both the builder and the search import this
module; it imports neither (opening or building is :mod:`index.opening`).
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from index.schema import SCHEMA_VERSION

MANIFEST = "dossier-manifest.json"
VERSION_FILE = "dossier-version.json"


class BuildError(Exception):
    """A build could not run; the message is one line for the user."""


class BuildLocked(BuildError):
    """Another process is building this index."""


def index_exists(index_dir: Path) -> bool:
    """True when *index_dir* holds an index of the current schema version."""
    info = read_version(index_dir)
    return info is not None and info.get("schema") == SCHEMA_VERSION


def read_version(index_dir: Path) -> dict[str, Any] | None:
    """The version record of an index folder, or None when missing/unreadable."""
    try:
        return json.loads((Path(index_dir) / VERSION_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None


#: Descriptors of the builder locks this process holds: forked writer children
#: close their copies (an flock lives as long as any descriptor of it).
HELD_LOCK_FDS: set[int] = set()


@contextmanager
def build_lock(index_dir: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the builder lock of *index_dir*, waiting up to *wait* seconds.

    The descriptor is close-on-exec (no program started meanwhile inherits it) and
    listed in :data:`HELD_LOCK_FDS` for the forked writer children to close."""
    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = index_dir.parent / f".{index_dir.name}.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    HELD_LOCK_FDS.add(fd)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                    who = f" (pid {holder})" if holder.isdigit() else ""
                    raise BuildLocked(
                        f"another dossier is indexing this corpus{who}; try again when it ends"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        HELD_LOCK_FDS.discard(fd)
        os.close(fd)


def load_manifest(index_dir: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads((index_dir / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def indexed_hashes(index_dir: Path) -> dict[str, str]:
    """Article id -> content hash (file and sidecar) of every indexed file, from the
    manifest: user marks are keyed by both, so a moved file keeps its tags when its
    text is the same."""
    return {e["id"]: e["hash"] for e in load_manifest(index_dir).values()
            if isinstance(e, dict) and "id" in e and "hash" in e}
