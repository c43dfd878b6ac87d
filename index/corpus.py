"""Finding article files in corpus folders and reading them safely.

Files are never modified. Everything that can go wrong with a file someone
else collected (odd encodings, binary junk, broken or hostile YAML, symlink
loops, unreadable files, huge files) turns into a *skip reason* or a
*warning*, never an exception that stops a build.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator, Sequence
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
    """Raised by :func:`read_article` with a one-line reason when a file can't be indexed."""


def _sidecar_for(path: Path, names: set[str]) -> Path | None:
    """The sidecar of *path* among the file *names* of its folder (no extra stat calls:
    a folder of 100,000 articles would otherwise cost 400,000 of them per update)."""
    for suffix in SIDECAR_SUFFIXES:
        for name in (path.stem + suffix, path.name + suffix):
            if name in names:
                return path.with_name(name)
    return None


def discover(roots: Sequence[Path]) -> Iterator[SourceFile | tuple[str, str]]:
    """Walk the corpus folders in a stable order.

    Yields a :class:`SourceFile` per article file, or ``(rel, reason)`` for
    files that look like articles but can't be read (unreadable, not a regular
    file). Hidden files and folders are ignored; directory symlinks are
    followed once (loops are detected by device and inode).
    """
    for root in roots:
        root = Path(root).resolve()
        seen_dirs: set[tuple[int, int]] = set()
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            try:
                st = os.stat(dirpath)
            except OSError:
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                dirnames[:] = []
                continue
            seen_dirs.add(key)
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            names = set(filenames)
            for name in sorted(filenames):
                if name.startswith(".") or not name.lower().endswith(ARTICLE_SUFFIXES):
                    continue
                path = Path(dirpath) / name
                rel = path.relative_to(root).as_posix()
                try:
                    fst = path.stat()
                except OSError as exc:
                    yield rel, f"cannot stat: {exc.strerror or exc}"
                    continue
                if not stat.S_ISREG(fst.st_mode):
                    yield rel, "not a regular file"
                    continue
                sidecar = _sidecar_for(path, names)
                sig = ""
                if sidecar is not None:
                    try:
                        sst = sidecar.stat()
                        sig = f"{sst.st_size}:{sst.st_mtime_ns}"
                    except OSError:
                        sidecar = None
                yield SourceFile(root, path, rel, fst.st_size, fst.st_mtime_ns, sidecar, sig)


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
    bad = sum(1 for b in data if b < 32 and b not in (9, 10, 13, 12, 27))
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

def extract_html(html: str) -> tuple[str, dict[str, Any]]:
    """Main text and metadata of a saved web page, via trafilatura (boilerplate removal)."""
    import trafilatura  # imported lazily: slow to import, and only HTML needs it

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
        raise SkipFile(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        data = sf.path.read_bytes()
    except OSError as exc:
        raise SkipFile(f"cannot read: {exc.strerror or exc}") from exc
    side_bytes = b""
    if sf.sidecar is not None:
        try:
            side_bytes = sf.sidecar.read_bytes()
        except OSError:
            side_bytes = b""
    digest = hashlib.blake2b(data, digest_size=16)
    digest.update(b"\0sidecar\0" + side_bytes)
    if not data.strip():
        raise SkipFile("empty file")
    raw, encoding = decode(data)
    warnings: list[str] = []
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
