"""Counts of the current matches per source and language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from tui.render import one_line

if TYPE_CHECKING:
    from index.search import Facets


class FacetsPane(Static):
    """Where the matches come from: counted over all matches, not only the page shown."""

    def show(self, facets: Facets | None, limit: int = 12) -> None:
        """Show *facets* (None: nothing yet)."""
        if facets is None:
            self.update(Content.styled("facets…", "dim italic"))
            return
        lines: list[Content] = [Content.styled("sources", "bold")]
        for name, count in facets.sources[:limit]:
            lines.append(Content.assemble((f"{count:>6,} ", "bold"), one_line(name)))
        if len(facets.sources) > limit:
            lines.append(Content.styled(f"  … {len(facets.sources) - limit} more", "dim"))
        if not facets.sources:
            lines.append(Content.styled("  (none)", "dim"))
        lines.append(Content.styled("languages", "bold"))
        for name, count in facets.languages:
            lines.append(Content.assemble((f"{count:>6,} ", "bold"), one_line(name)))
        lines.append(Content.assemble((f"{facets.undated:>6,} ", "bold"), "undated"))
        self.update(Content("\n").join(lines))
