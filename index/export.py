"""Search results leave the program: CSV, JSON, Markdown and BibTeX with citations.

What a journalist hands on is a list of sources: every hit with its title, date
(and where that date came from), source, agency, author, path, the best passage
and a citation line. The text comes from articles of unknown origin, so every
format is made inert for the program that opens it next:

- CSV: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
  is a formula to a spreadsheet (``=HYPERLINK(...)``, DDE); it gets a leading
  apostrophe, the convention spreadsheets show as text (OWASP "CSV injection").
- Markdown: Markdown punctuation and HTML are backslash-escaped or written as
  entities, so a title cannot become a link, an image, a heading or a tag.
- BibTeX: braces, backslashes and the TeX specials are escaped; keys are made of
  the source, year and article id, so the same article always gets the same key.
- JSON: the standard encoder (strings are data there).

No Textual or Rich here: the command line and the TUI both write through this.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
import re
import stat
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from index.text import sanitize_line

if TYPE_CHECKING:
    from index.results import Article, Hit
    from index.search import Index

FORMATS = ("csv", "json", "md", "bibtex")
#: File name endings that name a format (``--out brief.md`` needs no ``--format``).
SUFFIXES = {".csv": "csv", ".json": "json", ".md": "md", ".markdown": "md",
            ".bib": "bibtex", ".bibtex": "bibtex"}
FIELDS = ("id", "title", "date", "date_origin", "source", "agency", "author", "language",
          "corpus", "path", "passage", "citation")


@dataclass(frozen=True)
class ExportRecord:
    """One exported article: plain one-line strings (or None), already sanitized."""

    id: str
    title: str
    date: str | None
    date_origin: str | None
    source: str | None
    agency: str | None
    author: str | None
    language: str
    corpus: str
    path: str
    passage: str
    citation: str


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    return sanitize_line(value) or None


def citation(title: str, source: str | None, agency: str | None, author: str | None,
             date: str | None, path: str) -> str:
    """``Author: “Title”, Source (Agency), 2021-02-03, path``, one line (the path
    relative to its corpus folder, as ``dossier search --json`` gives it)."""
    who = f"{author}: " if author else ""
    where = source or agency or "unknown source"
    if source and agency and agency.lower() not in source.lower():
        where = f"{source} ({agency})"
    return f"{who}“{title or '(untitled)'}”, {where}, {date or 'undated'}, {path}"


def record(hit: Hit, article: Article | None = None) -> ExportRecord:
    """The export record of *hit*; *article* supplies the author (a hit has none)."""
    title = _clean(hit.title) or "(untitled)"
    source, agency = _clean(hit.source), _clean(hit.agency)
    author = _clean(article.author) if article is not None else None
    date = hit.date.isoformat() if hit.date else None
    path = sanitize_line(hit.path)
    passage = sanitize_line(hit.snippets[0].text) if hit.snippets else ""
    return ExportRecord(
        id=hit.doc_id, title=title, date=date, date_origin=_clean(hit.date_origin),
        source=source, agency=agency, author=author, language=hit.language,
        corpus=sanitize_line(hit.corpus), path=path,
        passage=passage, citation=citation(title, source, agency, author, date, path),
    )


# --- CSV --------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str | None) -> str:
    """A cell a spreadsheet shows as text: formulas get a leading apostrophe."""
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(records: Iterable[ExportRecord], *, excel: bool = False) -> str:
    """A header and one row per record. ``excel``: a BOM and ``;`` between cells, what
    Excel in German (and other comma-decimal) locales opens without an import dialog."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(FIELDS)
    for r in records:
        row = asdict(r)
        writer.writerow([csv_cell(row[f]) for f in FIELDS])
    return ("\ufeff" if excel else "") + buf.getvalue()


# --- JSON -------------------------------------------------------------------------------------

def to_json(records: Iterable[ExportRecord]) -> str:
    """A JSON array of objects with the :data:`FIELDS` as keys."""
    return json.dumps([asdict(r) for r in records], ensure_ascii=False, indent=2) + "\n"


# --- Markdown ---------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|~])")
#: What starts a list item or a numbered list at the start of a value.
_MD_LEADING = re.compile(r"^([+\-]|\d+[.)])")


