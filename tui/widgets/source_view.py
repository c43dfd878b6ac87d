"""The source viewer: metadata header, the full text with matches, ``n``/``N``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.events import Resize
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from tui.render import article_body, article_header, line_of, wrap_offsets

if TYPE_CHECKING:
    from index.results import Article

Span = tuple[int, int]


class ArticleBody(ScrollView, can_focus=True):
    """The article text, drawn line by line.

    It wraps the text itself (``render.wrap_offsets``) so that every match
    offset maps to a known line: that is what lets ``n``/``N`` and "open at
    the best passage" scroll exactly, however long the article is.
    """

    BINDINGS = [
        Binding("up,k", "scroll_up", "Up", show=False, id="source.up"),
        Binding("down,j", "scroll_down", "Down", show=False, id="source.down"),
        Binding("pageup,b", "page_up", "Page up", show=False, id="source.pageup"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="source.pagedown"),
        Binding("home,g", "scroll_home", "Top", show=False, id="source.top"),
        Binding("end,G", "scroll_end", "Bottom", show=False, id="source.bottom"),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._text = ""
        self._content = Content("")
        self._lines: list[Span] = []
        self._strips: dict[int, Strip] = {}
        self._width = 0

    def set_content(self, text: str, content: Content) -> None:
        """Show *content* (the styled *text*); keeps the scroll position."""
        self._text = text
        self._content = content
        self._strips.clear()
        self._relayout(force=True)

    def _relayout(self, force: bool = False) -> None:
        width = max(4, self.scrollable_content_region.width or self.size.width or 80)
        if not force and width == self._width:
            return
        self._width = width
        self._lines = wrap_offsets(self._text, width)
        self._strips.clear()
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def on_resize(self, event: Resize) -> None:
        """Re-wrap at the new width."""
        self._relayout()

    def top_offset(self) -> int:
        """The text offset of the first line in view."""
        y = int(self.scroll_offset.y)
        return self._lines[y][0] if 0 <= y < len(self._lines) else 0

    def line_of(self, offset: int) -> int:
        """The visual line showing character *offset*."""
        return line_of(self._lines, offset) if self._lines else 0

    def show_offset(self, offset: int) -> None:
        """Scroll so that *offset* is on screen, a third of the way down."""
        self._relayout()
        y = self.line_of(offset)
        target = max(0, y - max(1, self.scrollable_content_region.height // 3))
        self.scroll_to(y=target, animate=False, immediate=True)

    def render_line(self, y: int) -> Strip:
        """One visual line: a slice of the styled text (cached per line)."""
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, style)
        strip = self._strips.get(index)
        if strip is None:
            start, end = self._lines[index]
            piece = self._content[start:end].expand_tabs(4).rstrip()
            strip = Strip(piece.render_segments(self.visual_style))
            self._strips[index] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, style)


class SourceView(Vertical):
    """An article with its metadata header and a ``k/N`` match counter.

    The screen gives it the article and the match spans; it owns only which
    match is current."""

    BINDINGS = [
        Binding("n", "next_match", "Next match", id="source.next"),
        Binding("N", "previous_match", "Prev match", id="source.previous"),
        Binding("c", "copy_passage", "Copy", id="source.copy"),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.article: Article | None = None
        self.spans: tuple[Span, ...] = ()
        self.current: int | None = None
        #: A span shown highlighted besides the matches (an event's sentence), if any.
        self.focus_span: Span | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="source-meta")
        yield ArticleBody(id="source-body")
        yield Static("", id="source-matches")

    @property
    def body(self) -> ArticleBody:
        """The scrolling text."""
        return self.query_one(ArticleBody)

    def show(self, article: Article, spans: Sequence[Span], best: int | None = None,
             focus: Span | None = None) -> None:
        """Show *article* with *spans* highlighted, scrolled to the match at or after
        *best* (the offset of the best passage), else the first match. A *focus* span
        (the sentence of an event opened from the event list) is highlighted too and
        scrolled to instead: it is what the reader asked to see."""
        self.article = article
        self.spans = tuple(spans)
        self.focus_span = focus
        self.current = None
        if self.spans:
            self.current = 0
            if best is not None:
                for i, (start, _end) in enumerate(self.spans):
                    if start >= best:
                        self.current = i
                        break
        self.query_one("#source-meta", Static).update(article_header(article))
        self._paint()
        body = self.body
        if focus is not None:
            self.call_after_refresh(body.show_offset, focus[0])
        elif self.current is not None:
            self.call_after_refresh(body.show_offset, self.spans[self.current][0])
        else:
            self.call_after_refresh(body.scroll_home, animate=False)

    def clear(self, message: str = "") -> None:
        """Show nothing (or a one-line *message*)."""
        self.article = None
        self.spans = ()
        self.current = None
        self.focus_span = None
        self.query_one("#source-meta", Static).update(Content.styled(message, "dim italic"))
        self.body.set_content("", Content(""))
        self.query_one("#source-matches", Static).update("")

    def _paint(self) -> None:
        if self.article is None:
            return
        self.body.set_content(self.article.text,
                              article_body(self.article, self.spans, self.current,
                                           self.focus_span))
        self.query_one("#source-matches", Static).update(self.counter())

    def counter(self) -> Content:
        """``match 3/17 · n next · N previous`` (or ``no matches``)."""
        if not self.spans:
            return Content.styled("no matches in the text", "dim")
        k = (self.current or 0) + 1
        return Content.assemble(("match ", "dim"), (f"{k}/{len(self.spans)}", "bold"),
                                (" · n next · N previous · Esc back", "dim"))

    def _jump(self, step: int) -> None:
        if not self.spans:
            self.app.bell()
            return
        n = len(self.spans)
        if self.current is None:
            self.current = 0 if step > 0 else n - 1
        else:
            self.current = (self.current + step) % n
        self._paint()
        self.body.show_offset(self.spans[self.current][0])

    def action_next_match(self) -> None:
        """Jump to the next match (wraps around)."""
        self._jump(1)

    def action_previous_match(self) -> None:
        """Jump to the previous match (wraps around)."""
        self._jump(-1)

    def action_copy_passage(self) -> None:
        """``c``: the current match's passage with its citation to the clipboard.

        Through ``App.copy_to_clipboard`` (OSC 52), so over SSH it lands in the
        clipboard of the user's own machine, not the server's. Without a match the
        passage at the top of the view is copied."""
        from tui.passage import clipboard_text

        if self.article is None:
            self.app.bell()
            return
        if self.current is not None and self.spans:
            start, end = self.spans[self.current]
        elif getattr(self, "focus_span", None):  # opened at an event's sentence
            start, end = self.focus_span  # type: ignore[misc]
        else:
            start = end = self.body.top_offset()
        text = clipboard_text(self.article, start, end)
        self.app.copy_to_clipboard(text)
        self.app.notify(Content(f"copied {len(text)} characters with the citation "
                                "(your terminal must allow OSC 52)"), timeout=3)
