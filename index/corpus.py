"""Finding article files in corpus folders and reading them safely.

Files are never modified. Everything that can go wrong with a file someone
else collected (odd encodings, binary junk, broken or hostile YAML, symlink
loops, unreadable files or folders, huge files, FIFOs and devices) turns into a
*skip reason* or a *warning*, never an exception that stops or hangs a build.

Nothing outside the corpus folders is ever read. dossier is served over SSH to
people who cannot read the owner's files, so a symlink in the corpus
(``leak.txt -> ~/.ssh/id_ed25519``, a sidecar ``a.yaml -> /etc/shadow``, a folder
link to ``/home``) must not make their content searchable: every path is resolved
and checked against the resolved corpus roots before it is opened, and again on
the opened descriptor (``/proc/self/fd``), so a file swapped for a link between
the walk and the read is caught too. What is read is checked on the descriptor
as well (regular file, size within the cap) and read with a bound: a FIFO, a
device or a 2 GB file is one skip reason, never a hang or a MemoryError.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from index.text import sanitize

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
SIDECAR_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_FRONT_MATTER_BYTES = 64 * 1024


@dataclass(frozen=True)
class SourceFile:
    """An article file found in a corpus folder, with what change detection needs."""

    root: Path          # the corpus folder (absolute)
    path: Path          # the file (absolute)
    rel: str            # path relative to root, with "/" separators
    size: int
    mtime_ns: int
    sidecar: Path | None
    sidecar_sig: str    # size:mtime of the sidecar, "" without one
    #: every corpus folder of the build (resolved): a symlink may point into any of
    #: them; empty means just ``root``
    roots: tuple[Path, ...] = ()

    @property
    def signature(self) -> str:
        """Cheap change signature: size and mtime of the file and its sidecar."""
        return f"{self.size}:{self.mtime_ns}:{self.sidecar_sig}"


@dataclass
class RawArticle:
    """A decoded article: sanitized body text plus whatever YAML came with it."""

    text: str
    front_matter: dict[str, Any]
    sidecar: dict[str, Any]
    encoding: str
    content_hash: str
    front_origin: str = "front matter"
    warnings: list[str] = field(default_factory=list)


class SkipFile(Exception):
    """Raised by :func:`read_article` with a one-line reason when a file can't be indexed.

    *keep* marks a reason that may pass (permission denied): an update keeps the
    article's indexed copy instead of deleting it."""

    def __init__(self, reason: str, *, keep: bool = False) -> None:
        super().__init__(reason)
        self.keep = keep


@dataclass(frozen=True)
class SkippedFolder:
    """A folder :func:`discover` could not list (permission denied, I/O error).

    Its articles are not gone: an update keeps what the index holds from it."""

    root: Path
    path: Path          # the folder (absolute, as walked)
    rel: str
    reason: str


OUTSIDE = "symlink to outside the corpus folders: not read"


