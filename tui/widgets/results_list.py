"""The hits of the current query: two lines each (date · source · title, best passage)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.render import hit_prompt
from tui.widgets.cursor_list import CursorList

if TYPE_CHECKING:
    from index.marks import Mark
    from index.results import Hit


class ResultsList(CursorList):
    """A list of hits; reports the highlighted and the opened hit to the screen."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="results.down"),
        Binding("k", "cursor_up", "Up", show=False, id="results.up"),
        Binding("g", "first", "First", show=False, id="results.first"),
        Binding("G", "last", "Last", show=False, id="results.last"),
        Binding("enter", "select", "Open", id="results.open"),
    ]

    @dataclass
    class HitHighlighted(Message):
        """The cursor moved to *hit* (row *index*)."""

        hit: Hit
        index: int

    @dataclass
    class HitSelected(Message):
        """The user opened *hit*."""

        hit: Hit
        index: int

    @dataclass
    class LastRequested(Message):
        """``G``/End: go to the last hit of the whole result, not of the rows loaded."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.hits: tuple[Hit, ...] = ()
        #: ``G`` asked for the end while the rows were still loading: go there on arrival.
        self.want_last = False
        #: How many hits ``G`` can reach (the screen sets it; rows load in pages).
        self.total = 0
        #: Article id -> its bookmark and tags (shown at the start of its row).
        self.marks: Mapping[str, Mark] = {}

    def set_hits(self, hits: Sequence[Hit], keep: str | None = None) -> None:
        """Show *hits*; keep the cursor on the article *keep* when it is still listed."""
        self.hits = tuple(hits)
        self._render_options()
        index = 0
        if self.want_last and self.hits:
            keep, index = None, len(self.hits) - 1
            self.want_last = False
        if keep is not None:
            for i, hit in enumerate(self.hits):
                if hit.doc_id == keep:
                    index = i
                    break
        if self.hits:
            self.highlighted = index
        else:
            self.set_options([Option(Content.styled("  no matches", "dim italic"),
                                     disabled=True)])

    def _render_options(self) -> None:
        # Rows are not cut here: ``text-wrap: nowrap; text-overflow: ellipsis`` (see
        # dossier.tcss) cuts each line to the width it is drawn in, so a row stays two
        # lines whatever the width is now or becomes (a resize, a scrollbar).
        self.set_options(Option(hit_prompt(hit, mark=self.marks.get(hit.doc_id)),
                                id=hit.doc_id) for hit in self.hits)

    def watch_show_vertical_scrollbar(self) -> None:
        """The scrollbar takes a column without a resize: drop the rows drawn for the
        old width (OptionList clears its render cache on resize only)."""
        self._clear_caches()
        self.refresh()

    def action_last(self) -> None:
        """``G``/End: the last hit. When more hits exist than are loaded, ask the screen
        for the rest; the cursor goes to the end when they arrive."""
        if self.hits and len(self.hits) < self.total and not self.want_last:
            self.want_last = True
            self.post_message(self.LastRequested())
            return
        super().action_last()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.hits):
            self.post_message(self.HitHighlighted(self.hits[event.option_index],
                                                  event.option_index))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.hits):
            self.post_message(self.HitSelected(self.hits[event.option_index],
                                               event.option_index))
