"""Ctrl+R: search the search history, pick a query to run again."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.render import one_line

HINT = "type to filter · ↑↓ choose · Enter runs it · Esc cancels"


class HistoryScreen(ModalScreen[str | None]):
    """Returns the chosen query, or None when cancelled with Esc."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="history.cancel"),
        Binding("down", "move(1)", "Down", show=False, id="history.down"),
        Binding("up", "move(-1)", "Up", show=False, id="history.up"),
    ]
    DEFAULT_CSS = """
    HistoryScreen { align: center middle; }
    #history-box {
        width: 80; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    #history-list { height: auto; max-height: 16; }
    """

    def __init__(self, matching: Callable[[str], list[str]]) -> None:
        super().__init__()
        self.matching = matching

    def compose(self) -> ComposeResult:
        with Vertical(id="history-box"):
            yield Static(Content.styled("Search history", "bold"))
            yield Input(placeholder="part of an earlier query", id="history-input")
            yield OptionList(id="history-list")
            yield Static(Content.styled(HINT, "dim"), id="history-hint")

    def on_mount(self) -> None:
        """Everything, newest first."""
        self._fill("")
        self.query_one("#history-input", Input).focus()

    def _fill(self, needle: str) -> None:
        found = self.matching(needle)
        options = self.query_one("#history-list", OptionList)
        if found:
            options.set_options(Option(Content(one_line(q)), id=q) for q in found[:200])
            options.highlighted = 0
        else:
            options.set_options([Option(Content.styled("no earlier query matches",
                                                       "dim italic"), disabled=True)])

    @on(Input.Changed, "#history-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    def action_move(self, step: int) -> None:
        """Move the choice while typing in the filter."""
        options = self.query_one("#history-list", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    @on(Input.Submitted, "#history-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#history-list", OptionList)
        option = options.highlighted_option
        if option is None or option.id is None:
            self.app.bell()
            return
        self.dismiss(option.id)

    @on(OptionList.OptionSelected, "#history-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Close without running anything."""
        self.dismiss(None)
