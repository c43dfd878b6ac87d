"""The main screen's actions for what a user keeps: bookmarks and tags, search
history, saved searches, export and keyword in context.

A mixin of :class:`tui.screens.main.MainScreen` (its bindings and state live there),
kept apart so the main screen stays about searching and browsing. The databases are
reached through the keepers (``tui/marking.py``, ``tui/search_history.py``,
``tui/saved_searches.py``), off the UI thread, and every refusal is one line.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work

from tui.widgets.search_bar import SearchBar

if TYPE_CHECKING:
    from index.results import Hit
    from index.saved import SavedSearch
    from tui.requests import SearchRequest


class WorkflowActions:
    """Bookmarks, tags, history, saved searches, export and KWIC for the main screen."""

    # Provided by MainScreen (and Textual): declared for readers and linters.
    dossier: Any
    app: Any
    keeper: Any
    history: Any
    saved: Any
    selected: Hit | None
    query_text: str
    sort: str
    since: Any
    until: Any
    mentions: Any

    # -- opening ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="userdata",
          description="opening bookmarks, history and saved searches")
    def _open_user_data(self) -> None:
        """Open the user's marks, history and saved searches, after the first search
        is on its way: a locked database is waited for a few seconds, and that must
        not hold up the results."""
        app = self.dossier
        for problem in (self.keeper.open(app.corpora, app.index_dir, app.read_only),
                        self.history.open(app.corpora, app.read_only),
                        self.saved.open(app.corpora, app.read_only)):
            if problem:
                self.app.call_from_thread(self._note, problem, "warning")
        self.app.call_from_thread(self._user_data_ready)

    def _user_data_ready(self) -> None:
        self._history_to_bar()
        if self.keeper.usable:
            self.run_search(keep=True)  # rows and facets show the marks now

    # -- bookmarks and tags ----------------------------------------------------------------------

    def _marked_article(self) -> Hit | None:
        """The article a mark key applies to here: the highlighted result (which is
        also the one the wide preview shows)."""
        return self.selected

    def _marks_refused(self) -> bool:
        """Say in one line why marks are off, if they are."""
        if self.keeper.usable:
            return False
        if self.keeper.off == "read-only":
            self.dossier.refuse("bookmarking and tagging")
        else:
            self._note(self.keeper.message(), "warning")
        return True

    def action_bookmark(self) -> None:
        """``m``: bookmark the highlighted article, or take its bookmark away."""
        hit = self._marked_article()
        if hit is None:
            self.app.bell()
            return
        self.toggle_bookmark(hit.doc_id)

    def toggle_bookmark(self, doc_id: str) -> None:
        """Flip the bookmark of *doc_id* (also called from the viewer screen)."""
        if not self._marks_refused():
            self._change_marks(doc_id, None)

    def action_tag(self) -> None:
        """``#``: edit the tags of the highlighted article."""
        hit = self._marked_article()
        if hit is None:
            self.app.bell()
            return
        self.edit_tags(hit.doc_id, hit.title)

    def edit_tags(self, doc_id: str, title: str) -> None:
        """Ask for the tags of *doc_id* and store them (also called from the viewer)."""
        from tui.screens.tags import TagScreen

        if self._marks_refused():
            return

        def chosen(tags: tuple[str, ...] | None) -> None:
            if tags is not None:
                self._change_marks(doc_id, tags)

        self.app.push_screen(TagScreen(title, self.keeper.tags_of(doc_id)), chosen)

    @work(thread=True, exclusive=False, exit_on_error=False, group="marks",
          description="saving the bookmark")
    def _change_marks(self, doc_id: str, tags: tuple[str, ...] | None) -> None:
        """Bookmark (*tags* None) or tag *doc_id* off the UI thread: a busy database
        is waited for a few seconds."""
        ix = self.dossier.index
        if ix is None:
            return
        if tags is None:
            message, ok = self.keeper.toggle_bookmark(ix, self.dossier.index_dir, doc_id)
        else:
            message, ok = self.keeper.set_tags(ix, self.dossier.index_dir, doc_id, tags)
        self.app.call_from_thread(self._marks_changed, message, ok)

    def _marks_changed(self, message: str, ok: bool) -> None:
        self._note(message, "information" if ok else "warning")
        self.run_search(keep=True)  # rows, the marks facet and tag: filters follow

    def on_unmount(self) -> None:
        """Close the marks and history databases."""
        self.keeper.close()
        self.history.close()
        self.saved.close()

    # -- search history ------------------------------------------------------------------------

    def _history_to_bar(self) -> None:
        """Hand the history down to the search bar (unless Up/Down are walking it)."""
        bar = self.query_one(SearchBar)
        bar.history_off = self.history.off
        if not bar.walk.walking:
            bar.walk.set_entries(self.history.entries)

    def _record_history(self, text: str) -> None:
        if text.strip() and self.history.off is None:
            self._save_query(text)

    @work(thread=True, exclusive=False, exit_on_error=False, group="history",
          description="saving the search history")
    def _save_query(self, text: str) -> None:
        problem = self.history.record(text)
        if problem:
            self.app.call_from_thread(self._note, problem, "warning")
        self.app.call_from_thread(self._history_to_bar)

    def _history_refused(self) -> bool:
        if self.history.off is None:
            return False
        if self.history.off == "read-only":
            self.dossier.refuse("search history")
        else:
            self._note(self.history.message(), "warning")
        return True

    def on_search_bar_history_off(self, _event: SearchBar.HistoryOff) -> None:
        """Up in the search box with history off: say why, in one line."""
        self._history_refused()

    def action_search_history(self) -> None:
        """``Ctrl+R``: find an earlier query and run it again."""
        from tui.screens.history import HistoryScreen

        if self._history_refused():
            return

        def chosen(text: str | None) -> None:
            if text is not None:
                self.query_one(SearchBar).set_query(text)
                self._record_history(text)

        self.app.push_screen(HistoryScreen(self.history.matching), chosen)

    # -- keyword in context --------------------------------------------------------------------

    def action_kwic(self) -> None:
        """``K``, palette: every match of the current results in its line."""
        from tui.screens.kwic import KwicScreen

        if self.dossier.index is None:
            return
        if not self.query_text.strip():
            self._note("keyword in context needs a query")
            return
        self.app.push_screen(KwicScreen(self.current_request(), self.keeper.resolve))

    # -- saved searches ------------------------------------------------------------------------

    def _saved_refused(self) -> bool:
        if self.saved.off is None:
            return False
        if self.saved.off == "read-only":
            self.dossier.refuse("saving searches")
        else:
            self._note(self.saved.message(), "warning")
        return True

    def current_saved(self, name: str = "") -> SavedSearch:
        """The query, dates and sort on screen, as a saved search called *name*."""
        from index.saved import SavedSearch

        return SavedSearch(name, self.query_text, self.since, self.until, self.sort,
                           self.mentions)

    def action_save_search(self) -> None:
        """``S``, palette: save the query and its filters under a name."""
        from tui.screens.saved_name import SavedNameScreen

        if self._saved_refused():
            return
        current = self.current_saved()

        def chosen(name: str | None) -> None:
            if name is not None:
                self._saved_change("save", dataclasses.replace(current, name=name),
                                   replace=True)

        self.app.push_screen(SavedNameScreen("Save search as", current.describe(),
                                             self.query_text, self.saved.exists), chosen)

    def run_saved(self, search: SavedSearch) -> None:
        """Palette: run a saved search (its query, dates and sort replace the current)."""
        if self._saved_refused():
            return
        self.sort, self.since, self.until = search.sort, search.since, search.until
        self.mentions = search.mentions  # the timeline's filter follows (a reactive)
        self.refresh_bindings()
        bar = self.query_one(SearchBar)
        if bar.value == search.query:
            self.run_search()
        else:
            bar.set_query(search.query)
        self._note(f"saved search {search.name!r}")
        self._saved_change("use", search.name)

    def rename_saved(self, name: str) -> None:
        """Palette: give a saved search another name."""
        from tui.screens.saved_name import SavedNameScreen

        if self._saved_refused():
            return

        def chosen(new: str | None) -> None:
            if new is not None:
                self._saved_change("rename", name, new)

        self.app.push_screen(SavedNameScreen(f"Rename saved search {name!r}", "", name,
                                             lambda _new: False), chosen)

    def delete_saved(self, name: str) -> None:
        """Palette: delete a saved search."""
        if not self._saved_refused():
            self._saved_change("delete", name)

    @work(thread=True, exclusive=False, exit_on_error=False, group="saved",
          description="saving the search")
    def _saved_change(self, what: str, *args: object, **kwargs: object) -> None:
        message, ok = self.saved.change(what, *args, **kwargs)
        if message:
            self.app.call_from_thread(self._note, message, "information" if ok else "warning")

    # -- export --------------------------------------------------------------------------------

    def action_export(self) -> None:
        """``E``, palette: the current results with citations to a file."""
        self.export(self.query_text, f"the results of “{self.query_text or 'everything'}”")

    def export_bookmarked(self) -> None:
        """Palette: every bookmarked article, whatever the query and filters."""
        self.export("is:bookmarked", "the bookmarked articles", filters=False)

    def export(self, query: str, what: str, filters: bool = True) -> None:
        """Ask where, then write the matches of *query* under the current filters
        (or none: *filters* False); refused when read-only: it writes a file."""
        from tui.screens.export import ExportScreen

        if self.dossier.read_only:
            self.dossier.refuse("export to a file (`dossier export` prints to stdout)")
            return
        if self.dossier.index is None:
            return
        request = dataclasses.replace(self.current_request(), query=query)
        if filters:
            self._record_history(query)
        if not filters:
            request = dataclasses.replace(request, since=None, until=None, events=None,
                                          sort="date")

        def chosen(target: Path | None) -> None:
            if target is not None:
                self._export(request, target)

        self.app.push_screen(ExportScreen(what), chosen)

    @work(thread=True, exclusive=False, exit_on_error=False, group="export",
          description="export")
    def _export(self, request: SearchRequest, target: Path) -> None:
        from tui.exporting import export_to_file

        message, ok = export_to_file(self.dossier.index, request, target, self.keeper)
        self.app.call_from_thread(self._note, message, "information" if ok else "error")
