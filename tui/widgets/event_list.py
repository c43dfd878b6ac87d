"""The events of a period on the mentioned timeline: date, expression, article title,
and the sentence with the expression highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.events import Resize
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.render import event_prompt
from tui.widgets.cursor_list import CursorList

if TYPE_CHECKING:
    from index.results import EventMention


class EventList(CursorList):
    """A list of event mentions; reports the highlighted and the opened one.

    Rows are cut to a few lines around the expression (``render.event_prompt``) so a
    long sentence does not push the others off a small terminal; the whole sentence
    is one Enter away, highlighted in the article."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="events.down"),
        Binding("k", "cursor_up", "Up", show=False, id="events.up"),
        Binding("g", "first", "First", show=False, id="events.first"),
        Binding("G", "last", "Last", show=False, id="events.last"),
        Binding("enter", "select", "Open at sentence", id="events.open"),
    ]

    @dataclass
    class EventHighlighted(Message):
        """The cursor moved to *event*."""

        event: EventMention

    @dataclass
    class EventSelected(Message):
        """The user opened *event*."""

        event: EventMention

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.events: tuple[EventMention, ...] = ()
        self._width = 0

    def _sentence_lines(self) -> int:
        # Short terminals get two lines of sentence, so that two events still fit.
        return 2 if (self.size.height or 20) < 12 else 3

    def set_events(self, events: Sequence[EventMention]) -> None:
        """Show *events* with the cursor on the first."""
        self.events = tuple(events)
        if not self.events:
            self.set_options([Option(Content.styled("  no event mentions here", "dim italic"),
                                     disabled=True)])
            return
        self._render_options()
        self.highlighted = 0

    def _render_options(self) -> None:
        region = self.scrollable_content_region.width or self.size.width or 80
        self._width = region
        # Leave room for the scrollbar that a long list gets once the rows are set:
        # else the one-line headers wrap.
        width = max(20, region - self.styles.scrollbar_size_vertical)
        lines = self._sentence_lines()
        self.set_options(Option(event_prompt(event, width, lines), id=f"ev{i}")
                         for i, event in enumerate(self.events))

    def on_resize(self, event: Resize) -> None:
        """Re-cut the rows to the new width."""
        if self.events and self.scrollable_content_region.width != self._width:
            current = self.highlighted
            self._render_options()
            self.highlighted = current

    def _event_at(self, option: Option) -> EventMention | None:
        if option.id is None or not option.id.startswith("ev"):
            return None
        return self.events[int(option.id[2:])]

    @property
    def current(self) -> EventMention | None:
        """The highlighted event, if any."""
        if self.highlighted is None or not self.events:
            return None
        return self._event_at(self.get_option_at_index(self.highlighted))

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        found = self._event_at(event.option)
        if found is not None:
            self.post_message(self.EventHighlighted(found))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        found = self._event_at(event.option)
        if found is not None:
            self.post_message(self.EventSelected(found))
