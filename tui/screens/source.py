"""The source viewer as a screen of its own (terminals narrower than 140 columns)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import get_current_worker

from tui.articles import load_article
from tui.widgets.key_footer import KeyFooter
from tui.widgets.source_view import ArticleBody, SourceView
from tui.workers import ReportsWorkersToApp

if TYPE_CHECKING:
    from index.results import Article, EventMention, Hit, Span
    from tui.protocols import DossierAppLike


class SourceScreen(ReportsWorkersToApp, Screen[None]):
    """One article, full screen; Esc goes back to the results where they were."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="source.back"),
        # Not in the footer (full at 80 columns already): listed in the help.
        Binding("m", "bookmark", "Bookmark", show=False, id="source.bookmark"),
        Binding("number_sign", "tag", "Tags", key_display="#", show=False, id="source.tag"),
    ]

    def __init__(self, hit: Hit | EventMention, query: str, focus: Span | None = None) -> None:
        """*hit* is a result, or an event mention from the event list; *focus* (an
        event's sentence) is highlighted and scrolled to instead of the best passage."""
        super().__init__()
        self.hit = hit
        self.query_text = query
        self.focus_span = focus

    @property
    def dossier(self) -> DossierAppLike:
        """The app, typed (through a Protocol: this module does not import tui.app)."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield SourceView(id="viewer")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Load the article in a thread; the header says so meanwhile."""
        self.query_one(SourceView).clear("opening the article…")
        self.query_one(ArticleBody).focus()
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="article",
          description="opening the article")
    def _load(self) -> None:
        article, spans = load_article(self.dossier.index, self.hit, self.query_text)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, article, spans)

    def _loaded(self, article: Article, spans: tuple) -> None:
        focus = self.focus_span
        snippets = getattr(self.hit, "snippets", ())  # an EventMention has none
        best = focus[0] if focus else (snippets[0].start if snippets else None)
        self.query_one(SourceView).show(article, spans, best, focus)

    def show_worker_failure(self, group: str, text: str) -> None:
        """A failed load says so in the viewer (one line, worded by the App), instead of
        leaving it on "opening the article…" for good."""
        self.query_one(SourceView).clear(text)

    def action_bookmark(self) -> None:
        """``m``: bookmark this article (the main screen keeps the marks)."""
        main = self.dossier.main_screen
        if main is not None:
            main.toggle_bookmark(self.hit.doc_id)

    def action_tag(self) -> None:
        """``#``: edit this article's tags."""
        main = self.dossier.main_screen
        if main is not None:
            main.edit_tags(self.hit.doc_id, getattr(self.hit, "title", ""))

    def action_back(self) -> None:
        """Back to the results."""
        self.dismiss()
