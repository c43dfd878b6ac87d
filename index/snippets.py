"""Passages to show for a hit: the best windows of matches, cut at word boundaries,
clear of page furniture and of the title the list already shows; and match spans in
titles.

Pure text work on the stored article and the match offsets from the postings:
nothing here reads the index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from index.analysis import LANGUAGES, analyzer_for
from index.results import Snippet, Span
from index.schema import body_field, title_field
from index.text import mask_furniture

SNIPPET_WIDTH = 160


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sorted spans with nested/overlapping ones merged (a compound and its parts)."""
    out: list[Span] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
            continue
        out.append((s, e))
    return out


_ANALYZERS: dict[str, Any] = {}


def cached_analyzer(lang: str) -> Any:
    """:func:`analyzer_for`, built once per language: building one normalizes the
    stop list, ~0.7 ms, which :func:`title_spans` paid for each of the 20 hits."""
    a = _ANALYZERS.get(lang)
    if a is None:
        a = _ANALYZERS[lang] = analyzer_for(lang)
    return a


def title_spans(title: str, lang: str, terms: set[tuple[str, str]]) -> list[Span]:
    """Match spans in a title: re-analyzing a short title is cheaper than storing chars."""
    if not title or not terms:
        return []
    tfield, bfield = title_field(lang), body_field(lang)
    wanted = {t for f, t in terms if f in (tfield, bfield)}
    if not wanted:
        return []
    spans = [
        (tok.startchar, tok.endchar)
        for tok in cached_analyzer(lang)(title, chars=True, mode="index")
        if tok.text in wanted
    ]
    return merge_spans(spans)


def _in_any(pos: int, ranges: Sequence[Sequence[int]]) -> bool:
    return any(r[0] <= pos < r[1] for r in ranges)


def make_snippets(
    text: str,
    spans: Sequence[Span],
    furniture: Sequence[Sequence[int]] = (),
    *,
    count: int = 2,
    width: int = SNIPPET_WIDTH,
    title: str = "",
) -> list[Snippet]:
    """The best passages: windows of about *width* characters holding the most
    distinct matched words, cut at word boundaries. Without spans, the lead
    (first text that is not furniture). When the text starts with the *title*
    (a headline line, or a lead sentence the title was made from), no snippet
    repeats it: a list already shows the title (with its matches), the snippet
    adds what follows."""
    if not text:
        return []
    head = _title_end(text, title)
    usable = [sp for sp in spans if not _in_any(sp[0], furniture) and sp[0] >= head]
    if not usable:
        start = head
        while start < len(text) and (text[start].isspace() or _in_any(start, furniture)):
            start += 1
        if start >= len(text):
            return []
        end = min(len(text), start + width)
        brk = text.find("\n\n", start, end)
        end = brk if brk >= 0 else end
        for fs, _fe in furniture:
            if start < fs < end:
                end = fs
        return [_cut(text, start, end, ())]
    chosen: list[tuple[int, int]] = []
    remaining = list(usable)
    while remaining and len(chosen) < count:
        best, best_score = None, (-1, -1)
        for i, (s, _e) in enumerate(remaining[:400]):
            # A match longer than the snippet (a 300-letter "word") is a window of its own.
            window = [sp for sp in remaining[i:] if sp[1] <= s + width] or [remaining[i]]
            distinct = len({text[a:b].lower() for a, b in window})
            score = (distinct, len(window))
            if score > best_score:
                best, best_score = (s, window[-1][1]), score
        assert best is not None
        chosen.append(best)
        remaining = [sp for sp in remaining if not (best[0] - width < sp[0] < best[1] + width)]
    out = []
    for s, e in sorted(chosen):
        pad = max(0, (width - (e - s)) // 3)
        a = max(0, s - pad)
        b = min(len(text), max(e, a + width))
        a, b = _clip(text, a, b, s, e, furniture)
        out.append(_cut(text, a, b, [sp for sp in usable if a <= sp[0] and sp[1] <= b]))
    return out


#: After the title: sentence punctuation and a space, or the end of the line.
_AFTER_TITLE = re.compile(r"[.!?…:]+(?:\s|$)|[ \t]*(?:\n|$)")


def _title_end(text: str, title: str) -> int:
    """Where the *title* ends when the text starts with it (0 otherwise): a headline
    line, or the lead's first sentence (perhaps after a place dateline such as
    "Washington –", perhaps hard-wrapped), up to its closing punctuation."""
    words = title.split()
    if not words:
        return 0
    found = re.compile(r"\s+".join(map(re.escape, words))).search(text, 0, 80 + 2 * len(title))
    if found is None or found.start() > 80:
        return 0
    after = _AFTER_TITLE.match(text, found.end())
    return after.end() if after else 0


def _clip(
    text: str, a: int, b: int, s: int, e: int, furniture: Sequence[Sequence[int]]
) -> tuple[int, int]:
    """Shrink the window [a, b) around the matches [s, e) so it stops at paragraph
    breaks and page furniture: a snippet shows one passage of the article proper."""
    brk = text.rfind("\n\n", a, s)
    if brk >= 0:
        a = brk + 2
    brk = text.find("\n\n", e, b)
    if brk >= 0:
        b = brk
    for fs, fe in furniture:
        if e <= fs < b:
            b = fs
        if a < fe <= s:
            a = fe
    return a, b


def _cut(text: str, a: int, b: int, spans: Sequence[Span]) -> Snippet:
    """Cut text[a:b] inward to word boundaries, one line, spans relative to the cut."""
    b = min(len(text), b)
    first = spans[0][0] if spans else b
    last = spans[-1][1] if spans else a
    if a > 0 and not text[a - 1].isspace():
        sp = text.find(" ", a, first)
        if sp >= 0:
            a = sp + 1
    if b < len(text) and not text[b].isspace():
        sp = text.rfind(" ", last, b)
        if sp >= 0:
            b = sp
    while a < first and text[a].isspace():
        a += 1
    while b > last and text[b - 1].isspace():
        b -= 1
    piece = text[a:b].replace("\n", " ").replace("\t", " ")
    rel = tuple((s - a, e - a) for s, e in spans)
    return Snippet(text=piece, spans=rel, start=a, end=b)


def analyzed_spans(
    reader: Any, docnums: Sequence[int], body: Iterable[tuple[str, bytes]],
) -> dict[int, list[Span]]:
    """Match spans of the *body* terms (field, term bytes) in *docnums*, by analyzing each
    article's text the way the build indexed it (furniture blanked, with the field's own
    analyzer): the spans the postings hold, without a posting matcher per term, which is
    what a prefix being typed with thousands of expansions needs."""
    wanted: dict[str, set[str]] = {}
    for fieldname, btext in body:
        wanted.setdefault(fieldname, set()).add(btext.decode("utf-8"))
    out: dict[int, list[Span]] = {}
    for d in docnums:
        stored = reader.stored_fields(d)
        meta = stored.get("meta") or {}
        lang = meta.get("language")
        fieldname = body_field(lang if lang in LANGUAGES else "de")  # as the build chose
        terms = wanted.get(fieldname)
        spans: list[Span] = []
        if terms:
            text = mask_furniture(stored.get("text") or "", meta.get("furniture") or ())
            analyzer = reader.schema[fieldname].analyzer  # the one the build indexed with
            spans = [(t.startchar, t.endchar) for t in analyzer(text, chars=True, mode="index")
                     if t.text in terms]
        out[d] = merge_spans(spans)
    return out
