"""Keyword in context: every match of a query across its results, one line each.

What ``rg`` shows for a folder of text, over the hits of a search: per article,
each match with the words around it on one line, the line number, and offsets back
into the article so a front end can open it right there. Several matches close
together share a line (as ``rg`` prints a line once, with every match on it).
Offsets only, nothing rendered: the TUI highlights with its styles, the command
line with ANSI colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.results import Hit
    from index.search import Index

Span = tuple[int, int]

#: Characters of context per line (the match included) unless asked otherwise.
WIDTH = 100
#: Lines per article (the article's total count is still reported).
PER_ARTICLE = 20


@dataclass(frozen=True)
class KwicLine:
    """One line of context: ``text`` (one line), the ``spans`` of the matches in it
    (relative to ``text``), where its first match is in the article (``start``,
    ``end``) and the article line it is on (1-based, as ``rg -n``)."""

    text: str
    spans: tuple[Span, ...]
    start: int
    end: int
    line: int

    def to_json(self, hit: Hit) -> dict[str, Any]:
        """The ``dossier kwic --json`` record of this line."""
        return {"id": hit.doc_id, "path": hit.path, "line": self.line, "start": self.start,
                "end": self.end, "text": self.text, "spans": [list(s) for s in self.spans]}


@dataclass(frozen=True)
class KwicArticle:
    """The context lines of one matching article."""

    hit: Hit
    lines: tuple[KwicLine, ...]
    matches: int  # all matches in the article (more than the lines show, when capped)


def context_lines(text: str, spans: Sequence[Span], *, width: int = WIDTH,
                  limit: int = PER_ARTICLE) -> list[KwicLine]:
    """One-line windows of about *width* characters around the matches *spans* of
    *text*, never across a line break; a third of the room before the match, the
    rest after (text is read forwards); cut at word boundaries, with ``…`` where
    the line goes on."""
    rows: list[KwicLine] = []
    ordered = sorted(spans)
    i = 0
    line_no, counted = 1, 0
    while i < len(ordered) and len(rows) < limit:
        s, e = ordered[i]
        line_start = text.rfind("\n", 0, s) + 1
        line_end = text.find("\n", e)
        line_end = len(text) if line_end < 0 else line_end
        room = max(0, width - (e - s))
        a = max(line_start, s - room // 3)
        b = min(line_end, max(e, a + width))
        a = max(line_start, min(a, b - width))
        # Inward to word boundaries, never into the match.
        if a > line_start and not text[a - 1].isspace():
            sp = text.find(" ", a, s)
            a = sp + 1 if sp >= 0 else a
        if b < line_end and not text[b].isspace():
            sp = text.rfind(" ", e, b)
            b = sp if sp >= 0 else b
        group = [(s, e)]
        j = i + 1
        while j < len(ordered) and ordered[j][0] >= a and ordered[j][1] <= b:
            group.append(ordered[j])
            j += 1
        while a < s and text[a].isspace():
            a += 1
        lead = "…" if a > line_start else ""
        tail = "…" if b < line_end else ""
        piece = text[a:b].replace("\t", " ")
        shift = len(lead) - a
        line_no += text.count("\n", counted, s)
        counted = s
        rows.append(KwicLine(text=lead + piece.rstrip() + tail,
                             spans=tuple((x + shift, y + shift) for x, y in group),
                             start=s, end=e, line=line_no))
        i = j
    return rows


def kwic(ix: Index, text: str, *, articles: int = 50, per_article: int = PER_ARTICLE,
         width: int = WIDTH, since: dt.date | None = None, until: dt.date | None = None,
         sort: str = "relevance", ids: Collection[str] | None = None,
         events: tuple[dt.date, dt.date] | None = None) -> list[KwicArticle]:
    """The context lines of the first *articles* matches of *text*, in result order
    (articles whose only matches are in the title have none). Raises the index's
    ``QueryError``."""
    result = ix.search(text, limit=articles, since=since, until=until, sort=sort,
                       snippets=None, facets=False, suggest=False, ids=ids, events=events)
    out = []
    for hit in result.hits:
        if not hit.spans:
            continue
        try:
            body = ix.article(hit.doc_id).text
        except KeyError:  # removed by an update between the search and here
            continue
        lines = context_lines(body, hit.spans, width=width, limit=per_article)
        out.append(KwicArticle(hit=hit, lines=tuple(lines), matches=len(hit.spans)))
    return out
