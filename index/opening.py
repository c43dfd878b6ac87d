"""The one way every front end opens an index: open it, or build it first when there is none.

Its own module so that the index folder's rules (:mod:`index.store`) import neither the
search nor the builder: this module sits above all three. The builder is imported only
when a build is needed, so opening an existing index stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from index.results import IndexMissing
from index.search import Index
from index.store import index_exists

if TYPE_CHECKING:
    from index.build import BuildReport


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
