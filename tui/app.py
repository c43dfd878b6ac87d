"""The dossier TUI: a keyboard-driven explorer over the index of a corpus.

``run()`` is what ``dossier`` (no subcommand) calls. The index package is
imported lazily, inside worker threads, so the first frame paints before
Whoosh is even imported.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.widgets import Input

from tui.commands import DossierCommands
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen

if TYPE_CHECKING:
    from index.search import Index
    from tui.screens.go_to_date import DateRange


class DossierApp(App[int]):
    """Search, timeline and source viewer over one index."""

    CSS_PATH = "dossier.tcss"
    TITLE = "dossier"
    COMMANDS = App.COMMANDS | {DossierCommands}
    ENABLE_COMMAND_PALETTE = True
    #: Layout classes set on every screen: >=140 columns shows the viewer beside the
    #: results; under 20 rows results and timeline take turns.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (140, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]

    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("f1", "help", "Help", id="help"),
        Binding("question_mark", "help", "Help", show=False, id="help.question_mark"),
    ]

    def __init__(self, corpora: Sequence[Path], index_dir: Path, query: str = "") -> None:
        super().__init__()
        self.corpora = list(corpora)
        self.index_dir = Path(index_dir)
        self.initial_query = query
        self.index: Index | None = None
        #: Keystroke-to-results times in ms, appended by the main screen.
        self.latencies: list[float] = []

    def get_default_screen(self) -> MainScreen:
        """The main screen is the bottom of the stack: Esc never leaves it."""
        return MainScreen(self.initial_query)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In the search input ``q`` and ``?`` are letters: don't offer them there."""
        if action == "quit" and isinstance(self.focused, Input):
            return False
        return True

    def action_help(self) -> None:
        """``?``/F1: the list of every key."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_go_to_date(self) -> None:
        """Palette: ask for a date or range and filter the results to it."""
        from tui.screens.go_to_date import GoToDateScreen

        def apply(value: DateRange | None) -> None:
            if value is None:
                return
            main = self.main_screen
            if main is not None:
                main.go_to_date(*value)

        self.push_screen(GoToDateScreen(), apply)

    @property
    def main_screen(self) -> MainScreen | None:
        """The main screen (bottom of the stack)."""
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    def on_unmount(self) -> None:
        """Release the index files; write the keystroke-to-results times when
        ``DOSSIER_LATENCY_LOG`` names a file (how the latency was measured)."""
        log = os.environ.get("DOSSIER_LATENCY_LOG")
        if log and self.latencies:
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(" ".join(f"{x:.1f}" for x in self.latencies) + "\n")
        if self.index is not None:
            self.index.close()
            self.index = None


def run(*, corpora: Sequence[Path], index_dir: Path, mouse: bool = True, query: str = "") -> int:
    """Open the TUI over the index of *corpora* in *index_dir*; the exit code."""
    app = DossierApp(corpora, index_dir, query)
    app.run(mouse=mouse)
    return app.return_code or 0
