"""The one place that turns index results into styled :class:`Content`.

Everything shown in the UI that came from an article (title, snippet, body,
source, path, notes) goes through here. Text becomes ``Content(text)`` (never
markup) and highlights are applied with ``stylize`` on the character spans
the index returns, so an article containing ``[/b]`` or ``[@click=...]``
shows literally. The sanitizing policy of :mod:`index.text` (the one policy:
controls, invisible and format characters out, separators to line breaks) is
applied again here (the index already sanitizes at ingest; this guards anything
that did not come from it), and widths are measured in cells, never in characters.

Highlights use bold + underline / reverse so they stay visible without
colour (``NO_COLOR``, 16 colours, monochrome terminals).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.content import Content

from index.text import sanitize, sanitize_same_length

if TYPE_CHECKING:  # the index is imported lazily at run time (whoosh is slow to import)
    from index.marks import Mark
    from index.results import Article, EventMention, Hit, SearchResult

Span = tuple[int, int]

MATCH = "bold underline"
CURRENT = "bold reverse"
FURNITURE = "dim italic"
#: The sentence an event was opened at: reversed (matches stay bold underlined in it).
FOCUS = "reverse"
#: The date expression inside an event's sentence in the event list.
EXPRESSION = "bold reverse"
TITLE = "bold"
META = "dim"



def clean(text: str) -> str:
    """*text* under the one sanitizing policy (:func:`index.text.sanitize`): no control,
    format or invisible characters, separators made ``\\n``; keeps ``\\n`` and ``\\t``."""
    return sanitize(text)


def one_line(text: str) -> str:
    """*text* cleaned and flattened to one line (for titles, paths, messages)."""
    return clean(text).replace("\n", " ").replace("\t", " ")


def highlight(text: str, spans: Sequence[Span], style: str = MATCH) -> Content:
    """*text* with every span styled; spans outside the text are ignored."""
    # Blank what the policy removes rather than drop it, so the offsets still fit.
    content = Content(sanitize_same_length(text))
    n = len(content)
    for start, end in spans:
        if 0 <= start < end <= n:
            content = content.stylize(style, start, end)
    return content


def format_date(date: dt.date | None, precision: str | None = None) -> str:
    """A date as the lists show it, at the precision the index knows it."""
    if date is None:
        return "undated"
    if precision == "year":
        return f"{date.year}"
    if precision == "month":
        return date.strftime("%Y-%m")
    return date.isoformat()


def _cut_cells(text: str, cells: int) -> str:
    """*text* cut to at most *cells* terminal cells, with ``…`` when cut (wide
    characters count 2: 19 CJK characters are 38 cells, not 19)."""
    if cell_len(text) <= cells:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > cells - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def marks_prefix(mark: Mark) -> Content:
    """``* `` before a bookmarked article's row (bold: visible without colour)."""
    return Content.styled("* ", "bold reverse") if mark.bookmarked else Content("")


def marks_suffix(mark: Mark) -> Content:
    """``#klage #cloud`` (tags are checked words: no markup), bold italic."""
    if not mark.tags:
        return Content("")
    return Content.styled(" ".join(f"#{t}" for t in mark.tags), "bold italic")


def hit_prompt(hit: Hit, mark: Mark | None = None) -> Content:
    """Two lines for the results list: date · source · title, then the best passage;
    a bookmarked article starts with ``*``, its tags start the passage line.

    Uncut: the list cuts each line where it draws it (``text-overflow: ellipsis`` in
    dossier.tcss), so a row stays right whatever the width is now or becomes."""
    date = format_date(hit.date, hit.date_precision)
    source = one_line(hit.source or hit.agency or "")
    short = _cut_cells(source, 19)
    head = Content.assemble(
        (f"{date:<10}", "bold" if hit.date else "dim italic"),
        " ",
        (short, "italic $text-muted") if short else "",
        (" · ", "dim") if short else "",
    )
    title = highlight(one_line(hit.title) or "(untitled)", hit.title_spans, MATCH)
    line1 = head + title.stylize_before(TITLE)
    lead = Content("  ")
    if mark is not None:
        line1 = marks_prefix(mark) + line1
        if mark.tags:  # on the passage line: after a long title they would be cut off
            lead = lead + marks_suffix(mark) + Content(" ")
    if hit.snippets:
        snip = hit.snippets[0]
        body = highlight(snip.text, snip.spans, MATCH)
        title = one_line(hit.title).strip()
        if not snip.spans and title and snip.text.startswith(title):
            # The lead repeats the headline: show what follows it.
            cut = len(title)
            while cut < len(snip.text) and (snip.text[cut].isspace()
                                            or snip.text[cut] in ".:;,!?–—-"):
                cut += 1
            body = body[cut:]
        line2 = lead + body.stylize_before(META)
    else:
        line2 = lead + Content.styled(one_line(hit.path), META)
    return Content("\n").join([line1, line2])


