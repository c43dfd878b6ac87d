"""The query input, with an inline error line under it."""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.events import Key
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static

from tui.history_walk import HistoryWalk
from tui.render import one_line
from tui.widgets.query_input import QueryInput

DEBOUNCE = 0.08
#: An unclosed quote or bracket is read as still being typed: the words so far are
#: searched at once, and the error shows only on Enter or after this many more seconds
#: without a key (a phrase takes a while to type; an error on every key is noise).
SETTLE = 1.0


def still_typing(text: str) -> str | None:
    """*text* with its open quote and brackets closed, if it ends inside them (``"einst``
    → ``"einst"``, ``(Klage OR Verf`` → ``(Klage OR Verf)``); None when nothing is open.

    Only for the search while typing: what was typed is left as it is, and a query
    submitted with Enter is parsed exactly (its error shows). The index reads the same
    way (:func:`index.query.still_open`) when it completes the word being typed."""
    from index.query import still_open

    closers = still_open(text)
    return text + closers if closers else None


class SearchInput(QueryInput):
    """The query input. ``?`` in an empty box opens help instead of being typed: focus
    starts here, and a newcomer's first ``?`` must not become a query error. Inside a
    query ``?`` is a character like any other."""

    async def _on_key(self, event: Key) -> None:
        if event.character == "?" and not self.value:
            event.stop()
            event.prevent_default()
            await self.run_action("app.help")


class SearchBar(Widget):
    """Search as you type: a short timer, restarted on every change, reports the
    query once typing pauses, so a burst of keys runs one search, not ten."""

    BINDINGS = [
        Binding("down", "down", "Results", show=False, id="search.down"),
        Binding("up", "history_back", "Earlier query", show=False, id="search.history_back"),
    ]

    @dataclass
    class QueryChanged(Message):
        """The query to search for (after the debounce, or at once on Enter)."""

        text: str
        submitted: bool = False
        #: *text* closes a quote or bracket the user is still typing (see still_typing):
        #: an error in it is not shown.
        provisional: bool = False

    @dataclass
    class HistoryOff(Message):
        """Up was pressed, but the history is off (*reason*, one line)."""

        reason: str

    def __init__(self, value: str = "", *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._value = value
        #: Earlier queries for Up/Down (set by the screen: attributes down).
        self.walk = HistoryWalk()
        #: Why there is no history (read-only, a damaged database), or None.
        self.history_off: str | None = None
        self._timer: Timer | None = None
        self._settle: Timer | None = None
        #: When the text last changed (perf_counter): the start of keystroke-to-results.
        self.changed_at: float | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="search-row"):
            yield Static(Content.styled("/", "bold"), id="search-prompt")
            yield SearchInput(
                self._value,
                placeholder="search: words, \"phrase\", title:x, date:2021-01, A OR B",
                id="search-input",
                select_on_focus=False,
            )
        yield Static("", id="search-error")

    @property
    def input(self) -> Input:
        """The text input itself."""
        return self.query_one("#search-input", Input)

    @property
    def value(self) -> str:
        """The text typed so far."""
        return self.input.value

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.walk.stop()
        self.changed_at = time.perf_counter()
        self._stop_timers()
        self._timer = self.set_timer(DEBOUNCE, self._fire)

    def _stop_timers(self) -> None:
        for timer in (self._timer, self._settle):
            if timer is not None:
                timer.stop()
        self._timer = self._settle = None

    def _fire(self) -> None:
        self._timer = None
        text = self.input.value
        typing = still_typing(text)
        if typing is None:
            self.post_message(self.QueryChanged(text))
            return
        # The text as typed: the index closes it and completes its last word
        # (index.query.typing_view), inside a phrase too.
        self.post_message(self.QueryChanged(text, provisional=True))
        self._settle = self.set_timer(SETTLE, self._settled)

    def _settled(self) -> None:
        """Left unfinished: search for what is there, so its error shows."""
        self._settle = None
        self.post_message(self.QueryChanged(self.input.value))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        """Search now (no wait) and tell the screen to move to the results."""
        self._stop_timers()
        self.post_message(self.QueryChanged(self.input.value, submitted=True))

    def action_down(self) -> None:
        """Down: forward in the history while walking it, else to the results."""
        newer = self.walk.forward()
        if newer is None:
            self.action_submit()
        else:
            self._show_history(newer)

    def action_history_back(self) -> None:
        """Up: the previous query of the history, searched at once."""
        if self.history_off is not None:
            self.post_message(self.HistoryOff(self.history_off))
            return
        older = self.walk.back(self.value)
        if older is None:
            self.app.bell()
            return
        self._show_history(older)

    def _show_history(self, text: str) -> None:
        self.set_query(text)  # no Input.Changed: the walk goes on

    def set_query(self, text: str) -> None:
        """Put *text* in the input and search for it now, leaving the focus where it is."""
        self._stop_timers()
        with self.input.prevent(Input.Changed):
            self.input.value = text
        self.input.cursor_position = len(text)
        self.changed_at = time.perf_counter()
        self.post_message(self.QueryChanged(text))

    def show_error(self, message: str | None, position: int | None = None) -> None:
        """Show a query error under the input, with a caret at *position*."""
        error = self.query_one("#search-error", Static)
        if not message:
            error.update("")
            self.remove_class("-error")
            return
        line = Content.styled(one_line(message), "bold")
        if position is not None:
            offset = max(0, position - self.input.scroll_offset.x)
            # The prompt "/" is 2 cells wide; the caret points at the character.
            line = Content(" " * (offset + 2)) + Content.styled("^ ", "bold") + line
        error.update(line)
        self.add_class("-error")
