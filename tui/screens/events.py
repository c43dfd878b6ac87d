"""The events mentioned in a period of the mentioned timeline, each with its sentence.

Its own screen at every size (an 80x24 terminal has no room beside the timeline);
on wide terminals the article of the highlighted event shows beside the list,
opened at the event's sentence."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from tui.articles import load_article
from tui.debounce import Debounce
from tui.render import one_line
from tui.widgets.event_list import EventList
from tui.widgets.key_footer import KeyFooter
from tui.widgets.source_view import ArticleBody, SourceView
from tui.workers import ReportsWorkersToApp

if TYPE_CHECKING:
    from index.results import Article, EventMention
    from tui.protocols import DossierAppLike

#: At most this many mentions are listed (the header says when there are more).
LIMIT = 500


class EventsScreen(ReportsWorkersToApp, Screen[None]):
    """Event mentions of the current results dated in [start, end].

    Enter opens the article at the event's sentence, highlighted (full screen, or in
    the preview beside the list on wide terminals); Esc goes back."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="events.back"),
    ]

    def __init__(self, query: str, start: dt.date, end: dt.date, label: str,
                 since: dt.date | None = None, until: dt.date | None = None) -> None:
        """*query*, *since* and *until* are the main screen's: the list shows the
        events of the same articles the mentioned timeline counted."""
        super().__init__()
        self.query_text = query
        self.start = start
        self.end = end
        self.label = label
        self.since = since
        self.until = until
        self.events: list[EventMention] | None = None
        #: The wide preview loads once the cursor rests (tui/debounce.py).
        self._preview = Debounce(self, self._preview_now)
        self._preview_key: tuple[str, tuple[int, int]] | None = None

    @property
    def dossier(self) -> DossierAppLike:
        """The app, typed (through a Protocol: this module does not import tui.app)."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(Content.styled(f"events mentioned in {self.label} · loading…", "bold"),
                     id="events-head")
        with Horizontal(id="events-body"):
            yield EventList(id="events-list")
            yield SourceView(id="events-preview")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Load the mentions in a thread; the header says so meanwhile."""
        self.query_one(SourceView).clear("the highlighted event's article shows here")
        self.query_one(EventList).focus()
        self._load()

    @property
    def wide(self) -> bool:
        """Is the article shown beside the list?"""
        return self.has_class("-wide")

    @work(thread=True, exclusive=True, exit_on_error=False, group="events",
          description="listing the events")
    def _load(self) -> None:
        ix = self.dossier.index
        if ix is None:
            raise RuntimeError("the index is not open")
        events = ix.events(self.query_text, start=self.start, end=self.end, since=self.since,
                           until=self.until, limit=LIMIT + 1)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, events)

    def _loaded(self, events: list[EventMention]) -> None:
        more = len(events) > LIMIT
        self.events = events[:LIMIT]
        articles = len({e.doc_id for e in self.events})
        n = len(self.events)
        parts = [
            Content.assemble(("events mentioned in ", "bold"), (self.label, "bold reverse")),
            Content(f"{'first ' if more else ''}{n:,} mention{'s' if n != 1 else ''} "
                    f"in {articles:,} article{'s' if articles != 1 else ''}"),
        ]
        if self.query_text.strip():
            parts.append(Content.assemble(("query ", "dim"), one_line(self.query_text)))
        self.query_one("#events-head", Static).update(Content(" · ").join(parts))
        self.query_one(EventList).set_events(self.events)

    def show_worker_failure(self, group: str, text: str) -> None:
        """A failed worker shows one readable line in the header, not a traceback."""
        self.query_one("#events-head", Static).update(Content.styled(text, "bold"))

    # -- the article ---------------------------------------------------------------------------

    @on(EventList.EventHighlighted)
    def _event_highlighted(self, message: EventList.EventHighlighted) -> None:
        if not self.wide:
            return
        self._preview.poke()

    def _preview_now(self) -> None:
        event = self.query_one(EventList).current
        if event is not None and (event.doc_id, event.sentence_span) != self._preview_key:
            self._load_article(event)

    @work(thread=True, exclusive=True, exit_on_error=False, group="events-article",
          description="opening the article")
    def _load_article(self, event: EventMention) -> None:
        article, spans = load_article(self.dossier.index, event, self.query_text)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._article_loaded, event, article, spans)

    def _article_loaded(self, event: EventMention, article: Article, spans: tuple) -> None:
        self._preview_key = (event.doc_id, event.sentence_span)
        focus = event.sentence_span
        self.query_one(SourceView).show(article, spans, focus[0], focus)

    @on(EventList.EventSelected)
    def _event_selected(self, message: EventList.EventSelected) -> None:
        event = message.event
        if self.wide:
            if (event.doc_id, event.sentence_span) != self._preview_key:
                self._load_article(event)
            self.query_one(ArticleBody).focus()
            return
        self.dossier.open_article(event, self.query_text, focus=event.sentence_span)

    def action_back(self) -> None:
        """Esc: from the article beside the list to the list, from the list back."""
        if isinstance(self.focused, ArticleBody):
            self.query_one(EventList).focus()
            return
        self.dismiss()
