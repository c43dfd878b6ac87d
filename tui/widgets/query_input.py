"""The search box's text input: its own key bindings run in the order keys were typed.

Textual (8.2.8) gives a printable key straight to the focused ``Input``, but a key
the input binds itself (``ctrl+a`` home, ``ctrl+k`` delete to the end, ``ctrl+w``,
``left``...) bubbles up through every parent to the app, which then runs the
binding as an action. Each hop is another message queue, so when the app was busy
(a storm of resize signals over SSH) ``ctrl+a ctrl+k q`` inserted the ``q`` first
and deleted it with the ``ctrl+k`` that arrived later: typed keys were lost.
:class:`QueryInput` runs its own bindings when the key reaches it, in order with
the characters; everything else travels as before.

A paste of several lines keeps them all, joined with single spaces (``Input``
keeps only the first line and drops the rest without a word); tabs become spaces.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input


def one_line(text: str) -> str:
    """*text* as one line for the search box: tabs become spaces, and several lines
    are joined with single spaces (blank lines and the ends of lines dropped)."""
    lines = text.replace("\t", " ").splitlines()
    if len(lines) <= 1:
        return lines[0] if lines else ""
    return " ".join(part for line in lines if (part := line.strip()))


def _editing_actions() -> frozenset[str]:
    """The actions ``Input`` itself binds (cursor, delete, select...), not the scroll
    bindings it inherits: ``up``/``down`` must still reach the search bar (history,
    to the results)."""
    return frozenset(b.action for b in Input.BINDINGS if isinstance(b, Binding))


class QueryInput(Input):
    """``Input`` whose own bindings are applied in typing order (see the module doc)."""

    _EDITING = _editing_actions()

    def _on_paste(self, event: events.Paste) -> None:
        # Replaces Input._on_paste (prevent_default: Textual would call both).
        event.prevent_default()
        event.stop()
        line = one_line(event.text)
        if not line:
            return
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(line)
        else:
            self.replace(line, *selection)

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            for binding in self._bindings.key_to_bindings.get(event.key, ()):
                if binding.action not in self._EDITING:
                    continue
                if self.check_action(binding.action, ()) is False:
                    continue
                event.stop()
                event.prevent_default()
                await self.run_action(binding.action)
                return
        await super()._on_key(event)
