"""(Re)index a corpus: incrementally, atomically, with progress callbacks.

Incremental: a manifest beside the index records, per file, a cheap
signature (size, mtime of the file and its sidecar) and a content hash. Only
files whose signature changed are read; only those whose hash changed are
re-indexed; files that vanished are deleted from the index.

Atomic: Whoosh writes new segments and swaps its table of contents last, so
a build killed at any moment leaves the previous index usable. A full
(re)build goes into a temporary folder that replaces the old index only when
complete. The manifest is written after the commit; if a kill lands between
the two, the next run re-indexes the affected files, and because documents
are written with ``update_document`` on a unique id nothing is duplicated.

One builder at a time: an ``flock`` on a lock file beside the index. The
kernel releases it when the holder dies, so a killed builder never leaves
a stale lock behind. That holds for the two-process writer too: its children
die with the parent and keep no copy of the lock's descriptor
(:mod:`index.writer_procs`).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.corpus import (
    SkipFile,
    SkippedFolder,
    SourceFile,
    discover,
    discover_folders,
    read_article,
)
from index.document import StoredEvent
from index.events import extract_events
from index.metadata import Metadata, extract_metadata
from index.schema import SCHEMA_VERSION, body_field, event_term, make_schema, title_field
from index.store import (
    HELD_LOCK_FDS,
    MANIFEST,
    VERSION_FILE,
    BuildError,
    build_lock,
    index_exists,
    load_manifest,
)
from index.text import display_path, mask_furniture, sanitize_line

Progress = Callable[[int, int, str], None]


@dataclass
class BuildReport:
    """What a build did: counts, and each skipped file with its reason."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    rebuilt: bool = False
    seconds: float = 0.0
    index_dir: str = ""
    #: manifest keys (file paths) that could not be read this time but stay indexed
    kept: set[str] = field(default_factory=set)

    @property
    def indexed(self) -> int:
        """Articles now in the index."""
        return self.added + self.updated + self.unchanged

    def summary(self) -> str:
        """One line, e.g. ``3 added, 0 updated, 0 removed, 0 unchanged, 1 skipped``."""
        return (
            f"{self.added} added, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged, {len(self.skipped)} skipped"
        )


def doc_id_for(root: Path, rel: str) -> str:
    """A short stable id for an article: its corpus folder and relative path."""
    key = f"{root}\0{rel}".encode("utf-8", "surrogateescape")
    return hashlib.sha1(key).hexdigest()[:12]



def _write_json_atomic(path: Path, data: object) -> None:
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as fh:
        # ASCII: manifest keys are file names, which may hold surrogate escapes.
        # dumps, not dump: only the one-shot encoder is the C one (~1.7x faster on a
        # manifest of 10k files; it is written on every incremental update).
        fh.write(json.dumps(data, ensure_ascii=True, separators=(",", ":")))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _meta_record(md: Metadata, root: Path, rel: str, encoding: str, origin_fix: str) -> dict:
    def fix(origin: str | None) -> str | None:
        if origin == "front matter" and origin_fix != "front matter":
            return origin_fix
        return origin

    return {
        "title": sanitize_line(md.title),
        "title_origin": fix(md.title_origin),
        "date": md.date.isoformat() if md.date else None,
        "date_precision": md.date_precision,
        "date_time": md.date_time,
        "date_origin": fix(md.date_origin),
        "date_expression": sanitize_line(md.date_expression) if md.date_expression else None,
        "date_notes": [sanitize_line(n) for n in md.date_notes],
        "source": sanitize_line(md.source) if md.source else None,
        "source_origin": fix(md.source_origin),
        "agency": sanitize_line(md.agency) if md.agency else None,
        "agency_origin": fix(md.agency_origin),
        "author": sanitize_line(md.author) if md.author else None,
        "language": md.language,
        "language_origin": fix(md.language_origin),
        "furniture": [list(s) for s in md.furniture],
        "lead": sanitize_line(md.lead),
        "corpus": str(root),
        "path": rel,
        "encoding": encoding,
    }


def _trim_sentence(
    text: str, sentence: tuple[int, int], expr: tuple[int, int],
    furniture: Sequence[tuple[int, int]],
) -> tuple[int, int]:
    """An event's sentence without page furniture at its start (a stray marker or a
    dateline on the same line), never cutting into the expression itself."""
    start, end = sentence
    for fs, fe in furniture:
        if fs <= start < fe <= expr[0]:
            start = fe
    while start < expr[0] and text[start].isspace():
        start += 1
    return start, end


