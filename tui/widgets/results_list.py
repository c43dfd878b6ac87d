"""The hits of the current query: two lines each (date · source · title, best passage)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.events import Resize
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.render import hit_prompt

if TYPE_CHECKING:
    from index.marks import Mark
    from index.search import Hit


class ResultsList(OptionList):
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

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.hits: tuple[Hit, ...] = ()
        #: Article id -> its bookmark and tags (shown at the start of its row).
        self.marks: Mapping[str, Mark] = {}
        self._width = 0

    def set_hits(self, hits: Sequence[Hit], keep: str | None = None) -> None:
        """Show *hits*; keep the cursor on the article *keep* when it is still listed."""
        self.hits = tuple(hits)
        self._render_options()
        index = 0
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
        width = max(20, self.scrollable_content_region.width or self.size.width or 80)
        self._width = width
        self.set_options(Option(hit_prompt(hit, width, self.marks.get(hit.doc_id)),
                                id=hit.doc_id) for hit in self.hits)

    def on_resize(self, event: Resize) -> None:
        """Re-cut the rows to the new width (they are truncated to stay two lines)."""
        width = self.scrollable_content_region.width
        if self.hits and width != self._width:
            current = self.highlighted
            self._render_options()
            self.highlighted = current

    @property
    def current(self) -> Hit | None:
        """The highlighted hit, if any."""
        if self.highlighted is None or not (0 <= self.highlighted < len(self.hits)):
            return None
        return self.hits[self.highlighted]

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
