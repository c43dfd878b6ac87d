"""The app's own commands in the ``ctrl+p`` command palette."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.render import one_line

if TYPE_CHECKING:
    from tui.screens.main import MainScreen


class DossierCommands(Provider):
    """Go to date, sort, timeline granularity, clear filter, reindex, help."""

    def _main(self) -> MainScreen | None:
        from tui.screens.main import MainScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        return None

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        main = self._main()
        if main is None:
            return []
        app = self.app
        out: list[tuple[str, Callable[[], object], str]] = [
            ("Go to date…", app.action_go_to_date,  # type: ignore[attr-defined]
             "filter the results to a date or a range (2021-01, 2020..2021-03)"),
            ("Sort by relevance", partial(main.set_sort, "relevance"), "best matches first"),
            ("Sort by date, newest first", partial(main.set_sort, "date"), "newest first"),
            ("Sort by date, oldest first", partial(main.set_sort, "oldest"), "oldest first"),
            ("Clear date filter", main.action_clear_filter,
             "show all dates again, published and mentioned (x)"),
            ("Timeline of published dates", partial(main.set_timeline_kind, "published"),
             "articles by publication date (m in the timeline switches)"),
            ("Timeline of mentioned dates (events)",
             partial(main.set_timeline_kind, "mentioned"),
             "the dates the articles talk about (m in the timeline switches)"),
            ("List events of the timeline period", main.show_events,
             "events mentioned in the period under the timeline cursor (e)"),
            ("Reindex the corpus", main.action_reindex,
             "pick up added, changed and removed files"),
            ("Show help", app.action_help, "every key (? or F1)"),  # type: ignore[attr-defined]
            ("Use did-you-mean suggestion", main.use_suggestion,
             "search for the suggested spelling"),
            ("Export results…", main.action_export,
             "the results with citations to a .md, .csv, .json or .bib file (E)"),
            ("Keyword in context", main.action_kwic,
             "every match of the results in its line, by article (K)"),
            ("Export bookmarked articles…", main.export_bookmarked,
             "every bookmarked article with its citation to a file"),
        ]
        out.extend(self._saved_commands(main))
        if getattr(app, "read_only", False):  # reindexing writes: not offered at all
            out = [entry for entry in out if entry[1] != main.action_reindex]
        for by in ("auto", "day", "week", "month", "year"):
            out.append((f"Timeline by {by}", partial(main.set_granularity, by),
                        "bucket size of the timeline (t cycles)"))
        return out

    @staticmethod
    def _saved_commands(main: MainScreen) -> list[tuple[str, Callable[[], object], str]]:
        """Save the current search; run, rename and delete each saved one. The help
        text is Textual markup: a query's brackets are taken out so it stays text."""
        out: list[tuple[str, Callable[[], object], str]] = [
            ("Save search…", main.action_save_search, "the query, dates and sort (S)")]
        if main.saved.off is not None:
            return out
        for search in main.saved.searches:
            about = one_line(search.describe()).replace("[", "(").replace("]", ")")[:120]
            out.append((f"Saved search: {search.name}", partial(main.run_saved, search),
                        about))
            out.append((f"Rename saved search: {search.name}…",
                        partial(main.rename_saved, search.name), "give it another name"))
            out.append((f"Delete saved search: {search.name}",
                        partial(main.delete_saved, search.name), "forget it"))
        return out

    async def discover(self) -> Hits:
        """All commands, before anything is typed."""
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands matching *query*, best first."""
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