def _mentioned(text: str, md: Metadata, events: list[Any]) -> list[Any]:
    """Drop "events" that are the article's own publication stamp or sit in page
    furniture (a dateline, an agency credit): those say when it was published,
    not what happened."""
    stamps = [tuple(f) for f in md.furniture]
    if md.date_expression:
        at = text.rfind(md.date_expression)
        if at >= 0:
            stamps.append((at, at + len(md.date_expression)))
    return [e for e in events
            if not any(e.span[0] < end and start < e.span[1] for start, end in stamps)]


def _document(
    sf: SourceFile, report: BuildReport, kept: bool = False
) -> tuple[str, dict[str, Any]] | None:
    """Read one file into Whoosh fields; None (and a skip reason) when it can't be.

    With *kept* (the file is indexed already), a reason that may pass, such as
    permission denied, leaves its indexed copy in place (see :func:`_build`)."""
    try:
        raw = read_article(sf)
    except SkipFile as exc:
        reason = str(exc)
        if exc.keep and kept:
            reason += "; the indexed copy is kept"
            report.kept.add(str(sf.path))
        report.skipped.append((display_path(sf.rel), reason))
        return None
    try:
        md, warns = extract_metadata(raw.text, raw.front_matter, raw.sidecar, sf.path.name)
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop a build
        report.skipped.append(
            (display_path(sf.rel), sanitize_line(f"metadata failed: {type(exc).__name__}: {exc}"))
        )
        return None
    for w in [*raw.warnings, *warns]:
        report.warnings.append((display_path(sf.rel), sanitize_line(w)))
    doc_id = doc_id_for(sf.root, sf.rel)
    # The shown/searchable path is made printable; the id keeps the real name.
    meta = _meta_record(md, sf.root, display_path(sf.rel), raw.encoding, raw.front_origin)
    try:
        events = _mentioned(raw.text, md, extract_events(raw.text, md.date, md.language))
    except Exception as exc:  # noqa: BLE001 - the article is still worth indexing
        report.warnings.append((display_path(sf.rel), f"event dates skipped: {type(exc).__name__}"))
        events = []
    meta["events"] = []
    for e in events:
        ss, se = _trim_sentence(raw.text, e.sentence_span, e.span, md.furniture)
        meta["events"].append(StoredEvent(
            start=e.start, end=e.end, granularity=e.granularity, kind=e.kind,
            expression=sanitize_line(e.expression), span=(e.span[0], e.span[1]),
            sentence=sanitize_line(raw.text[ss:se]), sentence_span=(ss, se), value=e.value,
            anchored_on=sanitize_line(e.anchored_on) if e.anchored_on else None,
        ).to_stored())
    masked = mask_furniture(raw.text, md.furniture)
    lang = md.language if md.language in ("de", "en") else "de"
    fields: dict[str, Any] = {
        "doc_id": doc_id,
        "path": meta["path"],
        "lang": lang,
        "day": md.date.toordinal() if md.date else 0,
        "meta": meta,
        "text": raw.text,
        title_field(lang): meta["title"],
        body_field(lang): masked,
    }
    event_days = sorted({event_term(e.start, e.granularity) for e in events if e.start})
    if event_days:
        fields["event_day"] = " ".join(event_days)
    if meta["source"]:
        fields["source"] = meta["source"]
        fields["source_facet"] = meta["source"]
    if meta["agency"]:
        fields["agency"] = meta["agency"]
        fields["agency_facet"] = meta["agency"]
    if meta["author"]:
        fields["author"] = meta["author"]
    return raw.content_hash, fields


def build_index(
    corpora: Sequence[Path],
    index_dir: Path,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    procs: int = 1,
    lock_wait: float = 0.0,
    folders: Collection[Path] | None = None,
) -> BuildReport:
    """Bring the index in *index_dir* up to date with the *corpora* folders.

    With *folders* (from :func:`index.corpus.watched_folders`), an existing index is
    brought up to date for the files of just those folders: a watcher's update of one
    changed file does not walk the whole corpus.

    Rebuilds from scratch when asked, when there is no index, or when its
    schema version differs. Raises :class:`BuildError` with a one-line
    message for problems the user must fix (missing folder, lock held,
    disk full, read-only folder); the previous index stays usable.
    """
    index_dir = Path(index_dir)
    roots = [Path(c).resolve() for c in corpora]
    for root in roots:
        if not root.is_dir():
            raise BuildError(f"corpus folder not found: {root}")
    started = time.monotonic()
    try:
        with build_lock(index_dir, wait=lock_wait):
            _recover_swap(index_dir)
            full = rebuild or not index_exists(index_dir)
            report = _build(roots, index_dir, full, progress, procs,
                            None if full else folders)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise BuildError("disk full while indexing; the previous index is unchanged") from exc
        if exc.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
            raise BuildError(
                f"cannot write the index in {index_dir}: {exc.strerror}; "
                "the previous index is unchanged"
            ) from exc
        raise
    report.seconds = time.monotonic() - started
    report.index_dir = str(index_dir)
    return report


