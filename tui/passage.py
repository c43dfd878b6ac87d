"""The passage around a match, with its citation: what ``c`` in the viewer copies.

Pure functions, no Textual: the text goes to the user's clipboard through OSC 52
and from there is pasted into mails, notes and shells. Pasted text is a way in
too (a stray ESC or a bracketed-paste end marker in a shell is a command), so it
is sanitized again here even though the index sanitized it at ingest: the path
comes from the file system, and the copy must be safe whatever a future index
stores.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from index.text import sanitize, sanitize_line

if TYPE_CHECKING:
    from index.results import Article

#: Longest passage copied: a paragraph usually; long ones are cut to sentences.
#: Terminals cap OSC 52 payloads (tmux and xterm at ~100 kB); this stays far below.
LIMIT = 1200
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”»)]*\s+")


def _paragraph(text: str, start: int) -> tuple[int, int]:
    """The [begin, end) of the paragraph (blank-line separated) holding *start*."""
    begin = 0
    for m in _PARAGRAPH_BREAK.finditer(text, 0, start):
        begin = m.end()
    m = _PARAGRAPH_BREAK.search(text, max(start, begin))
    end = m.start() if m else len(text)
    return begin, end


def _sentences(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    """Sentence ranges covering text[begin:end]."""
    out: list[tuple[int, int]] = []
    pos = begin
    for m in _SENTENCE_END.finditer(text, begin, end):
        out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out or [(begin, end)]


def _flat(text: str) -> str:
    """Hard-wrapped lines joined, runs of blanks collapsed, control characters gone."""
    return " ".join(sanitize(text).split())


def passage(text: str, start: int, end: int | None = None, limit: int = LIMIT) -> str:
    """The paragraph around text[start:end], cut to the sentences around it (then to a
    window with ``…``) when the paragraph is longer than *limit* characters."""
    n = len(text)
    start = min(max(0, start), n)
    end = min(max(start, end if end is not None else start), n)
    begin, stop = _paragraph(text, start)
    if stop - begin <= limit:
        return _flat(text[begin:stop])
    sentences = _sentences(text, begin, stop)
    i = next((k for k, (a, b) in enumerate(sentences) if a <= start < max(b, a + 1)), 0)
    lo = hi = i
    # Grow by whole sentences, alternating after and before, while it fits.
    while True:
        grown = False
        for j in (hi + 1, lo - 1):
            if 0 <= j < len(sentences):
                a = sentences[min(lo, j)][0]
                b = sentences[max(hi, j)][1]
                if b - a <= limit:
                    lo, hi = min(lo, j), max(hi, j)
                    grown = True
        if not grown:
            break
    a, b = sentences[lo][0], sentences[hi][1]
    if b - a <= limit:
        return _flat(text[a:b])
    # One sentence longer than the limit: a window centred on the match.
    half = max(0, (limit - (end - start)) // 2)
    a, b = max(begin, start - half), min(stop, max(end, start) + half)
    return ("…" if a > begin else "") + _flat(text[a:b]) + ("…" if b < stop else "")


def citation(article: Article) -> str:
    """``“Title”, Source, 2021-02-03, corpus/path``: one line, no control characters."""
    title = sanitize_line(article.title or "") or "(untitled)"
    source = sanitize_line(article.source or article.agency or "") or "unknown source"
    date = article.date.isoformat() if article.date else "undated"
    path = str(PurePosixPath(article.corpus) / article.path) if article.corpus else article.path
    return f"“{title}”, {source}, {date}, {sanitize_line(path)}"


def clipboard_text(article: Article, start: int, end: int | None = None) -> str:
    """The passage around offset *start* and its citation, ready for the clipboard."""
    return f"{passage(article.text, start, end)}\n— {citation(article)}"
