"""Keyword in context: every match across the current results, grouped by article.

Its own screen at every size; Enter opens the article at that match (highlighted,
scrolled to), Esc comes back here, Esc again to the results."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from tui.render import one_line
from tui.widgets.kwic_list import KwicList
from tui.workers import ReportsWorkersToApp

if TYPE_CHECKING:
    from index.kwic import KwicArticle
    from tui.protocols import DossierAppLike
    from tui.requests import SearchRequest

#: Articles listed (their matches each up to PER_ARTICLE lines).
ARTICLES = 100
PER_ARTICLE = 50


class KwicScreen(ReportsWorkersToApp, Screen[None]):
    """The matches of *request* in context. *resolve* turns the query into the text
    the index parses and the article ids its ``tag:``/``is:bookmarked`` allow."""

    BINDINGS = [Binding("escape", "back", "Back", id="kwic.back")]
    DEFAULT_CSS = """
    #kwic-head { height: auto; max-height: 2; padding: 0 1; background: $panel; }
    #kwic-list { height: 1fr; }
    """

    def __init__(self, request: SearchRequest,
                 resolve: Callable[[str], tuple[str, frozenset[str] | None]]) -> None:
        super().__init__()
        self.request = request
        self.resolve = resolve
        self.articles: list[KwicArticle] | None = None

    @property
    def dossier(self) -> DossierAppLike:
        """The app, typed (through a Protocol: this module does not import tui.app)."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("matches in context · loading…", "bold"), id="kwic-head")
        yield KwicList(id="kwic-list")
        yield Footer()

    def on_mount(self) -> None:
        """Load in a thread; the header says so meanwhile."""
        self.query_one(KwicList).focus()
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="kwic",
          description="finding the matches")
    def _load(self) -> None:
        from index.kwic import kwic

        ix = self.dossier.index
        if ix is None:
            raise RuntimeError("the index is not open")
        r = self.request
        text, ids = self.resolve(r.query)
        # As wide as the list draws it: the number column, ellipses and scrollbar off.
        width = max(30, min(300, (self.size.width or 80) - 12))
        found = kwic(ix, text, articles=ARTICLES, per_article=PER_ARTICLE, width=width,
                     since=r.since, until=r.until, sort=r.sort, ids=ids, events=r.events)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, found)

    def _loaded(self, found: list[KwicArticle]) -> None:
        self.articles = found
        lines = sum(len(a.lines) for a in found)
        head = Content.assemble(
            ("matches in context", "bold"),
            f" · {lines:,} line{'s' if lines != 1 else ''} in {len(found):,} "
            f"article{'s' if len(found) != 1 else ''} · ",
            ("query ", "dim"), one_line(self.request.query) or "(all articles)")
        self.query_one("#kwic-head", Static).update(head)
        self.query_one(KwicList).set_articles(found)

    def show_worker_failure(self, group: str, text: str) -> None:
        """A failed worker (a query error included) is one line in the header."""
        self.query_one("#kwic-head", Static).update(Content.styled(text, "bold"))

    @on(KwicList.LineSelected)
    def _line_selected(self, message: KwicList.LineSelected) -> None:
        focus = (message.line.start, message.line.end)
        self.dossier.open_article(message.hit, self.request.query, focus=focus)

    def action_back(self) -> None:
        """Esc: back to the results."""
        self.dismiss()