def _recover_swap(index_dir: Path) -> None:
    """Finish or undo a full-rebuild swap that a kill interrupted."""
    old = index_dir.with_name(index_dir.name + ".old")
    if not index_dir.exists() and old.exists():
        os.replace(old, index_dir)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)
    building = index_dir.with_name(index_dir.name + ".building")
    if building.exists():
        shutil.rmtree(building, ignore_errors=True)


def _build(
    roots: list[Path], index_dir: Path, full: bool, progress: Progress | None, procs: int,
    only: Collection[Path] | None = None,
) -> BuildReport:
    from whoosh import index as windex

    report = BuildReport(rebuilt=full)
    found: list[SourceFile] = []
    folders: list[SkippedFolder] = []
    items = discover(roots) if only is None else discover_folders(roots, only)
    for item in items:
        if isinstance(item, SourceFile):
            found.append(item)
        elif isinstance(item, SkippedFolder):
            folders.append(item)
        else:
            report.skipped.append((display_path(item[0]), item[1]))

    target = index_dir.with_name(index_dir.name + ".building") if full else index_dir
    if full:
        target.mkdir(parents=True, exist_ok=True)
        ix = _create_after(target, index_dir)
        manifest: dict[str, dict[str, str]] = {}
    else:
        ix = windex.open_dir(str(target))
        manifest = load_manifest(target)

    seen: set[str] = set()
    todo: list[tuple[SourceFile, str]] = []
    for sf in found:
        key = str(sf.path)
        seen.add(key)
        entry = manifest.get(key)
        if entry and entry.get("sig") == sf.signature:
            report.unchanged += 1
            continue
        todo.append((sf, key))
    gone = [k for k in manifest if k not in seen
            and (only is None or Path(k).parent in only)]
    gone = _keep_unlistable(gone, folders, report)

    total = len(todo)
    if progress:
        progress(0, total, "")
    writer = None
    try:
        for i, (sf, key) in enumerate(todo, 1):
            result = _document(sf, report, kept=key in manifest)
            if result is not None:
                content_hash, fields = result
                entry = manifest.get(key)
                if entry and entry.get("hash") == content_hash:
                    report.unchanged += 1
                    entry["sig"] = sf.signature
                else:
                    if writer is None:
                        writer = _writer(ix, procs if full else 1, total)
                    if entry:
                        writer.update_document(**fields)
                        report.updated += 1
                    elif full:
                        writer.add_document(**fields)
                        report.added += 1
                    else:
                        writer.update_document(**fields)
                        report.added += 1
                    manifest[key] = {
                        "sig": sf.signature, "hash": content_hash, "id": fields["doc_id"]
                    }
            elif key in manifest and key not in report.kept:
                # Was indexed, now empty, binary, a link out of the corpus...: keep it
                # out of the index. (Unreadable for now: its copy stays.)
                gone.append(key)
            if progress:
                progress(i, total, sf.rel)
        for key in gone:
            entry = manifest.pop(key, None)
            if entry is None:
                continue
            if writer is None:
                writer = _writer(ix, 1, 0)
            writer.delete_by_term("doc_id", entry["id"])
            report.removed += 1
        if writer is not None:
            if full:
                writer.commit()
            else:
                writer.commit(mergetype=_merge_small_segments)
            writer = None
    except BaseException:
        if writer is not None:
            _abandon(writer)
        if full:
            shutil.rmtree(target, ignore_errors=True)
        raise
    finally:
        ix.close()

    _write_json_atomic(target / MANIFEST, manifest)
    _write_json_atomic(
        target / VERSION_FILE,
        {"schema": SCHEMA_VERSION, "corpora": [str(r) for r in roots], "built": time.time()},
    )
    if full:
        _swap_in(target, index_dir)
    return report


