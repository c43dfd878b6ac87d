"""The help screen: every key, rendered from ``tui/help.md``."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown


def help_text() -> str:
    """The Markdown of the help screen (shipped as package data)."""
    return (Path(__file__).resolve().parent.parent / "help.md").read_text("utf-8")


class HelpScreen(ModalScreen[None]):
    """A scrollable list of keys; any of Esc, q, ? or F1 closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help.close"),
        Binding("down,j", "scroll('down')", "Down", show=False, id="help.down"),
        Binding("up,k", "scroll('up')", "Up", show=False, id="help.up"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-scroll"):
            yield Markdown(help_text(), id="help-text")

    def on_mount(self) -> None:
        """Focus the scroller so the arrows scroll."""
        self.query_one("#help-scroll").focus()

    def action_scroll(self, direction: str) -> None:
        """Scroll the help text by one line."""
        scroller = self.query_one("#help-scroll", VerticalScroll)
        if direction == "down":
            scroller.scroll_down(animate=False)
        else:
            scroller.scroll_up(animate=False)

    def action_close(self) -> None:
        """Back to where help was opened."""
        self.dismiss()
