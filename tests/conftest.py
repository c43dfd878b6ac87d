"""Shared fixtures: a copy of the seeds and a built index, all inside tmp_path.

Every test gets its own cache folder (``DOSSIER_CACHE``) so nothing is ever
written to the real user cache.
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
