"""Where the user's own data about a corpus lives: bookmarks, tags (and later history).

Not in the corpus (the user's files are never written) and not in the index (an index
is a cache: it is rebuilt from scratch when its schema changes, and may be shared
read-only with colleagues). The user data folder of platformdirs is the place that
survives both: ``~/.local/share/dossier/corpora/<name>-<hash>/`` on Linux (XDG),
one folder per set of corpus folders, named like the index folder.
``$DOSSIER_DATA`` overrides the root (tests, several profiles).

Nothing here creates a folder: the stores create theirs when they first write, and
read-only mode never opens them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from index.paths import corpus_key

ENV_DATA = "DOSSIER_DATA"


def data_root() -> Path:
    """The per-user data folder of dossier (``$DOSSIER_DATA`` overrides)."""
    env = os.environ.get(ENV_DATA)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("dossier", appauthor=False))


def corpus_data_dir(corpora: Sequence[Path]) -> Path:
    """The folder of the user's data about this set of corpus folders."""
    return data_root() / "corpora" / corpus_key(corpora)