def _keep_unlistable(
    gone: list[str], folders: Sequence[SkippedFolder], report: BuildReport
) -> list[str]:
    """*gone* without the articles of folders that could not be listed.

    A folder made unreadable (``chmod 000``, a flaky network mount) hides its
    files from the walk; deleting them from the index would lose them silently.
    They stay as last indexed and are reported as skipped with the reason; a
    folder with nothing indexed is reported itself."""
    if not folders:
        return gone
    out: list[str] = []
    hit: set[str] = set()
    for key in gone:
        folder = next((f for f in folders
                       if key.startswith(str(f.path).rstrip(os.sep) + os.sep)), None)
        if folder is None:
            out.append(key)
            continue
        hit.add(str(folder.path))
        rel = Path(key).relative_to(folder.root).as_posix()
        report.kept.add(key)
        report.skipped.append((display_path(rel), f"{folder.reason} ({display_path(folder.rel)}); "
                               "the indexed copy is kept"))
    for f in folders:
        if str(f.path) not in hit:
            report.skipped.append((display_path(f.rel) + "/", f.reason))
    return out


def _create_after(target: Path, index_dir: Path) -> Any:
    """A new empty index in *target* whose generations continue those of *index_dir*.

    Readers notice a new commit by its generation number only
    (``Searcher.up_to_date``); a rebuilt index starting again at 1 looked
    unchanged to a long-lived reader at the same generation, which then kept
    serving the old (deleted) segments.
    """
    from whoosh import index as windex
    from whoosh.index import TOC

    ix = windex.create_in(str(target), make_schema())
    gens = [int(m.group(1)) for n in (os.listdir(index_dir) if index_dir.is_dir() else ())
            if (m := re.fullmatch(r"_MAIN_(\d+)\.toc", n))]
    if max(gens, default=0) > 0:
        TOC(ix.schema, [], max(gens)).write(ix.storage, ix.indexname)
        ix = windex.open_dir(str(target))
    return ix


SMALL_SEGMENT = 1000  # documents
SMALL_SEGMENTS_BEFORE_MERGE = 3


def _merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Merge policy of incremental updates: once there are
    :data:`SMALL_SEGMENTS_BEFORE_MERGE` segments of fewer than :data:`SMALL_SEGMENT`
    documents, fold them all into the segment being written.

    Every update writes a segment, and the stock ``MERGE_SMALL`` of whoosh-reloaded
    practically never merges them (at 10k articles, 9 extra segments after a few
    updates), while every segment costs every query a matcher per term and field.
    Small segments are cheap to merge, so an update stays fast.
    """
    from whoosh.reading import SegmentReader

    small = [seg for seg in segments if seg.doc_count_all() < SMALL_SEGMENT]
    if len(small) < SMALL_SEGMENTS_BEFORE_MERGE:
        return segments
    for seg in small:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [seg for seg in segments if seg.doc_count_all() >= SMALL_SEGMENT]


def _abandon(writer: Any) -> None:
    """Cancel a failed writer and release its Whoosh write lock in every case.

    When the commit itself failed (disk full, read-only folder), ``cancel()`` can
    fail the same way before it unlocks; the lock would then stay held by this
    process until the writer is garbage-collected, and the next build in the same
    process (the TUI's "reindex", a test) would get ``LockError``.
    """
    try:
        writer.cancel()
    except Exception:  # noqa: BLE001 - the original error is the one to report
        pass
    finally:
        lock = getattr(writer, "writelock", None)
        if lock is not None:
            try:
                lock.release()
            except Exception:  # noqa: BLE001 - already released by cancel()
                pass


#: Files to (re)index from which a full build uses the multi-process writer (below,
#: starting the processes costs more than it saves).
MULTIPROCESS_MIN = 2000


def _writer(ix: Any, procs: int, total: int) -> Any:
    if procs > 1 and total >= MULTIPROCESS_MIN:
        from index.writer_procs import GuardedMpWriter

        return GuardedMpWriter(ix, procs=procs, multisegment=True, limitmb=256,
                               lock_fds=sorted(HELD_LOCK_FDS))
    return ix.writer(limitmb=256)


def _swap_in(built: Path, index_dir: Path) -> None:
    """Replace *index_dir* by the freshly built folder with two renames."""
    old = index_dir.with_name(index_dir.name + ".old")
    if index_dir.exists():
        os.replace(index_dir, old)
    os.replace(built, index_dir)
    shutil.rmtree(old, ignore_errors=True)
