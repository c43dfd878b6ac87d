"""The tag dialog: the tags of one article, as a comma-separated list to edit."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.render import one_line

HINT = "one word per tag, commas between · empty removes all · Enter saves · Esc cancels"


def parse_tags(value: str) -> tuple[str, ...]:
    """``"klage, Cloud"`` -> ``("klage", "cloud")``; ValueError (one line) for a tag
    that is not one word."""
    from index.query import QueryError, check_tag

    out: list[str] = []
    for part in value.split(","):
        part = part.strip().lstrip("#")
        if not part:
            continue
        try:
            tag = check_tag(part)
        except QueryError as exc:
            raise ValueError(exc.message) from None
        if tag not in out:
            out.append(tag)
    return tuple(out)


class TagScreen(ModalScreen[tuple[str, ...] | None]):
    """Returns the new tags of the article, or None when cancelled with Esc."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="tags.cancel")]
    DEFAULT_CSS = """
    TagScreen { align: center middle; }
    #tags-box {
        width: 72; max-width: 95%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    #tags-input { width: 1fr; }
    """

    def __init__(self, title: str, tags: tuple[str, ...]) -> None:
        super().__init__()
        self.article_title = title
        self.tags = tags

    def compose(self) -> ComposeResult:
        with Vertical(id="tags-box"):
            yield Static(Content.assemble(("Tags of ", "bold"),
                                          one_line(self.article_title)[:60]))
            yield Input(value=", ".join(self.tags), placeholder="klage, cloud",
                        id="tags-input")
            yield Static(Content.styled(HINT, "dim"), id="tags-hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            self.dismiss(parse_tags(event.value))
        except ValueError as exc:
            self.query_one("#tags-hint", Static).update(Content.styled(one_line(str(exc)),
                                                                        "bold"))

    def action_cancel(self) -> None:
        """Close without changing the tags."""
        self.dismiss(None)
