"""Shared fixtures: a copy of the seeds and a built index, all inside tmp_path, and the
helpers that drive the app with Pilot (used by tests/tui and tests/ssh alike).

Every test gets its own cache folder (``DOSSIER_CACHE``) so nothing is ever
written to the real user cache. ``make_app`` builds the app over the ``corpus_env``
of the test's own folder: each folder's conftest defines that corpus (tests/tui a
corpus in the default cache place, tests/ssh one with an explicit ``--index``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("DOSSIER_CACHE", str(cache))
    # Bookmarks and tags (index/userdata.py): never the real user data folder either.
    monkeypatch.setenv("DOSSIER_DATA", str(tmp_path_factory.mktemp("userdata")))
    monkeypatch.delenv("DOSSIER_CORPUS", raising=False)
    yield cache


@pytest.fixture
def seed_corpus(tmp_path: Path) -> Path:
    """A writable copy of the bundled seeds."""
    dest = tmp_path / "corpus"
    shutil.copytree(SEEDS, dest)
    return dest


@pytest.fixture
def seed_index(seed_corpus: Path, tmp_path: Path):
    """An index of the seed copy, opened; closed after the test."""
    from index.build import build_index
    from index.search import Index

    index_dir = tmp_path / "index"
    build_index([seed_corpus], index_dir)
    ix = Index(index_dir)
    yield ix
    ix.close()


@pytest.fixture
def make_app(corpus_env: dict[str, Path]):
    """A factory for a DossierApp over the folder's test index (optionally with a query,
    another index or corpus folder, read-only)."""
    from tui.app import DossierApp

    def make(query: str = "", index_dir: Path | None = None, *, read_only: bool = False,
             corpus: Path | None = None) -> DossierApp:
        return DossierApp([corpus or corpus_env["corpus"]], index_dir or corpus_env["index"],
                          query, read_only=read_only)

    return make


def _busy(app) -> bool:  # noqa: ANN001
    """Is a worker of *app* pending or running?"""
    from textual.worker import WorkerState

    return any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers)


async def _workers_done(app) -> None:  # noqa: ANN001
    """Wait for every worker. ``Worker.wait()`` raises ``WorkerCancelled`` for a worker
    that a newer one replaced while we waited (exclusive search workers do that as
    results arrive): that is the normal course, so wait for the rest again. Workers
    that keep replacing each other for ever are a failure of their own, said so here
    (not a wrong state found by some later assertion)."""
    from textual.worker import WorkerCancelled

    for _ in range(100):
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue
    raise AssertionError(f"workers never settled: {list(app.workers)}")


async def _settle(pilot, app) -> None:  # noqa: ANN001
    """Wait until the app is idle: debounce timers (80 ms) fired, the messages they sent
    handled and every worker they started finished. One step starts the next (a search
    that finishes starts the timeline and the preview), so rounds go on, three at least,
    until a whole round saw no worker at all; a fixed number of rounds passed a test too
    early on a loaded machine."""
    for done in range(1, 21):
        await pilot.pause(0.15)  # longer than any debounce: the timers fire
        await pilot.pause()  # their messages are handled, their workers started
        busy = _busy(app)
        await _workers_done(app)
        await pilot.pause()
        if done >= 3 and not busy and not _busy(app):
            return
    raise AssertionError(f"the app never became idle: {list(app.workers)}")


@pytest.fixture
def settle():
    """``await settle(pilot, app)``: wait until the app is idle."""
    return _settle