def md_escape(text: str) -> str:
    """Inert Markdown: ``&``, ``<`` and ``>`` as entities (no HTML tag, no quote
    block), the inline punctuation (links, images, emphasis, code, tables) escaped,
    and a leading list marker too."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LEADING.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], text)


def to_markdown(records: Sequence[ExportRecord], *, heading: str = "") -> str:
    """A readable brief: a heading with the query, then one section per article."""
    out = [f"# {md_escape(heading) if heading else 'dossier export'}", ""]
    out.append(f"{len(records)} article{'s' if len(records) != 1 else ''}.")
    out.append("")
    for i, r in enumerate(records, 1):
        out.append(f"## {i}. {md_escape(r.title)}")
        out.append("")
        facts = [("Date", r.date or "undated"), ("Date from", r.date_origin),
                 ("Source", r.source), ("Agency", r.agency), ("Author", r.author),
                 ("Path", r.path)]
        for label, value in facts:
            if value:
                out.append(f"- **{label}:** {md_escape(value)}")
        out.append("")
        if r.passage:
            out.append(f"> {md_escape(r.passage)}")
            out.append("")
        out.append(f"*{md_escape(r.citation)}*")
        out.append("")
    return "\n".join(out)


# --- BibTeX -----------------------------------------------------------------------------------

_BIB_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&",
                "$": r"\$", "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}
_BIB_RE = re.compile("|".join(re.escape(k) for k in _BIB_SPECIAL))
_KEY_CHARS = re.compile(r"[^A-Za-z0-9]+")


def bib_escape(text: str) -> str:
    """A BibTeX field value safe inside braces (no unbalanced group, no command)."""
    return _BIB_RE.sub(lambda m: _BIB_SPECIAL[m.group(0)], text)


def bib_key(r: ExportRecord) -> str:
    """``heise-2021-3f2a9c1b0d4e``: source, year and the article id, ASCII only."""
    import unicodedata

    name = r.source or r.agency or "dossier"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = _KEY_CHARS.sub("", ascii_name).lower()[:20] or "dossier"
    year = r.date[:4] if r.date else "nd"
    return f"{slug}-{year}-{_KEY_CHARS.sub('', r.id)}"


def to_bibtex(records: Iterable[ExportRecord]) -> str:
    """``@article`` for an article of a named source (a journal), ``@misc`` otherwise."""
    out = []
    for r in records:
        kind = "article" if r.source else "misc"
        fields: list[tuple[str, str | None]] = [
            ("title", r.title), ("author", r.author),
            ("journal" if kind == "article" else "howpublished", r.source or r.agency),
            ("year", r.date[:4] if r.date else None),
            ("month", str(int(r.date[5:7])) if r.date and len(r.date) >= 7 else None),
            ("date", r.date), ("note", r.citation), ("file", r.path),
            ("abstract", r.passage or None), ("language", r.language),
        ]
        lines = [f"@{kind}{{{bib_key(r)},"]
        lines += [f"  {name} = {{{bib_escape(value)}}}," for name, value in fields if value]
        lines.append("}")
        out.append("\n".join(lines))
    return "\n\n".join(out) + ("\n" if out else "")


def collect(ix: Index, text: str, *, limit: int = 1000, since: dt.date | None = None,
            until: dt.date | None = None, sort: str = "relevance",
            ids: Collection[str] | None = None,
            events: tuple[dt.date, dt.date] | None = None) -> list[ExportRecord]:
    """The records of the first *limit* matches of *text*, in result order.

    ``ids`` restricts the matches to those articles (bookmarks, a tag), ``events`` to
    articles mentioning a date in that period. Raises the index's ``QueryError``."""
    result = ix.search(text, limit=limit, since=since, until=until, sort=sort,
                       snippets=None, facets=False, suggest=False, ids=ids, events=events)
    out = []
    for hit in result.hits:
        try:
            article = ix.article(hit.doc_id)
        except KeyError:  # removed by an update between the search and here
            article = None
        out.append(record(hit, article))
    return out


def render(records: Sequence[ExportRecord], fmt: str, *, excel: bool = False,
           heading: str = "") -> str:
    """*records* in format *fmt* (one of :data:`FORMATS`)."""
    if fmt == "csv":
        return to_csv(records, excel=excel)
    if fmt == "json":
        return to_json(records)
    if fmt == "md":
        return to_markdown(records, heading=heading)
    if fmt == "bibtex":
        return to_bibtex(records)
    raise ValueError(f"unknown export format {fmt!r} (use {', '.join(FORMATS)})")


def format_for(path: str, given: str | None) -> str:
    """The format named by ``--format``, else by the file's ending, else Markdown."""
    if given:
        return given
    suffix = PurePosixPath(path).suffix.lower()
    return SUFFIXES.get(suffix, "md")


# --- writing a file ---------------------------------------------------------------------------

class ExportPathError(Exception):
    """The export file can't be written there: the message is one line for the user."""


def check_target(path: Path) -> Path:
    """The absolute file to write, checked before any work: not a folder, its folder
    exists and is writable. Raises :class:`ExportPathError`."""
    target = Path(path).expanduser()
    target = target if target.is_absolute() else Path.cwd() / target
    _existing_mode(target)
    if target.is_dir():
        raise ExportPathError(f"cannot export to {target}: it is a folder")
    folder = target.parent
    if not folder.is_dir():
        raise ExportPathError(f"cannot export to {target}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportPathError(f"cannot export to {target}: folder {folder} is not writable")
    if target.exists() and not os.access(target, os.W_OK):
        raise ExportPathError(f"cannot export to {target}: the file is not writable")
    return target


def _existing_mode(target: Path) -> int | None:
    """The permission bits of the regular file at *target*, None if nothing is there.
    A symlink, folder, device, FIFO or socket there is refused: the rename of
    :func:`write_atomic` would replace it with a regular file."""
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ExportPathError(f"cannot export to {target}: {exc.strerror or exc}") from None
    if stat.S_ISLNK(st.st_mode):
        raise ExportPathError(f"cannot export to {target}: it is a symbolic link")
    if stat.S_ISDIR(st.st_mode):
        raise ExportPathError(f"cannot export to {target}: it is a folder")
    if not stat.S_ISREG(st.st_mode):
        raise ExportPathError(f"cannot export to {target}: it is not a regular file")
    return stat.S_IMODE(st.st_mode)


def write_atomic(target: Path, text: str) -> None:
    """Write *text* (UTF-8) through a temporary file beside *target*, then rename:
    an interrupted export never leaves half a file under the name asked for. Only a
    regular file (or nothing) is replaced, and it keeps its permission bits."""
    mode = _existing_mode(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            if mode is not None:
                os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise ExportPathError(f"cannot export to {target}: {exc.strerror or exc}") from None
