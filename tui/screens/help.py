"""The help screen: every key, grouped by pane, rendered from ``tui/help.md``.

The Markdown is kept simple so it reads well as a file and lays out compactly here:
``## Pane`` headings and ``- `keys` — what they do`` items. Textual's Markdown widget
draws each table with borders and margins (about three keys per screen at 80x24);
this draws one line per key with the descriptions wrapped in their own column, so
the whole help fits 80x24 in two pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widget import Widget

from tui.widgets.key_footer import KeyFooter

KEY_COLUMN = 16  # the widest key cell ("Shift+← Shift+→") wraps under itself
_CODE = re.compile(r"`([^`]*)`")


def help_text() -> str:
    """The Markdown of the help screen (shipped as package data)."""
    return (Path(__file__).resolve().parent.parent / "help.md").read_text("utf-8")


@dataclass(frozen=True)
class Entry:
    """One line of help: a heading, a key with what it does, or a sentence."""

    kind: str  # "title" | "heading" | "key" | "text"
    text: str
    keys: str = ""


def parse(markdown: str) -> list[Entry]:
    """The entries of *markdown* (``#``/``##`` headings, ``- keys — does`` items)."""
    out: list[Entry] = []
    for raw in markdown.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("## "):
            out.append(Entry("heading", line[3:]))
        elif line.startswith("# "):
            out.append(Entry("title", line[2:]))
        elif line.startswith("- ") and " — " in line:
            keys, does = line[2:].split(" — ", 1)
            out.append(Entry("key", does, keys))
        else:
            out.append(Entry("text", line))
    return out


def _inline(text: str) -> Content:
    """``code`` in bold, the rest plain (the file is ours, but never markup anyway)."""
    parts: list[Content] = []
    pos = 0
    for m in _CODE.finditer(text):
        parts.append(Content(text[pos:m.start()]))
        parts.append(Content.styled(m.group(1), "bold"))
        pos = m.end()
    parts.append(Content(text[pos:]))
    return Content("").join(parts)


def _wrap(text: str, width: int) -> list[str]:
    """*text* wrapped at *width* cells as drawn (backticks take no room), never
    splitting a ``code`` span."""
    width = max(10, width)
    tokens = re.findall(r"`[^`]*`\S*|\S+", text)
    lines: list[str] = []
    line, used = "", 0
    for token in tokens:
        cells = cell_len(token.replace("`", ""))
        if line and used + 1 + cells > width:
            lines.append(line)
            line, used = "", 0
        line, used = (f"{line} {token}", used + 1 + cells) if line else (token, cells)
    lines.append(line)
    return lines


def render_help(entries: list[Entry], width: int) -> Content:
    """The help as lines for *width* cells: keys in a column, descriptions beside them
    with a hanging indent, a blank line before each heading."""
    key_col = min(KEY_COLUMN, max(8, width // 4))
    lines: list[Content] = []
    for entry in entries:
        if entry.kind == "title":
            lines.extend(_inline(x).stylize_before("bold") for x in _wrap(entry.text, width))
        elif entry.kind == "heading":
            lines.append(Content(""))
            lines.append(Content.styled(entry.text, "bold underline"))
        elif entry.kind == "text":
            lines.extend(_inline(x) for x in _wrap(entry.text, width))
        else:
            keys = _CODE.sub(r"\1", entry.keys)
            pad = key_col + 1
            desc = _wrap(entry.text, width - pad)
            if cell_len(keys) > key_col:  # a very long key cell gets its own line
                lines.append(Content.styled(keys, "bold"))
                head = [Content(" " * pad) + _inline(desc[0])]
            else:
                head = [Content.styled(keys.ljust(key_col), "bold") + Content(" ")
                        + _inline(desc[0])]
            lines.extend(head)
            lines.extend(Content(" " * pad) + _inline(x) for x in desc[1:])
    return Content("\n").join(lines)


class HelpText(Widget):
    """The help, laid out for the width it is drawn in (and as tall as that makes it)."""

    def __init__(self, entries: list[Entry]) -> None:
        super().__init__(id="help-text")
        self.entries = entries

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the help takes at *width*."""
        return len(render_help(self.entries, width).split("\n", allow_blank=True))

    def render(self) -> Content:
        """The help at this width."""
        return render_help(self.entries, self.content_region.width)


class HelpScreen(ModalScreen[None]):
    """The keys, full screen, with its own footer; any of Esc, q, ? or F1 closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close help", id="help.close"),
        Binding("down,j", "scroll('down')", "Down", show=False, id="help.down"),
        Binding("up,k", "scroll('up')", "Up", show=False, id="help.up"),
        Binding("pagedown,space", "page('down')", "Next page", id="help.pagedown"),
        Binding("pageup,b", "page('up')", "Previous page", id="help.pageup"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-scroll"):
            yield HelpText(parse(help_text()))
        yield KeyFooter()

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

    def action_page(self, direction: str) -> None:
        """Scroll the help text by a page."""
        scroller = self.query_one("#help-scroll", VerticalScroll)
        if direction == "down":
            scroller.scroll_page_down(animate=False)
        else:
            scroller.scroll_page_up(animate=False)

    def action_close(self) -> None:
        """Back to where help was opened."""
        self.dismiss()
