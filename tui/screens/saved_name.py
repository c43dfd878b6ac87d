"""The dialog that names a saved search (to save the current one, or to rename one)."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.render import one_line

HINT = "letters, digits, spaces, . , : ; ! ? & + - ( ) ' · Enter saves · Esc cancels"


class SavedNameScreen(ModalScreen[str | None]):
    """Returns a checked name, or None when cancelled with Esc. A name that is taken
    (*exists*) is accepted only on a second Enter."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="saved_name.cancel")]
    DEFAULT_CSS = """
    SavedNameScreen { align: center middle; }
    #saved-box {
        width: 72; max-width: 95%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    #saved-input { width: 1fr; }
    """

    def __init__(self, heading: str, describe: str, value: str,
                 exists: Callable[[str], bool]) -> None:
        super().__init__()
        self.heading = heading
        self.describe = describe
        self.value = value
        self.exists = exists
        self._confirm: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="saved-box"):
            yield Static(Content.styled(self.heading, "bold"))
            yield Static(Content.styled(one_line(self.describe)[:200], "dim"))
            yield Input(value=one_line(self.value)[:60], id="saved-input")
            yield Static(Content.styled(HINT, "dim"), id="saved-hint")

    def _hint(self, text: str) -> None:
        self.query_one("#saved-hint", Static).update(Content.styled(one_line(text), "bold"))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        from index.saved import BadSavedSearch, check_name

        event.stop()
        try:
            name = check_name(event.value)
        except BadSavedSearch as exc:
            self._hint(str(exc))
            return
        if self.exists(name) and self._confirm != name.casefold():
            self._confirm = name.casefold()
            self._hint(f"{name!r} exists: Enter again replaces it")
            return
        self.dismiss(name)

    @on(Input.Changed)
    def _changed(self, _event: Input.Changed) -> None:
        self._confirm = None

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
