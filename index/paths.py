"""Where the corpus and the index live.

The index goes under the user's cache folder (platformdirs), one folder per
set of corpus folders, so two corpora never share or clobber an index and
the corpus folders themselves are never written to.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

BUNDLED_SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def default_corpora() -> list[Path]:
    """The bundled seeds, or ``$DOSSIER_CORPUS`` (colon-separated folders) when set."""
    env = os.environ.get("DOSSIER_CORPUS")
    if env:
        return [Path(p).expanduser() for p in env.split(os.pathsep) if p]
    return [BUNDLED_SEEDS]


def normalize_corpora(corpora: Sequence[Path | str] | None) -> list[Path]:
    """Absolute, de-duplicated corpus folders in the order given."""
    out: list[Path] = []
    for c in corpora or default_corpora():
        p = Path(c).expanduser().resolve()
        if p not in out:
            out.append(p)
    return out


def cache_root() -> Path:
    """The per-user cache folder (``$DOSSIER_CACHE`` overrides, e.g. for tests)."""
    env = os.environ.get("DOSSIER_CACHE")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("dossier", appauthor=False))


def corpus_key(corpora: Sequence[Path]) -> str:
    """``<name>-<hash>`` for this set of corpus folders (order-independent): the
    folder name of its index and of its user data."""
    key = "\0".join(sorted(str(p) for p in corpora))
    digest = hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    name = Path(sorted(str(p) for p in corpora)[0]).name or "corpus"
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:40]
    return f"{safe}-{digest}"


def default_index_dir(corpora: Sequence[Path]) -> Path:
    """The index folder for this set of corpus folders (order-independent)."""
    return cache_root() / "indexes" / corpus_key(corpora)
