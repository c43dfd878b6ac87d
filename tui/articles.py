"""Loading an article for the viewer: one function for every screen that shows one
(the main screen's preview, the source viewer, the events screen's preview).

Opening an article as a screen of its own is the App's job (``DossierApp.open_article``):
a screen asks the App, and never imports the source viewer's module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.results import Article, EventMention, Hit
    from index.search import Index


def load_article(ix: Index | None, hit: Hit | EventMention,
                 query: str) -> tuple[Article, tuple]:
    """The article of *hit* (a result or an event mention) and every match of *query*
    in it (the hit's own spans, or none, if the query doesn't parse).

    Runs in a worker thread."""
    from index.search import QueryError

    if ix is None:
        raise RuntimeError("the index is not open")
    from index.query import split_marks

    article = ix.article(hit.doc_id)
    try:
        # The word being typed was completed in the results: highlight what it matched.
        spans = ix.match_spans(hit.doc_id, split_marks(query)[0], complete_last=True)
    except QueryError:
        spans = getattr(hit, "spans", ())  # an EventMention has none
    return article, spans
