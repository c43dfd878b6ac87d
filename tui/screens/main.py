"""The main screen: search bar, status, results, timeline, facets and (when wide) the
source viewer. It owns the query, the results and the selection; the widgets get
attributes and answer with messages ("attributes down, messages up")."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, ProgressBar, Static
from textual.worker import get_current_worker

from tui.articles import load_article
from tui.debounce import Debounce
from tui.marking import MarkKeeper
from tui.messages import BuildProgress
from tui.render import one_line, status_line
from tui.requests import SearchRequest, TimelineRequest
from tui.saved_searches import SavedKeeper
from tui.search_history import HistoryKeeper
from tui.widgets.facets import FacetsPane
from tui.widgets.key_footer import KeyFooter
from tui.widgets.results_list import ResultsList
from tui.widgets.search_bar import SearchBar, still_typing
from tui.widgets.source_view import ArticleBody, SourceView
from tui.widgets.status_line import StatusLine
from tui.widgets.timeline import MENTIONED, PUBLISHED, TimelinePane
from tui.workers import ReportsWorkersToApp
from tui.workflow_actions import WorkflowActions

if TYPE_CHECKING:
    from index.results import Article, Hit, SearchResult, Timeline
    from index.search import Index, Period
    from tui.marking import MarkFacet
    from tui.protocols import DossierAppLike

PAGE = 100
#: ``G`` loads at most this many rows (a list of 100,000 would take seconds to build).
LAST_CAP = 10_000
GRANULARITIES = ("auto", "day", "week", "month", "year")
#: Actions bound to plain letters: off while the search input has focus (there a
#: letter is a letter), so the footer does not offer keys that would type text.
LETTER_ACTIONS = {"toggle_sort", "granularity", "clear_filter", "toggle_facets", "export",
                  "bookmark", "tag", "save_search", "kwic"}


class MainScreen(ReportsWorkersToApp, WorkflowActions, Screen[None]):
    """Search, results, timeline, facets, and a preview on wide terminals."""

    # The filters are reactives so that the one the timeline shows (``timeline_filter``)
    # follows them by itself: the pane is bound to it (``data_bind`` in compose).
    since: var[dt.date | None] = var(None)
    until: var[dt.date | None] = var(None)
    #: The filter on mentioned (event) dates, apart from the publication dates.
    mentions: var[Period | None] = var(None)
    #: Which timeline the pane shows: ``published`` or ``mentioned``.
    timeline_kind: var[str] = var(PUBLISHED)
    #: The filter of the timeline the pane shows, for its header and shading.
    timeline_filter: var[tuple[dt.date | None, dt.date | None]] = var((None, None))

    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="focus_search"),
        Binding("tab", "cycle_pane(1)", "Next pane", show=False, id="next_pane"),
        Binding("shift+tab", "cycle_pane(-1)", "Prev pane", show=False, id="previous_pane"),
        Binding("s", "toggle_sort", "Sort", id="toggle_sort"),
        Binding("t", "granularity", "Granularity", id="granularity"),
        Binding("x", "clear_filter", "Clear dates", id="clear_filter"),
        Binding("f", "toggle_facets", "Facets", id="toggle_facets"),
        Binding("E", "export", "Export", show=False, id="export"),
        Binding("m", "bookmark", "Bookmark", show=False, id="bookmark"),
        Binding("number_sign", "tag", "Tags", key_display="#", show=False, id="tag"),
        Binding("ctrl+r", "search_history", "History", show=False, id="search_history"),
        Binding("S", "save_search", "Save search", show=False, id="save_search"),
        Binding("K", "kwic", "In context", show=False, id="kwic"),
        Binding("escape", "back", "Back", show=False, id="back"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.query_text = query
        #: Complete the last word as a prefix (set while typing: the cursor is after it).
        self.complete_last = False
        self.sort = "relevance"
        self.granularity = "auto"
        self.limit = PAGE
        self.snippets = 30
        self.result: SearchResult | None = None
        self.selected: Hit | None = None
        self.busy: str | None = "opening index…"
        self.error: str | None = None
        #: The last state change worth a word (index updated…), shown in the status line
        #: rather than in a toast over the timeline; the next query drops it.
        self.notice: str | None = None
        self._request: SearchRequest | None = None
        self._typed_at: float | None = None
        #: The wide preview loads once the cursor rests (tui/debounce.py).
        self._preview = Debounce(self, self._preview_now)
        #: What the wide preview shows: (article, query). A new query re-highlights it, and
        #: "no matches" forgets it, so the next hit (even the same article) is shown again.
        self._preview_key: tuple[str, str] | None = None
        self._pending_focus: Widget | None = None
        #: The query closes a quote or bracket still being typed: its errors are not shown.
        self._provisional = False
        self._last_progress = 0.0
        #: Bookmarks and tags of this session (off when read-only or the database fails).
        self.keeper = MarkKeeper()
        #: Earlier queries of this corpus (off when read-only or the database fails).
        self.history = HistoryKeeper()
        #: Named queries with their filters (off when read-only or the database fails).
        self.saved = SavedKeeper()

    @property
    def dossier(self) -> DossierAppLike:
        """The app, typed (through a Protocol: this module does not import tui.app)."""
        return self.app  # type: ignore[return-value]

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SearchBar(self.query_text, id="search")
        yield StatusLine(id="status")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                with Vertical(id="building"):
                    yield Static("", id="building-label")
                    yield ProgressBar(id="building-bar", show_eta=True)
                yield ResultsList(id="results")
                with Horizontal(id="lower"):
                    yield TimelinePane(id="timeline").data_bind(
                        applied=MainScreen.timeline_filter)
                    yield FacetsPane(id="facets")
            yield SourceView(id="preview")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Paint at once ("opening index…"), then open the index in a thread."""
        self._update_status()
        self.query_one(FacetsPane).show(None)
        self.query_one(SearchBar).input.focus()
        self.query_one(SourceView).clear("Enter on a result shows it here")
        self._open_index()

    @property
    def wide(self) -> bool:
        """Is the source viewer shown beside the results?"""
        return self.has_class("-wide")

    def _panes(self) -> list[Widget]:
        panes: list[Widget] = [self.query_one(SearchBar).input, self.query_one(ResultsList),
                               self.query_one(TimelinePane)]
        facets = self.query_one(FacetsPane)
        if facets.display:
            panes.append(facets)
        if self.wide:
            panes.append(self.query_one(ArticleBody))
        return panes

    def _focus_pane(self, widget: Widget) -> None:
        # On short terminals results and timeline share the space: show the one wanted.
        # It may only become focusable after the next layout, so focus it then, and
        # remember it meanwhile so that a fast second Tab moves on from it.
        self.set_class(isinstance(widget, (TimelinePane, FacetsPane)), "-show-timeline")
        self._pending_focus = widget

        def focus() -> None:
            widget.focus()
            if self._pending_focus is widget:
                self._pending_focus = None

        self.call_after_refresh(focus)

    def action_cycle_pane(self, step: int) -> None:
        """Tab / Shift+Tab: search → results → timeline (→ facets) (→ viewer) → search.
        While the status line offers a did-you-mean (no hits), Tab in the search box or
        the empty results applies it instead: the status line says so."""
        panes = self._panes()
        focused = self._pending_focus or self.focused
        if (step == 1 and self.result is not None and self.result.suggestion
                and isinstance(focused, (Input, ResultsList))):
            self.use_suggestion()
            return
        index = 0
        for i, pane in enumerate(panes):
            if focused is pane or (focused is not None and pane in focused.ancestors):
                index = i
                break
        self._focus_pane(panes[(index + step) % len(panes)])

    def action_focus_search(self) -> None:
        """``/``: type a query."""
        self._focus_pane(self.query_one(SearchBar).input)

    def action_back(self) -> None:
        """Esc: from the search box, the viewer, the timeline or the facets to the
        results. The results are home: Esc there does nothing (``/`` goes to search),
        so Esc then ``q`` always quits and Esc twice never lands back in the box."""
        focused = self.focused
        if isinstance(focused, (Input, ArticleBody, TimelinePane, FacetsPane)):
            self._focus_pane(self.query_one(ResultsList))

    def action_toggle_facets(self) -> None:
        """Show and focus the source and language counts; hide them when they have the
        focus (narrow terminals; always shown on wider ones)."""
        facets = self.query_one(FacetsPane)
        if not self.has_class("-facets"):
            self.add_class("-facets")
            self._focus_pane(facets)
        elif self.focused is facets or self._pending_focus is facets:
            self.remove_class("-facets")
            self._focus_pane(self.query_one(ResultsList))
        else:
            self._focus_pane(facets)  # shown but elsewhere: go there

    @on(FacetsPane.FilterToggled)
    def _facet_toggled(self, event: FacetsPane.FilterToggled) -> None:
        """Enter on a facet: add its filter to the query (or drop it) and search."""
        from tui.widgets.facets import toggle_term

        bar = self.query_one(SearchBar)
        bar.set_query(toggle_term(bar.value, event.term))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only the keys that do something here (the footer follows this)."""
        if action in LETTER_ACTIONS and isinstance(self.focused, Input):
            return False
        if action == "clear_filter" and not self.has_filter:
            return False
        if action == "toggle_facets" and not self.has_class("-narrow"):
            return False
        return True

    # -- the index ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="index",
          description="opening the index")
    def _open_index(self) -> None:
        """Open the index; build it first (with progress) when there is none."""
        from index.opening import IndexNotBuilt, open_or_build

        app = self.dossier
        try:
            opened = open_or_build(
                app.corpora, app.index_dir, read_only=app.read_only, progress=self._progress,
                on_build=lambda: self.app.call_from_thread(self._show_building, True),
                lock_wait=60.0)
        except IndexNotBuilt:
            self.app.call_from_thread(app.show_no_index)  # read-only never builds
            return
        ix = opened.index
        ix.warm_up()
        self.app.call_from_thread(self._index_ready, ix, opened.report is None)

    def _progress(self, done: int, total: int, path: str) -> None:
        """Build progress (called in the builder thread): at most ~20 updates a second."""
        now = time.monotonic()
        if done < total and now - self._last_progress < 0.05:
            return
        self._last_progress = now
        self.post_message(BuildProgress(done, total, path))

    def on_build_progress(self, message: BuildProgress) -> None:
        """Move the progress bar."""
        bar = self.query_one("#building-bar", ProgressBar)
        bar.update(total=message.total or None, progress=message.done)
        label = Content.assemble(
            ("indexing the corpus ", "bold"), f"{message.done:,}/{message.total:,} ",
            (one_line(message.path)[-60:], "dim"))
        self.busy = f"indexing {message.done:,}/{message.total:,}…"
        if message.total and message.done >= message.total:
            # Whoosh merges segments after the last file: say so, or it looks stuck.
            label = Content.styled("writing the index to disk (this can take a minute)…", "bold")
            self.busy = "writing the index…"
        self.query_one("#building-label", Static).update(label)
        self._update_status()

    def _show_building(self, on: bool) -> None:
        self.set_class(on, "-building")
        if on:
            self.busy = "indexing the corpus…"
            self._update_status()

    def _index_ready(self, ix: Index, existed: bool) -> None:
        self.dossier.index = ix
        self._show_building(False)
        self.busy = None
        self.run_search()
        self._open_user_data()
        if existed and not self.dossier.read_only:  # read-only: no background update
            self._refresh_index(quiet=True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="reindex",
          description="updating the index")
    def _refresh_index(self, quiet: bool = False) -> None:
        """Bring the index up to date with the corpus (incremental), then search again.

        The update runs as a ``dossier index`` child process, not in this one: walking
        100,000 files and their manifest costs ~280 MB and a lot of CPU, which would
        stay in the TUI's memory and compete with typing for the interpreter lock.
        Killing the child at any moment is safe (builds are atomic).
        """
        from tui.index_update import run_update

        app = self.dossier
        outcome = run_update(app.corpora, app.index_dir, on_start=app.track_child)
        if outcome.locked:
            if not quiet:
                self.app.call_from_thread(self._note, outcome.message)
            return
        if outcome.failed:
            self.app.call_from_thread(self._note, outcome.message, "error")
            return
        if outcome.changed or not quiet:
            self.app.call_from_thread(self._reindexed, outcome.message, outcome.changed)

    def _reindexed(self, summary: str, changed: bool) -> None:
        self._note(f"index updated: {summary}")
        if changed:
            self.run_search(keep=True)

    def action_reindex(self) -> None:
        """Palette: update the index now (refused when read-only: it writes)."""
        if self.dossier.read_only:
            self.dossier.refuse("reindexing")
            return
        self._note("updating the index…")
        self._refresh_index(quiet=False)

    def _note(self, text: str, severity: str = "information") -> None:
        """A state change goes to the status line (a toast would cover the timeline at
        80x24); only errors and warnings are toasts."""
        if severity == "information":
            self.notice = one_line(text)
            self._update_status()
            return
        self.app.notify(Content(one_line(text)), severity=severity,  # type: ignore[arg-type]
                        timeout=4)

    def show_worker_failure(self, group: str, text: str) -> None:
        """A failed worker (the App words it, tui/app.py): the status line and a toast;
        without an index the panes say so instead of showing stale results."""
        self.error = text
        self.busy = None
        self._show_building(False)
        self._update_status()
        self._note(text, "error")
        if self.dossier.index is None:
            self.query_one(TimelinePane).message = "no index"
            self.query_one(ResultsList).set_options([])

    # -- searching -----------------------------------------------------------------------------

    def _visible_rows(self) -> int:
        return max(10, self.query_one(ResultsList).size.height // 2 + 4)

    def current_request(self) -> SearchRequest:
        """The request the screen's state stands for now."""
        return SearchRequest(self.query_text, self.sort, self.since, self.until, self.limit,
                             self.snippets, self.mentions, self.complete_last)

    def current_timeline(self) -> TimelineRequest:
        """The timeline the screen's state stands for now."""
        return TimelineRequest(self.query_text, self.granularity, self.timeline_kind,
                               self.since, self.until, self.complete_last)

    @property
    def has_filter(self) -> bool:
        """Is a publication-date or a mentioned-date filter on?"""
        return self.since is not None or self.until is not None or self.mentions is not None

    def run_search(self, keep: bool = False) -> None:
        """Search for the current state (results, then the timeline) in workers."""
        if self.dossier.index is None:
            return
        if not keep:
            self.limit = PAGE
            self.snippets = self._visible_rows()
        request = self.current_request()
        self._request = request
        self._search(request, keep)
        self._timeline(self.current_timeline(), self.query_one(TimelinePane).max_buckets)

    @on(SearchBar.QueryChanged)
    def _query_changed(self, event: SearchBar.QueryChanged) -> None:
        if event.submitted:
            self._focus_pane(self.query_one(ResultsList))
            self._record_history(event.text)
        # Search as you type: the word right before the cursor is still being typed, and
        # so is an open quote or bracket at the end while the search bar says so
        # (provisional); submitted or left like that, it is parsed as it is and its
        # error shows.
        at_end = self.query_one(SearchBar).input.cursor_position >= len(event.text)
        complete = event.provisional or (at_end and still_typing(event.text) is None)
        if (event.text == self.query_text and complete == self.complete_last
                and self.result is not None and not self.error):
            return
        self.query_text = event.text
        self.complete_last = complete
        self.notice = None
        self._provisional = event.provisional
        self._typed_at = self.query_one(SearchBar).changed_at or time.perf_counter()
        self.run_search()

    @work(thread=True, exclusive=True, exit_on_error=False, group="search",
          description="search")
    def _search(self, request: SearchRequest, keep: bool) -> None:
        from index.search import QueryError

        worker = get_current_worker()
        ix = self.dossier.index
        if ix is None:
            return
        try:
            text, ids = self.keeper.resolve(request.query)
            result = ix.search(text, limit=request.limit, since=request.since,
                               until=request.until, sort=request.sort,
                               snippets=request.snippets, facets=True,
                               events=request.events, suggest=False, ids=ids,
                               complete_last=request.complete_last,
                               cancelled=lambda: worker.is_cancelled)
            marked = self.keeper.facet(ix, text, ids, request.since, request.until,
                                       request.events, complete_last=request.complete_last)
        except QueryError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._search_failed, request, exc.message,
                                          exc.position)
            return
        if worker.is_cancelled:
            return
        self.app.call_from_thread(self._search_done, request, result, keep, marked)
        if result.total == 0 and text.strip():
            # Did-you-mean after the empty result is on screen: half-typed words
            # often match nothing, and the suggestion must not delay the keystroke.
            suggestion = ix.suggest(text, request.since, request.until)
            if suggestion and not worker.is_cancelled:
                self.app.call_from_thread(self._suggested, request, result, suggestion)

    def _suggested(self, request: SearchRequest, result: SearchResult, suggestion: str) -> None:
        if request != self.current_request() or self.result is not result:
            return  # the user typed on
        self.result = dataclasses.replace(result, suggestion=suggestion)
        self._update_status()

    def _search_done(self, request: SearchRequest, result: SearchResult, keep: bool,
                     marked: MarkFacet | None = None) -> None:
        if request != self.current_request():
            return  # a newer query is on its way: this one is stale
        self.result = result
        self.error = None
        if self.busy and self.busy.startswith("loading "):
            self.busy = None
        self.query_one(SearchBar).show_error(None)
        results = self.query_one(ResultsList)
        keep_id = self.selected.doc_id if (keep and self.selected) else None
        results.total = min(result.total, LAST_CAP)  # as far as G goes
        results.marks = self.keeper.by_id()
        results.set_hits(result.hits, keep=keep_id)
        self.query_one(FacetsPane).show(result.facets, request.query, marks=marked)
        if not result.hits:
            self.selected = None
            self.query_one(TimelinePane).marked = None
            if self.wide:
                self.query_one(SourceView).clear("no matches")
                self._preview_key = None
        if self._typed_at is not None:
            # Keystroke to results on screen, debounce included.
            latency = (time.perf_counter() - self._typed_at) * 1000
            self.dossier.latencies.append(latency)
            self.log.info(f"keystroke to results: {latency:.0f} ms ({result.total} hits)")
            self._typed_at = None
        self._update_status()

    def _search_failed(self, request: SearchRequest, message: str, position: int | None) -> None:
        if request != self.current_request():
            return
        self._typed_at = None
        if self._provisional:
            # Still typing a phrase or a bracket: no error line (the layout stays put);
            # it shows on Enter or when the typing pauses (SearchBar's SETTLE).
            return
        # The previous results stay; the error shows where it is.
        self.error = f"query error: {message}" + (
            f" (column {position + 1})" if position is not None else "")
        self.query_one(SearchBar).show_error(self.error, position)
        self._typed_at = None
        self._update_status()

    def _update_status(self) -> None:
        highlighted = self.query_one(ResultsList).highlighted
        position = highlighted + 1 if highlighted is not None and self.selected else None
        self.query_one(StatusLine).update(status_line(
            self.result, error=self.error, busy=self.busy, since=self.since,
            until=self.until, sort=self.sort, mentions=self.mentions, position=position,
            notice=self.notice))

    @work(thread=True, exclusive=True, exit_on_error=False, group="timeline",
          description="timeline")
    def _timeline(self, request: TimelineRequest, max_buckets: int) -> None:
        from index.search import QueryError

        worker = get_current_worker()
        ix = self.dossier.index
        if ix is None:
            return
        try:
            text, ids = self.keeper.resolve(request.query)
            if request.kind == MENTIONED:
                tl = ix.event_timeline(text, by=request.by, since=request.since,
                                       until=request.until, max_buckets=max_buckets, ids=ids,
                                       complete_last=request.complete_last)
            else:
                tl = ix.timeline(text, by=request.by, max_buckets=max_buckets, ids=ids,
                                 complete_last=request.complete_last)
        except QueryError:
            return  # the search worker reports it
        if not worker.is_cancelled:
            self.app.call_from_thread(self._timeline_done, request, tl)

    def _timeline_done(self, request: TimelineRequest, tl: Timeline) -> None:
        if request != self.current_timeline():
            return
        pane = self.query_one(TimelinePane)
        pane.kind = request.kind
        pane.auto = request.by == "auto"
        pane.set_timeline(tl)

    def compute_timeline_filter(self) -> tuple[dt.date | None, dt.date | None]:
        """The pane marks the filter of the timeline it shows (the pane's kind is the
        screen's ``timeline_kind`` whenever the pane shows a timeline)."""
        if self.timeline_kind == MENTIONED:
            return self.mentions or (None, None)
        return (self.since, self.until)

    def set_timeline_kind(self, kind: str) -> None:
        """Show the ``published`` or the ``mentioned`` timeline (``m``, palette)."""
        if kind == self.timeline_kind:
            return
        self.timeline_kind = kind
        pane = self.query_one(TimelinePane)
        pane.kind = kind
        pane.anchor = None
        if self.dossier.index is not None:
            self._timeline(self.current_timeline(), pane.max_buckets)

    def action_toggle_timeline(self) -> None:
        """Palette: the other timeline."""
        self.set_timeline_kind(PUBLISHED if self.timeline_kind == MENTIONED else MENTIONED)

    @on(TimelinePane.KindRequested)
    def _kind_requested(self, event: TimelinePane.KindRequested) -> None:
        self.set_timeline_kind(event.kind)

    # -- sorting and filtering -----------------------------------------------------------------

    def action_toggle_sort(self) -> None:
        """``s``: relevance ↔ newest first."""
        self.set_sort("date" if self.sort == "relevance" else "relevance")

    def set_sort(self, sort: str) -> None:
        """Sort by ``relevance``, ``date`` (newest first) or ``oldest``."""
        self.sort = sort
        self._update_status()
        self.run_search()

    def action_granularity(self) -> None:
        """``t``: timeline buckets auto → day → week → month → year."""
        i = GRANULARITIES.index(self.granularity)
        self.set_granularity(GRANULARITIES[(i + 1) % len(GRANULARITIES)])

    def set_granularity(self, by: str) -> None:
        """Set the timeline buckets and redraw it."""
        self.granularity = by  # the timeline's header names it: no message
        if self.dossier.index is not None:
            self._timeline(self.current_timeline(), self.query_one(TimelinePane).max_buckets)

    def set_filter(self, since: dt.date | None, until: dt.date | None) -> None:
        """Only articles published in [since, until] (None: no filter)."""
        self.since, self.until = since, until
        self.refresh_bindings()
        self._update_status()
        self.run_search()

    def set_mentions(self, period: Period | None) -> None:
        """Only articles mentioning an event in *period* (None: no such filter)."""
        self.mentions = period
        self.refresh_bindings()
        self._update_status()
        self.run_search()

    def action_clear_filter(self) -> None:
        """``x``: drop the date filters (published and mentioned)."""
        if not self.has_filter:
            return
        self.mentions = None
        self.set_filter(None, None)  # the status line's "dates …" goes: no message

    @on(TimelinePane.RangeSelected)
    def _range_selected(self, event: TimelinePane.RangeSelected) -> None:
        # The status line shows the filter with "x clears": no message.
        if event.kind == MENTIONED:
            self.set_mentions((event.since, event.until))
        else:
            self.set_filter(event.since, event.until)

    @on(TimelinePane.EventsRequested)
    def _events_requested(self, event: TimelinePane.EventsRequested) -> None:
        self.dossier.open_events(self.query_text, event.start, event.end, event.label,
                                 since=self.since, until=self.until)

    def show_events(self) -> None:
        """Palette: the events of the timeline cursor's period (or the selected range)."""
        if self.timeline_kind != MENTIONED:
            self.set_timeline_kind(MENTIONED)
            self._note("timeline: mentioned dates · e lists the events of a period")
            return
        self.query_one(TimelinePane).action_events()

    # -- results and the viewer ----------------------------------------------------------------

    @on(ResultsList.HitHighlighted)
    def _hit_highlighted(self, event: ResultsList.HitHighlighted) -> None:
        self.selected = event.hit
        self.query_one(TimelinePane).marked = event.hit.date
        self._update_status()  # "k of N hits"
        self._maybe_load_more(event.index)
        if self.wide:
            self._preview.poke()

    @on(ResultsList.LastRequested)
    def _last_requested(self) -> None:
        """``G``: load every hit with its passage in one search (in a worker, like any
        search; about 0.5 s for 2,000 hits), the list then goes to the last one. Past
        ``LAST_CAP`` hits the list stops there and the status line says so."""
        if self.result is None:
            return
        total = self.result.total
        self.limit = self.snippets = max(self.limit, min(total, LAST_CAP))
        self.busy = f"loading {self.limit:,} hits…"
        if total > LAST_CAP:
            self.notice = f"the list holds the first {LAST_CAP:,} hits: narrow the query"
        self._update_status()
        self.run_search(keep=True)

    def _maybe_load_more(self, index: int) -> None:
        """Fetch more rows (or snippets for more rows) as the cursor nears their end."""
        if self.result is None:
            return
        shown = len(self.result.hits)
        more_rows = index >= shown - 5 and self.result.total > shown
        more_snippets = index >= self.snippets - 3 and self.snippets < shown
        if more_rows or more_snippets:
            if more_rows:
                self.limit += PAGE
            self.snippets = min(self.limit, index + 2 * self._visible_rows())
            self.run_search(keep=True)

    def _preview_now(self) -> None:
        if self.selected is not None and (
                (self.selected.doc_id, self.query_text) != self._preview_key):
            self._load_article(self.selected, self.query_text, None)

    @on(ResultsList.HitSelected)
    def _hit_selected(self, event: ResultsList.HitSelected) -> None:
        self._record_history(self.query_text)
        if self.wide:
            if (event.hit.doc_id, self.query_text) != self._preview_key:
                self._load_article(event.hit, self.query_text, None)
            self._focus_pane(self.query_one(ArticleBody))
        else:
            self.dossier.open_article(event.hit, self.query_text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="article",
          description="opening the article")
    def _load_article(self, hit: Hit, query: str, target: SourceView | None) -> None:
        article, spans = load_article(self.dossier.index, hit, query)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._article_loaded, hit, query, article, spans)

    def _article_loaded(self, hit: Hit, query: str, article: Article, spans: tuple) -> None:
        self._preview_key = (hit.doc_id, query)
        best = hit.snippets[0].start if hit.snippets else None
        self.query_one(SourceView).show(article, spans, best)

    def go_to_date(self, since: dt.date | None, until: dt.date | None) -> None:
        """Palette "go to date": filter, and put the timeline cursor there."""
        self.set_filter(since, until)
        pane = self.query_one(TimelinePane)
        if pane.timeline is not None and since is not None:
            for i, b in enumerate(pane.timeline.buckets):
                if b.start <= since <= b.end:
                    pane.set_cursor(i)
                    break

    def use_suggestion(self) -> None:
        """Tab (while the status line offers one) or the palette: search for the
        did-you-mean suggestion; the focus stays where it is."""
        if self.result is None or not self.result.suggestion:
            self.app.bell()
            return
        self.query_one(SearchBar).set_query(self.result.suggestion)
