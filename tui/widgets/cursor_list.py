"""An OptionList whose cursor row honours ``text-style: reverse`` from the CSS."""

from __future__ import annotations

import dataclasses

from textual.style import Style as VisualStyle
from textual.widgets import OptionList


class CursorList(OptionList):
    """Textual 8.2.8 builds an option's style (``Widget.get_visual_style``) from colour,
    bold, dim, italic, underline and strike, and drops ``reverse``: the cursor row was
    told apart by its background colour alone, so with ``NO_COLOR`` it vanished.
    Here the reverse of a component style is carried over (dossier.tcss asks for it)."""

    def get_visual_style(self, *component_classes: str, partial: bool = False) -> VisualStyle:
        """The style Textual computes, plus ``reverse`` when a component style sets it."""
        style = super().get_visual_style(*component_classes, partial=partial)
        if any(self.get_component_styles(name).text_style.reverse
               for name in component_classes):
            style = dataclasses.replace(style, reverse=True)
        return style
