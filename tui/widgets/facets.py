"""Counts of the current matches per source, language, agency and month; Enter on one
filters by it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from tui.render import one_line
from tui.widgets.cursor_list import CursorList

if TYPE_CHECKING:
    from index.results import Facets
    from tui.marking import MarkFacet

UNDATED = "date:undated"
BOOKMARKED = "is:bookmarked"


def facet_term(field: str, value: str) -> str | None:
    """The query term of a facet entry (:func:`index.query.field_term`), None when the
    value has nothing to search for."""
    from index.query import field_term

    return field_term(field, value)


def _term_pattern(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\S)" + re.escape(term) + r"(?!\S)")


def has_term(query: str, term: str) -> bool:
    """Is *term* one of the words of *query*?"""
    return _term_pattern(term).search(query) is not None


def toggle_term(query: str, term: str) -> str:
    """*query* with *term* removed when it is in it, else with *term* added (AND)."""
    pattern = _term_pattern(term)
    if pattern.search(query):
        return " ".join(pattern.sub(" ", query).split())
    query = query.strip()
    if re.search(r"\bOR\b", query):
        query = f"({query})"  # A OR B source:x would bind to B only
    return f"{query} {term}".strip()


class FacetsPane(CursorList):
    """Where the matches come from: counted over all matches, not only the page shown.
    Enter on a source, a language or "undated" adds that filter to the query, or drops
    it when the query has it already."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="facets.down"),
        Binding("k", "cursor_up", "Up", show=False, id="facets.up"),
        Binding("enter", "select", "Filter on/off", id="facets.toggle"),
        Binding("escape", "screen.back", "Results", id="facets.back"),
    ]

    @dataclass
    class FilterToggled(Message):
        """The user wants *term* (``source:"x"``, ``lang:en``, ``date:undated``) added
        to the query, or removed from it."""

        term: str

    def show(self, facets: Facets | None, query: str = "", limit: int = 12,
             marks: MarkFacet | None = None) -> None:
        """Show *facets* (None: nothing yet); mark the filters *query* has already.
        *marks*: bookmarked and tagged articles among the matches (None: marks off
        or nothing marked)."""
        current = self.highlighted_option.id if self.highlighted_option else None
        if facets is None:
            self.set_options([Option(Content.styled("facets…", "dim italic"), disabled=True)])
            return
        options: list[Option] = [Option(Content.styled("sources", "bold"), disabled=True)]
        for name, count in facets.sources[:limit]:
            options.append(self._entry(facet_term("source", name), one_line(name), count, query))
        if len(facets.sources) > limit:
            options.append(Option(Content.styled(f"  … {len(facets.sources) - limit} more",
                                                  "dim"), disabled=True))
        if not facets.sources:
            options.append(Option(Content.styled("  (none)", "dim"), disabled=True))
        options.append(Option(Content.styled("languages", "bold"), disabled=True))
        for name, count in facets.languages:
            if name == "?":  # no language: nothing to filter on
                options.append(Option(Content.assemble((f"{count:>6,} ", "bold"), "?"),
                                      disabled=True))
            else:
                options.append(self._entry(facet_term("lang", name), one_line(name), count,
                                           query))
        if facets.agencies:
            options.append(Option(Content.styled("agencies", "bold"), disabled=True))
            for name, count in facets.agencies[:limit]:
                options.append(self._entry(facet_term("agency", name), one_line(name), count,
                                           query))
        options.append(Option(Content.styled("months", "bold"), disabled=True))
        for month, count in facets.months[-limit:][::-1]:  # the newest first
            options.append(self._entry(f"date:{month}", month, count, query))
        options.append(self._entry(UNDATED, "undated", facets.undated, query))
        if marks is not None:
            options.append(Option(Content.styled("marks", "bold"), disabled=True))
            options.append(self._entry(BOOKMARKED, "bookmarked", marks.bookmarked, query))
            for tag, count in marks.tags[:limit]:
                options.append(self._entry(f"tag:{tag}", f"#{tag}", count, query))
        self.set_options(options)
        # The cursor stays on its entry only while someone works in the pane; otherwise
        # each new result starts at the top (not wherever a half-typed query's facets
        # happened to leave it: that made the pane depend on which searches were shown).
        if current is not None and self.has_focus:
            try:
                self.highlighted = self.get_option_index(current)
            except OptionDoesNotExist:  # the entry went away: cursor to the first
                self.action_first()
        else:
            self.action_first()

    @staticmethod
    def _entry(term: str | None, label: str, count: int, query: str) -> Option:
        if term is None:  # a name without a word in it ("+++"): shown, not filterable
            return Option(Content.assemble((f"{count:>6,} ", "bold"), label), disabled=True)
        if has_term(query, term):  # filter on: a mark, and the name underlined
            return Option(Content.assemble(("✓", "bold"), (f"{count:>5,} ", "bold"),
                                           (label, "bold underline")), id=term)
        return Option(Content.assemble((f"{count:>6,} ", "bold"), label), id=term)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.FilterToggled(event.option.id))
