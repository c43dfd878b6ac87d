"""An index folder deleted and rebuilt under a long-lived :class:`Index` (the TUI's).

The old searcher keeps answering until a new one opens; then the new one is used.
Before: every search failed (``EmptyIndexError`` while the folder was gone,
``ReaderClosed`` after the rebuild, because the old searcher was closed before the
new one failed to open), and ``close()`` raised ``ReaderClosed``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from index.build import build_index
from index.search import Index

EXTRA = "Neuer Artikel\n\nEin Kakapo besucht das Gericht in Wien.\n"


def test_deleted_then_rebuilt_index_folder(seed_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index([seed_corpus], index_dir)
    ix = Index(index_dir)
    try:
        before = ix.search("Parler")
        doc_id = before.hits[0].doc_id
        assert before.total == 3

        shutil.rmtree(index_dir)  # gone: the open searcher still answers
        assert ix.search("Parler").total == 3
        assert ix.article(doc_id).title
        assert ix.search("Kakapo").total == 0

        (seed_corpus / "kakapo.txt").write_text(EXTRA, "utf-8")
        build_index([seed_corpus], index_dir)  # rebuilt: the new searcher takes over
        assert ix.search("Kakapo").total == 1
        assert ix.search("Parler").total == 3
        assert ix.article(doc_id).title
    finally:
        ix.close()  # must not raise ReaderClosed


def test_index_replaced_by_a_rebuild_while_open(seed_corpus: Path, tmp_path: Path) -> None:
    """``dossier index --rebuild`` swaps a new folder in: the open Index follows."""
    index_dir = tmp_path / "index"
    build_index([seed_corpus], index_dir)
    ix = Index(index_dir)
    try:
        assert ix.search("Kakapo").total == 0
        (seed_corpus / "kakapo.txt").write_text(EXTRA, "utf-8")
        build_index([seed_corpus], index_dir, rebuild=True)
        assert ix.search("Kakapo").total == 1
    finally:
        ix.close()


def test_close_twice_and_after_deletion(seed_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index([seed_corpus], index_dir)
    ix = Index(index_dir)
    ix.search("Parler")
    shutil.rmtree(index_dir)
    ix.close()
    ix.close()
