"""The TUI's saved searches for one session: off with a reason, never a crash.

No Textual here. The list is read once when the index opens and after every
change, so the command palette can list it without touching the database.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.saved import SavedSearch, SavedSearches


class SavedKeeper:
    """Saved searches for one TUI session."""

    def __init__(self) -> None:
        self._store: SavedSearches | None = None
        self._lock = threading.Lock()
        #: Why saved searches are off (one line), or None while they work.
        self.off: str | None = "still opening"
        self.searches: tuple[SavedSearch, ...] = ()
        #: Where to create the database on the first save (none is made before).
        self._pending: Sequence[Path] | None = None

    def open(self, corpora: Sequence[Path], read_only: bool) -> str | None:
        """Open the saved searches of *corpora* (in a thread); a one-line message when
        the database is the reason they are off."""
        from index.saved import SavedSearches, SavedUnavailable, saved_path

        if read_only:
            self.off = "read-only"
            return None
        if not saved_path(corpora).exists():
            self._pending, self.off = corpora, None
            return None
        try:
            store = SavedSearches.for_corpora(corpora)
            searches = tuple(store.all())
        except SavedUnavailable as exc:
            self.off = str(exc)
            return self.off
        with self._lock:
            self._store, self.searches, self.off = store, searches, None
        return None

    def message(self) -> str:
        """Why saved searches are off, as one line for the user."""
        off = self.off or ""
        return off if " off: " in off else f"saved searches are off: {off}"

    def exists(self, name: str) -> bool:
        """Is there a saved search called *name* (any case, blanks collapsed)?"""
        key = " ".join(name.split()).casefold()
        return any(s.name.casefold() == key for s in self.searches)

    def change(self, what: str, *args: object, **kwargs: object) -> tuple[str, bool]:
        """Run the store's method *what* (``save``, ``rename``, ``delete``, ``use``)
        in a thread: the one-line message and whether it worked."""
        from index.saved import BadSavedSearch, SavedSearches, SavedUnavailable

        store = self._store
        try:
            if store is None and self._pending is not None and self.off is None:
                pending, self._pending = self._pending, None
                store = self._store = SavedSearches.for_corpora(pending)
            if store is None:
                return self.message(), False
            result = getattr(store, what)(*args, **kwargs)
            self.searches = tuple(store.all())
        except BadSavedSearch as exc:
            return str(exc), False
        except SavedUnavailable as exc:
            self.off = str(exc)
            self.close()
            return self.off, False
        if what == "save":
            return f"saved search {result.name!r}: {result.describe()}", True
        if what == "rename":
            return f"saved search renamed to {result!r}", True
        if what == "delete":
            return ("saved search deleted" if result else "no such saved search"), bool(result)
        return "", True

    def close(self) -> None:
        """Release the database."""
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
