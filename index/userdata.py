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
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
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


class UserDataUnavailable(Exception):
    """A user-data database can't be used (damaged, locked, unwritable): one line."""


def one_line_error(what: str, path: Path, exc: BaseException) -> str:
    """``bookmarks and tags are off: /path/marks.sqlite3: database is locked`` (*what*
    with its verb: ``bookmarks and tags are``, ``search history is``)."""
    detail = " ".join(str(exc).split()) or type(exc).__name__
    return f"{what} off: {path}: {detail}"


def connect(path: Path, schema: str, version: int, *, timeout: float, what: str,
            error: type[UserDataUnavailable] = UserDataUnavailable) -> sqlite3.Connection:
    """Open (or create) the SQLite database *path* with *schema* at *version*: WAL
    mode, a busy timeout of *timeout* seconds, foreign keys on, autocommit (callers
    write in explicit ``BEGIN IMMEDIATE`` transactions).

    The file is read before anything is written: one that is not a database (or
    was written by a newer dossier) raises *error* here, before the journal mode or
    the schema could change it, and is left as it was for inspection."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=timeout, isolation_level=None,
                             check_same_thread=False)
    except (OSError, sqlite3.Error) as exc:
        raise error(one_line_error(what, path, exc)) from None
    try:
        found = db.execute("PRAGMA user_version").fetchone()[0]
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if found > version:
            raise error(f"{what} off: {path} was written by a newer dossier")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        _set_up(db, schema, version, found, time.monotonic() + timeout)
    except UserDataUnavailable:
        db.close()
        raise
    except sqlite3.Error as exc:
        db.close()
        raise error(one_line_error(what, path, exc)) from None
    return db


def _set_up(db: sqlite3.Connection, schema: str, version: int, found: int,
            deadline: float) -> None:
    """WAL mode and the schema, retried until *deadline* while another process holds
    the file: two dossiers creating it at once made the second one's switch to WAL
    fail at once with "database is locked" (SQLite answers a lock upgrade that could
    deadlock with SQLITE_BUSY without waiting for the busy timeout)."""
    while True:
        try:
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise sqlite3.OperationalError(f"journal mode {mode}, not WAL")
            current = db.execute("PRAGMA user_version").fetchone()[0] if found < version else found
            if current < version:
                # executescript commits first, so the whole upgrade is its own transaction.
                db.executescript(f"BEGIN IMMEDIATE; {schema} PRAGMA user_version = {version};"
                                 " COMMIT;")
            return
        except sqlite3.OperationalError as exc:
            if db.in_transaction:
                with suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
            busy = "locked" in str(exc) or "busy" in str(exc)
            if not busy or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One short write transaction, taken at once (``BEGIN IMMEDIATE``: a second
    process waits for the busy timeout instead of failing halfway), committed, or
    rolled back on any error (which is raised on: the caller words it)."""
    began = False
    try:
        db.execute("BEGIN IMMEDIATE")
        began = True
        yield db
        db.execute("COMMIT")
    except BaseException:
        if began and db.in_transaction:
            with suppress(sqlite3.Error):
                db.execute("ROLLBACK")
        raise
