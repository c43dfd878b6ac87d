"""A full screen with one message and a way out: for states the app cannot work in
(read-only without an index), where a toast would vanish and leave an empty app."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from tui.render import clean
from tui.widgets.key_footer import KeyFooter


class MessageScreen(Screen[None]):
    """A title and a paragraph; ``q``/Esc/Enter quit with exit code 1."""

    BINDINGS = [
        Binding("q,escape,enter", "leave", "Quit", id="message.quit"),
    ]

    DEFAULT_CSS = """
    MessageScreen #message-box { padding: 1 2; }
    MessageScreen #message-title { margin-bottom: 1; }
    """

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="message-box"):
            # Content, not markup: the text holds paths, and a path may hold "[".
            yield Static(Content.styled(clean(self.title_text), "bold"), id="message-title")
            yield Static(Content(clean(self.text)), id="message-text")
        yield KeyFooter()

    def action_leave(self) -> None:
        """Nothing to do here without an index: quit, with a failure exit code."""
        self.app.exit(return_code=1)
