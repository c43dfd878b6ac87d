"""The read-only deployment: what ``dossier --read-only`` promises and how paths are fenced.

dossier is offered to colleagues over SSH with a forced command
(``command="dossier --read-only --corpus /srv/articles"`` in ``authorized_keys`` or
``ForceCommand`` in ``sshd_config``). The arguments of that line are the whole
configuration: ``SSH_ORIGINAL_COMMAND`` (what the client asked to run) is never
read, and an environment variable can only switch read-only *on*, never off, so a
client that manages to pass ``DOSSIER_READ_ONLY=0`` changes nothing.

``DOSSIER_ALLOWED_ROOTS`` (``os.pathsep``-separated folders) is a second fence for
hosts that run dossier through a wrapper or for several users: every corpus folder
and an explicit ``--index`` must lie inside one of the roots (after symlinks are
resolved), whatever the arguments say.

No Textual import here: the command line checks this before the TUI is loaded.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

ENV_READ_ONLY = "DOSSIER_READ_ONLY"
ENV_ALLOWED_ROOTS = "DOSSIER_ALLOWED_ROOTS"
_TRUE = {"1", "true", "yes", "on"}


class PathRefused(Exception):
    """A corpus or index path outside ``DOSSIER_ALLOWED_ROOTS``."""


def read_only_requested(flag: bool, environ: Mapping[str, str] | None = None) -> bool:
    """Read-only when the flag is given or ``DOSSIER_READ_ONLY`` is true.

    The variable can only add the restriction: a deployment that passes
    ``--read-only`` stays read-only whatever the environment holds."""
    env = os.environ if environ is None else environ
    return flag or env.get(ENV_READ_ONLY, "").strip().lower() in _TRUE


def allowed_roots(environ: Mapping[str, str] | None = None) -> list[Path] | None:
    """The resolved ``DOSSIER_ALLOWED_ROOTS``, or None when the setting is absent."""
    env = os.environ if environ is None else environ
    value = env.get(ENV_ALLOWED_ROOTS)
    if value is None:
        return None
    return [Path(p).expanduser().resolve() for p in value.split(os.pathsep) if p.strip()]


def _inside(path: Path, roots: Sequence[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def check_paths(corpora: Sequence[Path], index_dir: Path | None,
                environ: Mapping[str, str] | None = None) -> None:
    """Raise :class:`PathRefused` when a corpus or *index_dir* lies outside the roots.

    *index_dir* is the index the user named with ``--index`` (None when the default
    per-user cache folder is used: that one is derived from the corpora, so it
    cannot be pointed elsewhere). An empty ``DOSSIER_ALLOWED_ROOTS`` allows nothing.
    """
    roots = allowed_roots(environ)
    if roots is None:
        return
    for corpus in corpora:
        resolved = Path(corpus).expanduser().resolve()
        if not _inside(resolved, roots):
            raise PathRefused(f"corpus folder outside {ENV_ALLOWED_ROOTS}: {resolved}")
    if index_dir is not None:
        resolved = Path(index_dir).expanduser().resolve()
        if not _inside(resolved, roots):
            raise PathRefused(f"index folder outside {ENV_ALLOWED_ROOTS}: {resolved}")
