"""Process-wide changes to Whoosh (whoosh-reloaded) that :class:`index.search.Index`
installs before it opens an index.

They live apart from the search code because they change Whoosh for every reader of
the process (a merge in the builder included), not only for searches; each says why
it is needed (see also index/whoosh_notes.md).
"""

from __future__ import annotations

import functools
from typing import Any


def terms_in_memory() -> None:
    """Without mmap, read each segment's term index (``.trm``, ~12% of a segment)
    into memory once, and only the postings through the file: prefix and fuzzy
    expansion walk the term index with many small reads, which through the file
    were 3x slower than from memory. Installed once, for every Whoosh reader of
    this process (a merge reads segments the same way)."""
    from whoosh.codec import base
    from whoosh.filedb.compound import CompoundStorage
    from whoosh.filedb.structfile import BufferFile

    if getattr(base.CompoundStorage, "dossier_terms_in_memory", False):
        return

    class TermsInMemory(CompoundStorage):  # type: ignore[misc, valid-type]
        dossier_terms_in_memory = True

        def open_file(self, name: str, *args: Any, **kwargs: Any) -> Any:
            if self._source is None and name.endswith(".trm"):
                offset, length = self.range(name)
                self._file.seek(offset)
                return BufferFile(self._file.read(length), name=name)
            return super().open_file(name, *args, **kwargs)

    base.CompoundStorage = TermsInMemory


@functools.cache
def pinned_schema_index() -> Any:
    """Whoosh's ``FileIndex`` whose ``schema`` is read once, not from the table of
    contents on disk at every use (every query parsed): while the index folder is
    deleted or being swapped, queries keep being parsed and answered from the open
    searcher instead of failing with ``EmptyIndexError``."""
    from whoosh.index import FileIndex

    class PinnedSchemaIndex(FileIndex):  # type: ignore[misc, valid-type]
        _pinned: Any = None

        @property
        def schema(self) -> Any:
            if self._pinned is None:
                self._pinned = self._current_schema()
            return self._pinned

    return PinnedSchemaIndex
