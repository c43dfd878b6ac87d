"""Keyword in context: a header per article, then one line per match (``rg`` style)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.render import MATCH, format_date, highlight, one_line

if TYPE_CHECKING:
    from index.kwic import KwicArticle, KwicLine
    from index.results import Hit


def article_header(art: KwicArticle, width: int) -> Content:
    """``2021-01-13 · heise · Title (9 matches)``, bold, one line."""
    hit = art.hit
    source = one_line(hit.source or hit.agency or "")
    parts = [format_date(hit.date, hit.date_precision)] + ([source] if source else [])
    head = Content.assemble((" · ".join(parts) + " · ", "dim"),
                            (one_line(hit.title) or "(untitled)", "bold"),
                            (f"  {art.matches} match{'es' if art.matches != 1 else ''}",
                             "dim"))
    return head.truncate(width, ellipsis=True)


def line_prompt(line: KwicLine, width: int) -> Content:
    """``   12│ …words around the match…`` with the matches highlighted."""
    number = Content.styled(f"{line.line:>5}│ ", "dim")
    return (number + highlight(line.text, line.spans, MATCH)).truncate(width, ellipsis=True)


class KwicList(OptionList):
    """Every match of the results in its line; Enter opens the article there."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="kwic.down"),
        Binding("k", "cursor_up", "Up", show=False, id="kwic.up"),
        Binding("g", "first", "First", show=False, id="kwic.first"),
        Binding("G", "last", "Last", show=False, id="kwic.last"),
        Binding("enter", "select", "Open at match", id="kwic.open"),
    ]

    @dataclass
    class LineSelected(Message):
        """The user wants *hit* opened at *line*'s match."""

        hit: Hit
        line: KwicLine

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.rows: list[tuple[Hit, KwicLine] | None] = []

    def set_articles(self, articles: Sequence[KwicArticle]) -> None:
        """Show *articles* with the cursor on the first line of context."""
        width = max(20, (self.scrollable_content_region.width or self.size.width or 80)
                    - self.styles.scrollbar_size_vertical)
        options: list[Option] = []
        self.rows = []
        for art in articles:
            options.append(Option(article_header(art, width), disabled=True))
            self.rows.append(None)
            for line in art.lines:
                options.append(Option(line_prompt(line, width)))
                self.rows.append((art.hit, line))
        if not options:
            options = [Option(Content.styled("  no matches in the text of the results",
                                             "dim italic"), disabled=True)]
            self.rows = [None]
        self.set_options(options)
        first = next((i for i, r in enumerate(self.rows) if r is not None), None)
        if first is not None:
            self.highlighted = first

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.rows):
            row = self.rows[event.option_index]
            if row is not None:
                self.post_message(self.LineSelected(*row))