def _inside(path: str, roots: Sequence[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _link_problem(path: str, roots: Sequence[str]) -> str | None:
    """Why the symlink *path* must not be followed (None when its target is in a root)."""
    try:
        target = os.path.realpath(path, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "cannot stat: symlink loop"
        return f"cannot stat: {exc.strerror or exc}"
    if not _inside(target, roots):
        return OUTSIDE
    return None


def _sidecar_for(path: Path, names: set[str]) -> Path | None:
    """The sidecar of *path* among the file *names* of its folder (no extra stat calls:
    a folder of 100,000 articles would otherwise cost 400,000 of them per update)."""
    for suffix in SIDECAR_SUFFIXES:
        for name in (path.stem + suffix, path.name + suffix):
            if name in names:
                return path.with_name(name)
    return None


def discover(
    roots: Sequence[Path],
) -> Iterator[SourceFile | SkippedFolder | tuple[str, str]]:
    """Walk the corpus folders in a stable order.

    Yields a :class:`SourceFile` per article file, ``(rel, reason)`` for files
    (and sidecars, and linked folders) that look like articles but can't or
    mustn't be read (unreadable, not a regular file, a symlink leading out of the
    corpus folders or in a loop), and a :class:`SkippedFolder` for each folder
    that could not be listed. Hidden files and folders are ignored; symlinks whose
    target lies inside a corpus folder are followed (folder loops are detected by
    device and inode).
    """
    resolved = tuple(Path(r).resolve() for r in roots)
    real = [str(r) for r in resolved]
    for root in resolved:
        seen_dirs: set[tuple[int, int]] = set()
        errors: list[OSError] = []
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True,
                                                    onerror=errors.append):
            yield from _failed_folders(root, errors)
            try:
                st = os.stat(dirpath)
            except OSError:
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                dirnames[:] = []
                continue
            seen_dirs.add(key)
            kept: list[str] = []
            for d in sorted(d for d in dirnames if not d.startswith(".")):
                full = os.path.join(dirpath, d)
                if os.path.islink(full):
                    problem = _link_problem(full, real)
                    if problem is not None:
                        yield Path(full).relative_to(root).as_posix() + "/", problem
                        continue
                kept.append(d)
            dirnames[:] = kept
            yield from _files_in(root, dirpath, filenames, real, resolved)
        yield from _failed_folders(root, errors)


def watched_folders(roots: Sequence[Path], changed: Iterable[Path]) -> set[Path] | None:
    """The folders to rescan for *changed* paths (what a file watcher reported), or
    None when only a full walk is safe: a path that is not an article or sidecar file
    (a folder created, moved or deleted), a hidden one, or one outside every root (a
    symlinked folder's real location) is left to :func:`discover`."""
    resolved = [Path(r).resolve() for r in roots]
    folders: set[Path] = set()
    for path in changed:
        path = Path(os.path.abspath(path))
        if not path.name.lower().endswith(ARTICLE_SUFFIXES + SIDECAR_SUFFIXES):
            return None
        root = next((r for r in resolved if path.is_relative_to(r)), None)
        if root is None or any(p.startswith(".") for p in path.relative_to(root).parts):
            return None
        if not path.parent.is_dir() or Path(os.path.realpath(path.parent)) != path.parent:
            return None  # through a symlinked folder: its files are keyed by the link
        folders.add(path.parent)
    return folders


def discover_folders(
    roots: Sequence[Path], folders: Iterable[Path],
) -> Iterator[SourceFile | SkippedFolder | tuple[str, str]]:
    """What :func:`discover` yields for just *folders* (from :func:`watched_folders`),
    without walking the rest of the corpus: one changed file in 100,000 costs a folder
    listing, not a tree walk."""
    resolved = tuple(Path(r).resolve() for r in roots)
    real = [str(r) for r in resolved]
    for folder in sorted(folders):
        root = next((r for r in resolved if folder.is_relative_to(r)), None)
        if root is None:
            continue
        try:
            filenames = os.listdir(folder)
        except FileNotFoundError:
            continue  # gone since the event: its files drop out of the index
        except OSError as exc:
            rel = folder.relative_to(root).as_posix() if folder != root else "."
            yield SkippedFolder(root, folder, rel,
                                f"cannot read folder: {exc.strerror or exc}")
            continue
        yield from _files_in(root, str(folder), filenames, real, resolved)


def _files_in(root: Path, dirpath: str, filenames: Sequence[str], real: Sequence[str],
              resolved: tuple[Path, ...]) -> Iterator[SourceFile | tuple[str, str]]:
    """The article files of one folder (not its subfolders): the same checks for a full
    walk and for the folders a watcher saw change."""
    names = set(filenames)
    reported: set[str] = set()
    for name in sorted(filenames):
        if name.startswith(".") or not name.lower().endswith(ARTICLE_SUFFIXES):
            continue
        path = Path(dirpath) / name
        rel = path.relative_to(root).as_posix()
        try:
            fst = os.lstat(path)
            if stat.S_ISLNK(fst.st_mode):
                problem = _link_problem(str(path), real)
                if problem is not None:
                    yield rel, problem
                    continue
                fst = os.stat(path)
        except OSError as exc:
            yield rel, f"cannot stat: {exc.strerror or exc}"
            continue
        if not stat.S_ISREG(fst.st_mode):
            yield rel, "not a regular file"
            continue
        sidecar = _sidecar_for(path, names)
        sig = ""
        if sidecar is not None:
            problem = _sidecar_problem(sidecar, real)
            if problem is None:
                try:
                    sst = sidecar.stat()
                    sig = f"{sst.st_size}:{sst.st_mtime_ns}"
                except OSError:
                    sidecar = None
            else:
                side_rel = sidecar.relative_to(root).as_posix()
                if side_rel not in reported:
                    reported.add(side_rel)
                    yield side_rel, problem
                sidecar = None
        yield SourceFile(root, path, rel, fst.st_size, fst.st_mtime_ns, sidecar, sig,
                         resolved)


def _failed_folders(root: Path, errors: list[OSError]) -> Iterator[SkippedFolder]:
    """The folders ``os.walk`` reported (through ``onerror``) as unlistable, once each."""
    while errors:
        exc = errors.pop(0)
        where = Path(exc.filename) if exc.filename else root
        rel = where.relative_to(root).as_posix() if where != root else "."
        yield SkippedFolder(root, where, rel, f"cannot read folder: {exc.strerror or exc}")


def _sidecar_problem(path: Path, roots: Sequence[str]) -> str | None:
    """Why the sidecar *path* is not used (a link out of the corpus, not a file)."""
    try:
        lst = os.lstat(path)
        if stat.S_ISLNK(lst.st_mode):
            problem = _link_problem(str(path), roots)
            if problem is not None:
                return f"sidecar: {problem}"
            lst = os.stat(path)
    except OSError as exc:
        return f"sidecar: cannot stat: {exc.strerror or exc}"
    if not stat.S_ISREG(lst.st_mode):
        return "sidecar: not a regular file, ignored"
    return None


def _size_label(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def read_bounded(path: Path, cap: int, roots: Sequence[Path]) -> bytes:
    """The bytes of the regular file *path* inside *roots*, at most *cap* of them.

    Raises :class:`SkipFile` with the reason otherwise. The name is checked before
    opening (a symlink out of the corpus is never opened; a FIFO or device found
    by ``stat`` is not opened either), the open is non-blocking (a FIFO swapped in
    after that check cannot hang it), and the decision is made on the opened
    descriptor: its real path (``/proc/self/fd``), its type and its size. The read
    stops at *cap* + 1 bytes whatever the size said, so a file that grows while it
    is read cannot exhaust memory.
    """
    real = [str(Path(r).resolve()) for r in roots]
    try:
        if not _inside(os.path.realpath(path), real):
            raise SkipFile(OUTSIDE)
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise SkipFile("not a regular file")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        keep = exc.errno in (errno.EACCES, errno.EPERM)
        raise SkipFile(f"cannot read: {exc.strerror or exc}", keep=keep) from exc
    try:
        try:
            opened = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # no /proc: the name was checked just before the open
            opened = None
        if opened is not None and not _inside(opened, real):
            raise SkipFile(OUTSIDE)
        fst = os.fstat(fd)
        if not stat.S_ISREG(fst.st_mode):
            raise SkipFile("not a regular file")
        if fst.st_size > cap:
            raise SkipFile(f"larger than {_size_label(cap)}")
        chunks: list[bytes] = []
        got = 0
        while got <= cap:
            chunk = os.read(fd, min(cap + 1 - got, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got > cap:
            raise SkipFile(f"larger than {_size_label(cap)}")
        return b"".join(chunks)
    except OSError as exc:
        raise SkipFile(f"cannot read: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)


# --- decoding ---------------------------------------------------------------------------------

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_LATIN_FAMILY = {"cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "mac_roman",
                 "cp850", "cp437", "iso8859_9", "cp1254", "windows-1252", "iso-8859-1"}


def decode(data: bytes) -> tuple[str, str]:
    """Decode file bytes to text, returning ``(text, encoding)``.

    UTF-8 (with or without BOM) and UTF-16 with BOM first; then binary
    detection; then legacy single-byte text. German legacy files are
    cp1252 or latin-1, which charset-normalizer often can't tell apart on short
    texts, so any Western single-byte guess is read as cp1252 (a superset that
    also has € and typographic quotes), falling back to latin-1.
    Raises :class:`SkipFile` for binary data.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise SkipFile(f"invalid {enc} text") from exc
    sample = data[:65536]
    if b"\x00" in sample or _control_ratio(sample) > 0.05:
        raise SkipFile("binary file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # imported lazily: only legacy files need it

    best = from_bytes(data[:262144]).best()
    enc = best.encoding if best is not None else "cp1252"
    if enc.replace("-", "_").lower() in _LATIN_FAMILY or best is None:
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            return data.decode("latin-1"), "latin-1"
    try:
        return data.decode(enc), enc
    except (UnicodeDecodeError, LookupError):
        return data.decode("latin-1"), "latin-1"


def _control_ratio(data: bytes) -> float:
    if not data:
        return 0.0
    # Tab, LF, VT (a line break in Word exports), FF, CR and ESC occur in real text.
    bad = sum(1 for b in data if b < 32 and b not in (9, 10, 11, 12, 13, 27))
    return bad / len(data)


# --- YAML ---------------------------------------------------------------------------------------

class _NoAliasLoader(yaml.SafeLoader):
    """Safe loading without anchors/aliases: a "billion laughs" front matter
    can't expand, and no tag constructs Python objects."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)


def load_yaml_mapping(source: str, what: str) -> tuple[dict[str, Any], list[str]]:
    """Parse a YAML mapping safely; on any problem return ``{}`` and a one-line warning."""
    if len(source.encode("utf-8", "replace")) > MAX_FRONT_MATTER_BYTES:
        return {}, [f"{what}: larger than {MAX_FRONT_MATTER_BYTES // 1024} KB, ignored"]
    try:
        data = yaml.load(source, Loader=_NoAliasLoader)  # noqa: S506 - safe loader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return {}, [f"{what}: invalid YAML{where}: {problem}"]
    except (RecursionError, ValueError, TypeError) as exc:
        return {}, [f"{what}: invalid YAML: {type(exc).__name__}"]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [f"{what}: expected a mapping of keys to values, got {type(data).__name__}"]
    return {str(k).lower(): v for k, v in data.items()}, []


def split_front_matter(text: str) -> tuple[str | None, str]:
    """Split ``---`` YAML front matter from the body. Returns ``(yaml or None, body)``.

    Without a closing ``---``/``...`` line the whole text is the body.
    """
    if not text.startswith("---"):
        return None, text
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].strip() != "---":
        return None, text
    pos = first_nl + 1
    while pos <= len(text):
        nl = text.find("\n", pos)
        line = text[pos:] if nl < 0 else text[pos:nl]
        if line.rstrip() in ("---", "..."):
            body = "" if nl < 0 else text[nl + 1:]
            return text[first_nl + 1:pos], body
        if nl < 0:
            break
        pos = nl + 1
    return None, text


# --- HTML ---------------------------------------------------------------------------------------

_CHAR_REF = re.compile(r"&#([xX][0-9a-fA-F]+|[0-9]+);?")


def _xml_char(value: int) -> bool:
    """True for the characters XML 1.0 allows (what lxml, under trafilatura, accepts)."""
    return (value in (0x9, 0xA, 0xD) or 0x20 <= value <= 0xD7FF
            or 0xE000 <= value <= 0xFFFD or 0x10000 <= value <= 0x10FFFF)


def strip_bad_char_refs(html: str) -> str:
    """*html* without numeric character references to characters XML forbids.

    One ``&#11;`` (a vertical tab pasted from Word), ``&#27;`` or ``&#65535;``
    made lxml reject the whole document, and the page was skipped as "no text".
    Such characters would be removed by sanitizing anyway.
    """
    if "&#" not in html:
        return html

    def fix(m: re.Match[str]) -> str:
        digits = m.group(1)
        hexa = digits[0] in "xX"
        digits = (digits[1:] if hexa else digits).lstrip("0") or "0"
        if len(digits) > 8:  # beyond U+10FFFF (and int() of a huge string is refused)
            return ""
        return m.group(0) if _xml_char(int(digits, 16 if hexa else 10)) else ""

    return _CHAR_REF.sub(fix, html)


def extract_html(html: str) -> tuple[str, dict[str, Any]]:
    """Main text and metadata of a saved web page, via trafilatura (boilerplate removal)."""
    import trafilatura  # imported lazily: slow to import, and only HTML needs it

    html = strip_bad_char_refs(html)
    doc = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, with_metadata=True
    )
    if doc is None:
        return "", {}
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    meta = {k: data.get(k) for k in ("title", "date", "sitename", "author") if data.get(k)}
    if "sitename" in meta:
        meta["source"] = meta.pop("sitename")
    text = data.get("text") or ""
    title = meta.get("title")
    if title and not text.startswith(str(title)):
        text = f"{title}\n\n{text}"
    return text, meta


# --- reading ------------------------------------------------------------------------------------

def read_article(sf: SourceFile) -> RawArticle:
    """Read, decode and split one article file. Raises :class:`SkipFile` with a reason."""
    if sf.size > MAX_FILE_BYTES:
        raise SkipFile(f"larger than {_size_label(MAX_FILE_BYTES)}")
    roots = sf.roots or (sf.root,)
    data = read_bounded(sf.path, MAX_FILE_BYTES, roots)
    side_bytes = b""
    warnings: list[str] = []
    if sf.sidecar is not None:
        try:
            side_bytes = read_bounded(sf.sidecar, MAX_FRONT_MATTER_BYTES, roots)
        except SkipFile as exc:
            warnings.append(f"sidecar {sf.sidecar.name}: {exc}, ignored")
    digest = hashlib.blake2b(data, digest_size=16)
    digest.update(b"\0sidecar\0" + side_bytes)
    if not data.strip():
        raise SkipFile("empty file")
    raw, encoding = decode(data)
    front: dict[str, Any] = {}
    front_origin = "front matter"
    suffix = sf.path.suffix.lower()
    if suffix in (".html", ".htm"):
        try:
            body, front = extract_html(raw)
        except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the build
            raise SkipFile(f"HTML could not be parsed: {type(exc).__name__}") from exc
        front_origin = "HTML metadata"
    else:
        fm, body = split_front_matter(raw.lstrip("\ufeff"))
        if fm is not None:
            front, warns = load_yaml_mapping(fm, "front matter")
            warnings.extend(warns)
    sidecar: dict[str, Any] = {}
    if side_bytes:
        try:
            side_text, _ = decode(side_bytes)
        except SkipFile:
            side_text = ""
            warnings.append(f"sidecar {sf.sidecar.name if sf.sidecar else ''}: not text, ignored")
        if side_text:
            sidecar, warns = load_yaml_mapping(sanitize(side_text), "sidecar")
            warnings.extend(warns)
    text = sanitize(body).strip("\n")
    if not text.strip():
        raise SkipFile("no text")
    return RawArticle(
        text=text,
        front_matter=front,
        sidecar=sidecar,
        encoding=encoding,
        content_hash=digest.hexdigest(),
        front_origin=front_origin,
        warnings=warnings,
    )
