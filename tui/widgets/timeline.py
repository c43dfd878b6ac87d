"""A histogram of the current results by publication date, or by the dates their
text mentions (event dates), with a keyboard cursor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

if TYPE_CHECKING:
    from index.results import Bucket, Timeline

EIGHTHS = " ▁▂▃▄▅▆▇█"
PUBLISHED = "published"
MENTIONED = "mentioned"
HIT_STYLE = "bold $accent"
TOTAL_STYLE = "dim"
# Axis marks of the mentioned timeline: a coarser mention (a whole month or year)
# of the results, or of other articles only, covers the bucket.
COARSE_HIT = "┅"
COARSE_TOTAL = "┄"


def _fit(parts: list[Content], ranks: tuple[int, ...], width: int) -> Content:
    """*parts* joined by " · ", leaving out the highest *ranks* until it fits *width*."""
    keep = list(range(len(parts)))
    while len(keep) > 1:
        line = Content(" · ").join(parts[i] for i in keep)
        if line.cell_length <= width:
            return line
        keep.remove(max(keep, key=lambda i: (ranks[i], i)))
    return parts[keep[0]]


class TimelinePane(Widget, can_focus=True):
    """Bars of hits against all articles per period; a cursor and a range selection.

    Left/right move the cursor; shift+left/right (or space to anchor) extend a
    range; Enter filters the results to the range (or the bucket under the
    cursor); the screen shows the filter and clears it. The bars use glyphs
    (█ hits, ░ all articles) so they read without colour.

    ``kind`` says which timeline it shows: ``published`` (articles by publication
    date) or ``mentioned`` (event mentions by the date they refer to); the screen
    sets it and ``m`` asks the screen to switch. On the mentioned timeline ``e``
    asks for the events of the selection.
    """

    BINDINGS = [
        Binding("left,h", "move(-1)", "Earlier", id="timeline.left"),
        Binding("right,l", "move(1)", "Later", id="timeline.right"),
        Binding("shift+left,H", "extend(-1)", "Extend", show=False, id="timeline.extend_left"),
        Binding("shift+right,L", "extend(1)", "Extend", id="timeline.extend_right"),
        Binding("home,g", "jump('first')", "First", show=False, id="timeline.first"),
        Binding("end,G", "jump('last')", "Last", show=False, id="timeline.last"),
        # Not in the footer: shift+arrows do the same and 80 columns need the room.
        Binding("space", "anchor", "Anchor", show=False, id="timeline.anchor"),
        Binding("enter", "apply", "Filter", id="timeline.apply"),
        # One key, two labels: check_action enables the one that applies, so the
        # footer says where ``m`` goes ("Mentioned" or "Published").
        Binding("m", "kind('mentioned')", "Mentioned", id="timeline.mentioned"),
        Binding("m", "kind('published')", "Published", id="timeline.published"),
        Binding("e", "events", "Events", id="timeline.events"),
        Binding("escape", "cancel", "Cancel", show=False, id="timeline.cancel"),
    ]

    timeline: reactive[Timeline | None] = reactive(None, always_update=True)
    cursor: reactive[int] = reactive(0)
    anchor: reactive[int | None] = reactive(None)
    marked: reactive[dt.date | None] = reactive(None)
    applied: reactive[tuple[dt.date | None, dt.date | None]] = reactive((None, None))
    kind: reactive[str] = reactive(PUBLISHED)

    @dataclass
    class RangeSelected(Message):
        """Filter the results to [since, until]: publication dates, or on the
        mentioned timeline articles mentioning an event then (``kind``)."""

        since: dt.date
        until: dt.date
        kind: str = PUBLISHED

    @dataclass
    class KindRequested(Message):
        """Show the ``published`` or the ``mentioned`` timeline."""

        kind: str

    @dataclass
    class EventsRequested(Message):
        """List the events mentioned in [start, end] (*label* names the selection)."""

        start: dt.date
        end: dt.date
        label: str

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._cursor_date: dt.date | None = None
        self._zoomed = False
        self._scale = (1, 1)
        #: The periods were picked to fit the width ("auto"): the header says so.
        self.auto = False
        self.message = ""

    # -- data from the screen --------------------------------------------------------------

    def set_timeline(self, timeline: Timeline | None) -> None:
        """Show *timeline*, keeping the cursor on the same date."""
        self.timeline = timeline
        if timeline is None or not timeline.buckets:
            self.cursor = 0
            self.anchor = None
            return
        keep = self._cursor_date or self.marked
        index = len(timeline.buckets) - 1
        if keep is not None:
            for i, b in enumerate(timeline.buckets):
                if b.start <= keep <= b.end:
                    index = i
                    break
        else:
            # Start on the busiest bucket of the query: where a user looks first.
            index = max(range(len(timeline.buckets)), key=lambda i: timeline.buckets[i].hits)
        self.anchor = None
        self.cursor = index

    @property
    def max_buckets(self) -> int:
        """How many one-column buckets fit: the screen asks the index for that many."""
        return max(8, (self.content_region.width or 60) - 2)

    # -- keys --------------------------------------------------------------------------------

    def _buckets(self) -> tuple[Bucket, ...]:
        return self.timeline.buckets if self.timeline else ()

    def set_cursor(self, index: int) -> None:
        """Put the cursor on bucket *index* (clamped); the screen calls this, too."""
        buckets = self._buckets()
        if not buckets:
            return
        self.cursor = max(0, min(len(buckets) - 1, index))
        self._cursor_date = buckets[self.cursor].start

    def action_move(self, step: int) -> None:
        """Move the cursor by *step* buckets."""
        self.set_cursor(self.cursor + step)

    def action_extend(self, step: int) -> None:
        """Extend the range from the anchor (set here if there is none) by *step*."""
        if self.anchor is None:
            self.anchor = self.cursor
        self.set_cursor(self.cursor + step)

    def action_jump(self, where: str) -> None:
        """Cursor to the first or last bucket."""
        self.set_cursor(0 if where == "first" else len(self._buckets()) - 1)

    def action_anchor(self) -> None:
        """Start (or drop) a range at the cursor."""
        self.anchor = None if self.anchor is not None else self.cursor

    def action_cancel(self) -> None:
        """Drop a range being selected; else let Esc go on to the screen."""
        if self.anchor is None:
            self.screen.action_back()  # type: ignore[attr-defined]
            return
        self.anchor = None

    def action_apply(self) -> None:
        """Filter the results to the selected range (or the bucket under the cursor)."""
        buckets = self._buckets()
        if not buckets:
            self.app.bell()
            return
        lo, hi = self.selection()
        self.anchor = None
        self.post_message(self.RangeSelected(buckets[lo].start, buckets[hi].end, self.kind))

    def action_kind(self, kind: str) -> None:
        """``m``: ask the screen for the other timeline."""
        self.post_message(self.KindRequested(kind))

    def action_events(self) -> None:
        """``e``: ask for the events of the selected range (or the cursor's bucket).
        The range stays selected, so Enter can still filter to it afterwards."""
        buckets = self._buckets()
        if not buckets:
            self.app.bell()
            return
        lo, hi = self.selection()
        if not any(b.hits for b in buckets[lo:hi + 1]):
            self.app.bell()
            self.app.notify(Content("no event mentions in the results there"), timeout=3)
            return
        label = buckets[lo].label if lo == hi else f"{buckets[lo].label}…{buckets[hi].label}"
        self.post_message(self.EventsRequested(buckets[lo].start, buckets[hi].end, label))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``m`` shows the label of the timeline it switches to; ``e`` only on the
        mentioned timeline."""
        if action == "kind":
            return parameters[0] != self.kind
        if action == "events":
            return self.kind == MENTIONED
        return True

    def watch_kind(self) -> None:
        """The footer follows the kind (``m``'s label, ``e``)."""
        self.refresh_bindings()

    def selection(self) -> tuple[int, int]:
        """The bucket indexes (low, high) that Enter would apply."""
        a = self.cursor if self.anchor is None else self.anchor
        return min(a, self.cursor), max(a, self.cursor)

    # -- drawing -----------------------------------------------------------------------------

    def render(self) -> Content:
        """Header, bars, an axis with the marks, and the first/last labels."""
        width = max(8, self.content_region.width)
        height = max(3, self.content_region.height)
        tl = self.timeline
        if tl is None or not tl.buckets:
            empty = "no dated articles" if self.kind == PUBLISHED else "no event dates"
            text = self.message or (empty if tl is not None else "timeline…")
            if tl is not None and self.kind == MENTIONED and not self.message:
                text = f"mentioned · {text} · m: published"
            return Content.styled(text, "dim italic")
        buckets = tl.buckets
        n = len(buckets)
        col = max(1, min(12, width // n))
        visible = max(1, width // col)
        first = 0
        if n > visible:
            first = min(max(0, self.cursor - visible // 2), n - visible)
        shown = buckets[first:first + visible]
        rows = max(1, height - 3)
        peak = max((b.total for b in buckets), default=0) or 1
        hit_peak = max((b.hits for b in buckets), default=0)
        # Few hits against many articles would all be one-eighth stubs: then the hits
        # get their own scale (the header says so), the totals stay in the background.
        self._zoomed = 0 < hit_peak * 4 < peak
        hit_scale = hit_peak if self._zoomed else peak
        sel_lo, sel_hi = self.selection() if self.anchor is not None else (-1, -2)
        since, until = self.applied

        def in_filter(b: Bucket) -> bool:
            return (since is not None or until is not None) and (
                (since is None or b.end >= since) and (until is None or b.start <= until))

        # One line, always: a wrapped header would push the bars down a row.
        self._scale = (hit_scale, peak)
        lines: list[Content] = [self._header(tl, width).truncate(width, ellipsis=True)]
        for r in range(rows):
            level_lo = (rows - 1 - r) * 8  # eighths below this row
            parts: list[tuple[str, str]] = []
            for i, b in enumerate(shown, start=first):
                hits8 = b.hits * rows * 8 / hit_scale
                hits8 = max(1, round(hits8)) if b.hits else 0
                total8 = round(b.total * rows * 8 / peak)
                h = min(8, max(0, hits8 - level_lo))
                if h:
                    glyph, style = EIGHTHS[h], HIT_STYLE
                elif total8 > level_lo:
                    glyph, style = "░", TOTAL_STYLE
                else:
                    glyph, style = " ", ""
                if i == self.cursor:
                    style = (style + " reverse").strip()
                elif sel_lo <= i <= sel_hi or in_filter(b):
                    style = (style + " underline").strip() if glyph == " " else style
                parts.append((glyph * col, style))
            lines.append(Content.assemble(*parts))
        lines.append(self._axis(shown, first, col, sel_lo, sel_hi, in_filter))
        left = shown[0].label
        right = shown[-1].label
        gap = max(1, width - len(left) - len(right))
        lines.append(Content.styled(left + " " * gap + right if width > len(left) + len(right)
                                    else left, "dim"))
        return Content("\n").join(lines)

    def _header(self, tl: Timeline, width: int = 200) -> Content:
        """Which timeline, its periods, the cursor's period (or the range), the undated
        count and what a full bar counts; parts that do not fit in *width* are left out,
        the least needed first (never cut in the middle)."""
        b = tl.buckets[min(self.cursor, len(tl.buckets) - 1)]
        mentioned = self.kind == MENTIONED
        # Which timeline this is comes first: the two look alike otherwise.
        by = f"{tl.granularity} (auto)" if self.auto else tl.granularity
        parts = [
            Content.styled(self.kind, "bold underline"),
            Content.styled(by, "bold"),
        ]
        if self.anchor is not None:
            # Selecting a range: its sums and what to do with it, in place of the
            # cursor's bucket and the undated count (80 columns have room for one).
            lo, hi = self.selection()
            sel = tl.buckets[lo:hi + 1]
            parts.append(Content.assemble(
                ("range ", "bold"),
                (f"{tl.buckets[lo].label}…{tl.buckets[hi].label}", "bold reverse"),
                f" {sum(x.hits for x in sel):,}/{sum(x.total for x in sel):,}"))
            parts.append(Content.styled(
                "Enter filters" + (", e events" if mentioned else ""), "bold"))
            return _fit(parts, (0, 2, 0, 1), width)
        hit_scale, peak = self._scale
        what = ("mention" if mentioned else "hit") + ("s" if hit_scale != 1 else "")
        # What a full bar means, as a count: one hit drawn full height is "full █ 1 hit".
        scale = (Content.styled(f"full █ {hit_scale:,} {what} ░ {peak:,}", "dim")
                 if self._zoomed else Content.styled(f"full bar {peak:,}", "dim"))
        coarse = (f" {COARSE_HIT}{b.coarse_hits:,}/{b.coarse_total:,}"
                  if mentioned and b.coarse_total else "")
        parts += [
            Content.assemble((b.label, "bold reverse"), f" {b.hits:,}/{b.total:,}{coarse}"),
            Content(f"{'no dates' if mentioned else 'undated'} "
                    f"{tl.undated_hits:,}/{tl.undated_total:,}"),
            scale,
        ]
        return _fit(parts, (0, 2, 0, 3, 1), width)

    def _axis(self, shown: tuple[Bucket, ...], first: int, col: int, sel_lo: int, sel_hi: int,
              in_filter) -> Content:  # noqa: ANN001
        parts: list[tuple[str, str]] = []
        for i, b in enumerate(shown, start=first):
            if i == self.cursor:
                glyph, style = "▲", "bold"
            elif (self.kind == PUBLISHED and self.marked is not None
                  and b.start <= self.marked <= b.end):
                glyph, style = "◆", "bold"
            elif sel_lo <= i <= sel_hi:
                glyph, style = "═", "bold"
            elif in_filter(b):
                glyph, style = "━", "bold $accent"
            elif self.kind == MENTIONED and b.coarse_hits:
                # A month or year the results mention as a whole covers this bucket:
                # marked on the axis, never drawn as a bar on its first day.
                glyph, style = COARSE_HIT, "bold"
            elif self.kind == MENTIONED and b.coarse_total:
                glyph, style = COARSE_TOTAL, "dim"
            else:
                glyph, style = "─", "dim"
            fill = glyph if glyph in (COARSE_HIT, COARSE_TOTAL) else (
                "─" if glyph in "─━═" else " ")
            parts.append((glyph + fill * (col - 1) if col > 1 else glyph, style))
        return Content.assemble(*parts)
