"""The dossier TUI: a keyboard-driven explorer over the index of a corpus.

``run()`` is what ``dossier`` (no subcommand) calls. The index package is
imported lazily, inside worker threads, so the first frame paints before
Whoosh is even imported.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.segment import Segment
from rich.style import Style
from textual import events, on
from textual.app import App, SuspendNotSupported, SystemCommand
from textual.binding import Binding
from textual.color import Color
from textual.content import Content
from textual.filter import LineFilter, Monochrome, NoColor
from textual.notifications import Notify
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from tui.commands import DossierCommands
from tui.protocols import ShowsWorkerFailures
from tui.render import worker_failure
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.signals import exit_on_signals

if TYPE_CHECKING:
    from textual.driver import Driver
    from textual.screen import Screen

    from index.results import EventMention, Hit, Span
    from index.search import Index
    from tui.screens.go_to_date import DateRange


class NoColour(LineFilter):
    """``NO_COLOR`` (https://no-color.org): the terminal's own colours only, and no dim
    (a dim grey is a colour too). What stands out does so by bold, underline and
    reverse, which dossier uses for every highlight.

    Textual's own answer is 256-colour greys (``Monochrome``) unless the terminal
    palette is used; this drops colours whatever the palette."""

    #: "default" is no colour: the terminal's foreground and background. The segments'
    #: meta (where a mouse click lands) is kept.
    PLAIN = Style(color="default", bgcolor="default", dim=False)

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        """Every segment without colour, its bold/italic/underline/reverse kept."""
        plain = self.PLAIN
        return [Segment(text, None if style is None else style + plain, control)
                for text, style, control in segments]


def screenshot_folder() -> Path:
    """Where Textual's palette "Screenshot" saves: the current folder (where the user
    started dossier, so where they look), else the XDG download folder, created if
    needed. Textual's default, ``~/Downloads``, is missing on most servers."""
    here = Path.cwd()
    if os.access(here, os.W_OK):
        return here
    from platformdirs import user_downloads_path

    folder = user_downloads_path()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


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
        Binding("q", "quit_key", "Quit", id="quit"),
        Binding("f1", "help", "Help", id="help"),
        Binding("question_mark", "help", "Help", show=False, id="help.question_mark"),
    ]

    def __init__(self, corpora: Sequence[Path], index_dir: Path, query: str = "",
                 *, read_only: bool = False) -> None:
        super().__init__()
        self.corpora = list(corpora)
        self.index_dir = Path(index_dir)
        self.initial_query = query
        #: ``--read-only``: never write, never start another program (see cli/readonly.py).
        self.read_only = read_only
        self.index: Index | None = None
        #: Keystroke-to-results times in ms, appended by the main screen.
        self.latencies: list[float] = []
        self._children: list[subprocess.Popen[bytes]] = []
        if self.no_color:  # Textual read NO_COLOR; colours go entirely, not to greys
            self._filters = [f for f in self._filters
                             if not isinstance(f, (Monochrome, NoColor))] + [NoColour()]

    def get_driver_class(self) -> type[Driver]:
        """On a real POSIX terminal, the driver with the size cap and hang-up detection
        (tui/driver.py); Textual's choice elsewhere (Windows, ``TEXTUAL_DRIVER``)."""
        driver = super().get_driver_class()
        from textual import constants
        from textual.drivers.linux_driver import LinuxDriver

        if driver is LinuxDriver and constants.DRIVER is None:
            from tui.driver import DossierDriver

            return DossierDriver
        return driver

    def on_resize(self, event: events.Resize) -> None:
        """Say so when the window is larger than dossier draws (tui/driver.py)."""
        capped = getattr(self._driver, "capped_from", None)
        if capped is None or capped == getattr(self, "_capped_told", None):
            return
        self._capped_told = capped
        from textual.content import Content

        w, h = self.size
        self.notify(Content(f"window {capped[0]}x{capped[1]} is larger than dossier draws: "
                            f"using the top-left {w}x{h}"), severity="warning", timeout=10)

    def get_default_screen(self) -> MainScreen:
        """The main screen is the bottom of the stack: Esc never leaves it."""
        return MainScreen(self.initial_query)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In the search input ``q`` is a letter: don't offer it there. Only the ``q``
        key's own action is disabled, so Ctrl+Q (Textual's ``quit``) works everywhere."""
        if action == "quit_key" and isinstance(self.focused, Input):
            return False
        return True

    async def action_quit_key(self) -> None:
        """``q`` outside the search box: quit, like Ctrl+Q."""
        await self.action_quit()

    def _on_notify(self, event: Notify) -> None:
        """One toast at a time: a new one replaces the one showing (three quick
        warnings must not stack over the timeline). State changes do not come here;
        they show in the status line or a pane's header.

        Textual runs this before its own ``App._on_notify`` (handlers run along the
        class hierarchy, subclass first), which then adds the new toast."""
        self._notifications.clear()

    @on(Worker.StateChanged)
    def _worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a failed worker is worded: one line, never a traceback.

        Screens forward their workers' state changes here (tui/workers.py). The line
        shows where the worker's screen shows it (its header, the viewer, the status
        line); a worker of the App itself, or of a screen that shows nothing, is a
        toast. Success needs nothing here: a worker hands its result to its screen
        with ``call_from_thread``."""
        if event.state != WorkerState.ERROR:
            return
        worker = event.worker
        text = worker_failure(worker.description, worker.error)
        node = worker.node
        if isinstance(node, ShowsWorkerFailures):
            if getattr(node, "is_attached", True):
                node.show_worker_failure(worker.group, text)
            return
        self.notify(Content(text), severity="error", timeout=4)

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

    # -- read-only: nothing that writes or starts another program is reachable --------------

    def refuse(self, what: str) -> None:
        """Say (once, briefly) that *what* is not available in read-only mode."""
        self.notify(Content(f"read-only: {what} is not available here"), severity="warning",
                    timeout=4)

    def show_no_index(self) -> None:
        """Read-only and no index: a message screen instead of a build (q quits, exit 1)."""
        from tui.screens.message import MessageScreen

        self.push_screen(MessageScreen(
            "No index",
            f"There is no index in {self.index_dir}.\n\n"
            "This dossier is read-only, so it does not build one. Ask the owner of the "
            "corpus to run `dossier index` on the server.",
        ))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's palette entries, without "Screenshot" (it writes a file) when
        read-only."""
        for command in super().get_system_commands(screen):
            if self.read_only and command.title == "Screenshot":
                continue
            yield command

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Never start a browser in read-only mode (a link in help or an article)."""
        if self.read_only:
            self.refuse("opening links")
            return
        super().open_url(url, new_tab=new_tab)

    @contextmanager
    def suspend(self) -> Iterator[None]:
        """No handing the terminal to a shell, editor or pager in read-only mode."""
        if self.read_only:
            raise SuspendNotSupported("read-only: the terminal is never handed to a program")
        with super().suspend():
            yield

    def action_suspend_process(self) -> None:
        """No job control (back to a shell) in read-only mode."""
        if self.read_only:
            self.refuse("suspending")
            return
        super().action_suspend_process()

    def deliver_text(self, *args: Any, **kwargs: Any) -> None:
        """Saving text writes a file: refused in read-only mode."""
        if self.read_only:
            self.refuse("saving files")
            return
        super().deliver_text(*args, **kwargs)

    def deliver_binary(self, *args: Any, **kwargs: Any) -> None:
        """Saving data writes a file: refused in read-only mode."""
        if self.read_only:
            self.refuse("saving files")
            return
        super().deliver_binary(*args, **kwargs)

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        """The palette's "Screenshot": saved to :func:`screenshot_folder`, and the toast
        says where (or why not, in one line). Refused in read-only mode."""
        if self.read_only:
            self.refuse("screenshots")
            return None
        try:
            saved = self.save_screenshot(filename, path or str(screenshot_folder()),
                                         time_format)
        except OSError as exc:
            self.notify(Content(f"screenshot not saved: {exc.strerror or exc}"),
                        severity="error", timeout=6)
            return None
        self.notify(Content(f"screenshot saved to {saved}"), timeout=6)
        return saved

    def save_screenshot(self, *args: Any, **kwargs: Any) -> str:
        """A screenshot writes a file: refused in read-only mode."""
        if self.read_only:
            raise PermissionError("read-only: screenshots are not saved")
        return super().save_screenshot(*args, **kwargs)

    def open_article(self, hit: Hit | EventMention, query: str,
                     focus: Span | None = None) -> None:
        """The one way a screen opens an article full screen (the source viewer), so no
        screen imports another: *hit* is a result or an event mention, *focus* a span
        to highlight and scroll to instead of the best passage."""
        from tui.screens.source import SourceScreen

        self.push_screen(SourceScreen(hit, query, focus=focus))

    def open_events(self, query: str, start: dt.date, end: dt.date, label: str, *,
                    since: dt.date | None, until: dt.date | None) -> None:
        """The event mentions of the results dated in [*start*, *end*] (the main
        screen's timeline asks; the App opens the screen)."""
        from tui.screens.events import EventsScreen

        self.push_screen(EventsScreen(query, start, end, label, since=since, until=until))

    @property
    def main_screen(self) -> MainScreen | None:
        """The main screen (bottom of the stack)."""
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    def track_child(self, proc: subprocess.Popen[bytes]) -> None:
        """Remember a background ``dossier index`` child so quitting ends it too."""
        self._children.append(proc)

    def on_unmount(self) -> None:
        """End background children and release the index files; write the
        keystroke-to-results times when ``DOSSIER_LATENCY_LOG`` names a file (how the
        latency was measured)."""
        log = os.environ.get("DOSSIER_LATENCY_LOG")
        if log and self.latencies and not self.read_only:
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(" ".join(f"{x:.1f}" for x in self.latencies) + "\n")
        for proc in self._children:
            if proc.poll() is None:
                proc.terminate()  # safe at any moment: builds are atomic
        if self.index is not None:
            self.index.close()
            self.index = None


def run(*, corpora: Sequence[Path], index_dir: Path, mouse: bool = True, query: str = "",
        read_only: bool = False) -> int:
    """Open the TUI over the index of *corpora* in *index_dir*; the exit code.

    SIGTERM and SIGHUP (a dropped SSH connection) end the app the normal way, so the
    terminal is restored and the index closed (see :mod:`tui.signals`)."""
    app = DossierApp(corpora, index_dir, query, read_only=read_only)
    with exit_on_signals(app):
        app.run(mouse=mouse)
    return app.return_code or 0