def status_line(result: SearchResult | None, *, error: str | None = None,
                busy: str | None = None, since: dt.date | None = None,
                until: dt.date | None = None, sort: str = "relevance",
                mentions: tuple[dt.date, dt.date] | None = None,
                position: int | None = None, notice: str | None = None) -> Content:
    """The status line: hits, messages, did-you-mean, date filters, the word being
    completed, time and sort. The filter on
    mentioned (event) dates is labelled apart from the publication-date one: both
    can be on at once and mean different things."""
    # Most important first: at 80 columns the end of the line is cut off.
    parts: list[Content] = []
    if busy:
        parts.append(Content.styled(one_line(busy), "italic"))
    if result is not None:
        n = result.total
        hits = f" hit{'s' if n != 1 else ''}"
        if position is not None and n:  # where the cursor is: "12 of 1,031 hits"
            parts.append(Content.assemble((f"{position:,}", "bold"), " of ",
                                          (f"{n:,}", "bold"), hits))
        else:
            parts.append(Content.assemble((f"{n:,}", "bold"), hits))
        if result.partial:
            parts.append(Content.styled("time limit: more may match", "bold"))
    if error:
        parts.append(Content.styled(one_line(error), "bold"))
    if notice:  # a state change just made (index updated…): shown until the next one
        parts.append(Content.styled(one_line(notice), "italic"))
    if result is not None and result.suggestion:
        parts.append(Content.assemble("did you mean ", (one_line(result.suggestion), "bold"),
                                      "? ", ("Tab", "reverse"), " applies it"))
    if result is not None and result.notice:
        parts.append(Content(one_line(result.notice)))
    if since or until:
        parts.append(Content.assemble(
            ("dates ", "bold"), (period_label(since, until), "bold reverse"), " (x clears)"
        ))
    if mentions:
        parts.append(Content.assemble(
            ("mentions ", "bold"), (period_label(*mentions), "bold reverse"), " (x clears)"
        ))
    if result is not None and result.completing:
        parts.append(Content.assemble(
            ("completing ", META), (one_line(result.completing), "underline"), ("…", META)))
    if result is not None:
        parts.append(Content.styled(f"{result.elapsed_ms:.0f} ms", META))
    sort_name = {"relevance": "relevance", "date": "newest first", "oldest": "oldest first"}
    parts.append(Content(f"sort: {sort_name.get(sort, sort)}"))
    return Content(" · ").join(parts)


def worker_failure(description: str, error: BaseException | None) -> str:
    """``search failed: list index out of range``: a failed worker in one line (the
    App's one ``Worker.StateChanged`` handler words every screen's failures with it)."""
    reason = one_line(str(error)) or type(error).__name__
    return f"{description} failed: {reason}"


def period_label(since: dt.date | None, until: dt.date | None) -> str:
    """``2021-01-01…2021-01-31`` with open ends shown as ``…``."""
    a = since.isoformat() if since else ""
    b = until.isoformat() if until else ""
    if since and until and since == until:
        return a
    return f"{a}…{b}"


def article_header(article: Article) -> Content:
    """Metadata lines above the source text: title, date with its origin, source,
    language, path and the date notes."""
    date = format_date(article.date, article.date_precision)
    if article.date_time:
        date += f" {article.date_time}"
    origin = f" ({one_line(article.date_origin)})" if article.date_origin else (
        " (no date found)" if article.date is None else "")
    if article.date_origin and article.date_expression:
        # The evidence: the words the date was read from ("(APA, 21.1.2021)").
        origin = f" ({one_line(article.date_origin)}: “{one_line(article.date_expression)}”)"
    source = one_line(article.source or "-")
    if article.agency and article.agency != article.source:
        source += f" / {one_line(article.agency)}"
    lines = [
        Content.styled(one_line(article.title) or "(untitled)", "bold"),
        Content.assemble((date, "bold"), (origin, META), " · ", source, " · ",
                         article.language, " · ", (one_line(article.path), META)),
    ]
    for note in article.date_notes:
        lines.append(Content.styled("note: " + one_line(note), META))
    return Content("\n").join(lines)


