"""The footer: the keys that apply now, as many as fit, the most useful ones kept."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: Kept longest, in this order, whatever pane has the focus: how to get help, how to
#: leave, how to go back. Every other key keeps the order Textual gives (the focused
#: pane's keys first, then the screen's, then the app's) and the last ones go first.
FIRST = ("help", "close", "back", "quit_key")


def _width(key: FooterKey, compact: bool) -> int:
    """Cells a key takes in the footer (padding and margins as Footer's CSS sets them)."""
    # " key " + "description " (the palette key: a border, "key ", "description ").
    return cell_len(key.key_display) + cell_len(key.description) + (2 if compact else 3)


def _rank(key: FooterKey, order: int) -> tuple[int, int]:
    action = key.action.rsplit(".", 1)[-1]
    if action in FIRST:
        return (0, FIRST.index(action))
    return (1, order)


def fit(keys: Iterable[Widget], width: int, compact: bool = False) -> list[Widget]:
    """*keys* without the lowest ranked ones until they fit in *width* cells; the
    palette key always stays (it leads to every command)."""
    items = list(keys)
    droppable = sorted(
        (i for i, w in enumerate(items)
         if isinstance(w, FooterKey) and not w.has_class("-command-palette")),
        key=lambda i: _rank(items[i], i),  # type: ignore[arg-type]
    )
    used = sum(_width(w, compact) for w in items if isinstance(w, FooterKey))
    dropped: set[int] = set()
    while used > width and droppable:
        i = droppable.pop()
        dropped.add(i)
        used -= _width(items[i], compact)  # type: ignore[arg-type]
    return [w for i, w in enumerate(items) if i not in dropped]


class KeyFooter(Footer):
    """Textual's Footer, with keys dropped by priority instead of being cut off at the
    right edge (where ``^p palette`` is: it was the first thing lost at 80 columns)."""

    def __init__(self) -> None:
        super().__init__()
        self._laid_out_for = 0

    def compose(self) -> ComposeResult:
        width = self.app.size.width
        self._laid_out_for = width
        yield from fit(super().compose(), width, self.compact)

    def on_resize(self, event: Resize) -> None:
        """Another width fits other keys."""
        if self.app.size.width != self._laid_out_for and self._bindings_ready:
            self.call_after_refresh(self.recompose)
