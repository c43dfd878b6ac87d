"""The index folder: whether it holds an index, its version and manifest, its builder lock,
and the one way every front end opens it (building it first when there is none).

Split from :mod:`index.build` so that searching an existing index never imports the
builder and what it pulls in (corpus reading, metadata and event extraction): that is
a third of a cold ``dossier search``. Only :func:`open_or_build`'s build branch
imports it, lazily.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from index.results import IndexMissing
from index.schema import SCHEMA_VERSION

if TYPE_CHECKING:
    from index.build import BuildReport
    from index.search import Index

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



class IndexNotBuilt(IndexMissing):
    """Read-only and no index: nothing was built (the TUI shows a screen for it)."""


@dataclass(frozen=True)
class Opened:
    """An open index, and the report of the build that made it (None when it existed)."""

    index: Index
    report: BuildReport | None


def open_or_build(
    corpora: Sequence[Path],
    index_dir: Path,
    *,
    read_only: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    on_build: Callable[[], None] | None = None,
    lock_wait: float = 0.0,
    procs: int = 1,
) -> Opened:
    """Open the index in *index_dir*, building it from *corpora* first when there is none.

    The one place that decides "open or build", for the CLI and the TUI alike.
    *on_build* is called once before a build starts (before waiting for the lock and
    listing the corpus, which come before the first *progress* call), so a front end
    shows at once that it is indexing. Read-only never builds (nor creates the folder):
    it raises :class:`IndexNotBuilt` with the one line to show. A build raises
    :class:`BuildError`; an unreadable index :class:`IndexMissing`. The builder is
    imported only here, when a build is needed, so opening an existing index stays cheap.
    """
    from index.search import Index

    index_dir = Path(index_dir)
    report = None
    if not index_exists(index_dir):
        if read_only:
            raise IndexNotBuilt(
                f"no index in {index_dir} (read-only: nothing is built here; "
                "the owner of the corpus runs `dossier index`)")
        from index.build import build_index

        if on_build is not None:
            on_build()
        report = build_index(corpora, index_dir, progress=progress, procs=procs,
                             lock_wait=lock_wait)
    return Opened(Index(index_dir), report)