def article_body(article: Article, spans: Sequence[Span], current: int | None,
                 focus: Span | None = None) -> Content:
    """The full text: furniture dimmed, the *focus* span (an event's sentence) reversed,
    every match underlined, the current one reversed. Matches are styled last so they
    stay visible inside the focus span."""
    content = highlight(article.text, (), MATCH)
    n = len(content)
    for start, end in article.furniture:
        if 0 <= start < end <= n:
            content = content.stylize(FURNITURE, start, end)
    if focus is not None and 0 <= focus[0] < focus[1] <= n:
        content = content.stylize(FOCUS, focus[0], focus[1])
    for i, (start, end) in enumerate(spans):
        if 0 <= start < end <= n:
            content = content.stylize(CURRENT if i == current else MATCH, start, end)
    return content


def event_date(event: EventMention) -> str:
    """An event's date at its granularity: ``2021-01-20``, ``2021-W03``, ``2021-01``, ``2018``."""
    if event.start is None:
        return "?"
    if event.granularity == "week":
        y, w, _ = event.start.isocalendar()
        return f"{y}-W{w:02d}"
    return format_date(event.start, event.granularity)


def event_prompt(event: EventMention, width: int = 80, lines: int = 3) -> Content:
    """An event in the event list: date · expression · article title, then its sentence
    with the expression highlighted, cut to *lines* lines of *width* around it.

    The expression's offsets in the sentence are its span minus the sentence's start
    (both are offsets into the article text)."""
    width = max(20, width)
    head = Content.assemble(
        (f"{event_date(event):<10}", "bold"), " ",
        (one_line(event.expression), "bold"), (" · ", "dim"),
        (one_line(event.title) or "(untitled)", "italic $text-muted"),
    ).truncate(width, ellipsis=True)
    sentence = one_line(event.sentence)  # one for one: offsets still fit
    a = event.span[0] - event.sentence_span[0]
    b = event.span[1] - event.sentence_span[0]
    body = highlight(sentence, [(a, b)], EXPRESSION)
    room = max(10, (width - 2) * lines - 2)
    if len(sentence) > room and 0 <= a < b <= len(sentence):
        # Keep the expression in view: start a third of the room before it.
        lo = max(0, min(a - room // 3, len(sentence) - room))
        hi = min(len(sentence), lo + room)
        body = (Content("…") if lo else Content("")) + body[lo:hi] + (
            Content("…") if hi < len(sentence) else Content(""))
    return Content("\n").join([head, Content("  ") + body])


def wrap_offsets(text: str, width: int) -> list[Span]:
    """Visual lines of *text* at *width* cells as (start, end) offsets into it.

    Our own greedy word wrap, so that a match offset maps to the line that
    shows it (needed to scroll to a match); whitespace at a break stays at
    the end of the line it follows.
    """
    width = max(4, width)
    lines: list[Span] = []
    pos = 0
    for para in text.split("\n"):
        end = pos + len(para)
        if not para:
            lines.append((pos, pos))
        start = pos
        while start < end:
            # Take words until the line is full.
            cells = 0
            cut = start
            last_break = -1
            i = start
            while i < end:
                ch = text[i]
                w = cell_len(ch) if ord(ch) > 0x7F else 1
                if ch == "\t":
                    w = 4
                if cells + w > width and not ch.isspace():
                    break
                cells += w
                i += 1
                if ch.isspace():
                    last_break = i
            cut = i
            if cut < end and last_break > start:
                cut = last_break
            if cut == start:  # one character wider than the line
                cut = start + 1
            lines.append((start, cut))
            start = cut
        pos = end + 1
    return lines


def line_of(lines: Sequence[Span], offset: int) -> int:
    """Index of the visual line that shows character *offset* (binary search)."""
    lo, hi = 0, len(lines) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if lines[mid][0] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return max(0, lo)
