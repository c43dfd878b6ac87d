"""The export dialog: where to write the current results (the format follows the name).

It only asks and checks the place (a folder, a missing folder, a file that would be
replaced); the main screen does the export in a worker, so a large export never
blocks typing here.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.render import one_line

DEFAULT_NAME = "~/dossier-export.md"
HINT = ".md brief · .csv spreadsheet · .json · .bib BibTeX · Enter writes · Esc cancels"


class ExportScreen(ModalScreen[Path | None]):
    """Returns the checked file to write, or None when cancelled with Esc."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    #export-box {
        width: 72; max-width: 95%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    #export-input { width: 1fr; }
    """

    def __init__(self, what: str, default: str = DEFAULT_NAME) -> None:
        super().__init__()
        self.what = what
        self.default = default
        self._confirm: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Static(Content.assemble(("Export ", "bold"), one_line(self.what)))
            yield Input(value=self.default, id="export-input")
            yield Static(Content.styled(HINT, "dim"), id="export-hint")

    def _hint(self, text: str) -> None:
        self.query_one("#export-hint", Static).update(Content.styled(one_line(text), "bold"))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        from index.export import ExportPathError, check_target

        event.stop()
        value = event.value.strip()
        if not value:
            self._hint("type a file name")
            return
        try:
            target = check_target(Path(value))
        except ExportPathError as exc:
            self._hint(str(exc))
            return
        if target.exists() and self._confirm != target:
            self._confirm = target
            self._hint(f"{target.name} exists: Enter again replaces it")
            return
        self.dismiss(target)

    @on(Input.Changed)
    def _changed(self, _event: Input.Changed) -> None:
        self._confirm = None

    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)
