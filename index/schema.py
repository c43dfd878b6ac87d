"""The Whoosh schema and its version.

Each language has its own title and body fields, analyzed with that
language's analyzer; an article fills only the fields of its language. A
query is parsed against the fields of every language, so it is analyzed the
way each article's language was.

Bump :data:`SCHEMA_VERSION` whenever a field or an analyzer changes: an index
with another version is rebuilt from scratch on the next open.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Characters, Positions, tokens

from index.analysis import LANGUAGES, analyzer_for, simple_analyzer

SCHEMA_VERSION = 6

TITLE_BOOST = 3.0

# Field names the user may type before a colon, and the real fields they mean.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "title": tuple(f"title_{lang}" for lang in LANGUAGES),
    "body": tuple(f"body_{lang}" for lang in LANGUAGES),
    "text": tuple(f"body_{lang}" for lang in LANGUAGES),
    "source": ("source",),
    "agency": ("agency",),
    "author": ("author",),
    "lang": ("lang",),
    "language": ("lang",),
    "path": ("path",),
    "id": ("doc_id",),
}

# The fields an unfielded query word searches, with their boosts.
DEFAULT_FIELDS: dict[str, float] = {
    **{f"title_{lang}": TITLE_BOOST for lang in LANGUAGES},
    **{f"body_{lang}": 1.0 for lang in LANGUAGES},
}


# Precision of an event mention, as a letter after its ordinal: a year mention is not
# a January event, so the timeline must know it is one (day mentions have none).
EVENT_PRECISION = {"day": "", "week": "w", "month": "m", "season": "s", "year": "y"}


def event_term(day: Any, granularity: str = "day") -> str:
    """The ``event_day`` term of a mention: its first day's ordinal, zero-padded so terms
    sort by date, plus its precision letter (``EVENT_PRECISION``)."""
    return f"{day.toordinal():07d}{EVENT_PRECISION.get(granularity, '')}"


def body_field(lang: str) -> str:
    """The body field an article of *lang* is indexed in."""
    return f"body_{lang if lang in LANGUAGES else 'de'}"


def title_field(lang: str) -> str:
    """The title field an article of *lang* is indexed in."""
    return f"title_{lang if lang in LANGUAGES else 'de'}"


class OverlapPositions(Positions):
    """Whoosh's ``Positions``, except that a compound's parts (tokens marked
    ``overlap`` by the analyzer) do not count in the field's length.

    A part shares its compound's position; counting it would make an article
    with many compounds longer and push it down for every query, compound or
    not. Lucene does the same (``discountOverlaps``). The postings, and so each
    term's frequency and weight, are unchanged: Whoosh takes the field length
    from the frequencies returned here and nothing else.
    """

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        fb = self.field_boost
        poses: dict[str, list[Any]] = defaultdict(list)
        weights: dict[str, float] = defaultdict(float)
        counted: dict[str, int] = defaultdict(int)
        kwargs["positions"] = True
        kwargs["boosts"] = True
        if self._chars:
            kwargs["chars"] = True
        for t in tokens(value, analyzer, kwargs):
            poses[t.text].append((t.pos, t.startchar, t.endchar) if self._chars else t.pos)
            weights[t.text] += t.boost
            if not getattr(t, "overlap", False):
                counted[t.text] += 1
        for w, poslist in poses.items():
            yield (w, counted[w], weights[w] * fb, self.encode(poslist))

    _chars = False


class OverlapCharacters(OverlapPositions, Characters):
    """:class:`OverlapPositions` for fields that store character offsets too."""

    _chars = True


def _discount_overlaps(field: TEXT) -> TEXT:
    cls = OverlapCharacters if isinstance(field.format, Characters) else OverlapPositions
    field.format = cls(field_boost=field.format.field_boost)
    return field


def make_schema() -> Schema:
    """Build the schema (fresh analyzer objects each time)."""
    fields: dict[str, object] = {
        "doc_id": ID(stored=True, unique=True),
        "path": ID(stored=False),
        "source": TEXT(analyzer=simple_analyzer(), phrase=True),
        "agency": TEXT(analyzer=simple_analyzer(), phrase=False),
        "author": TEXT(analyzer=simple_analyzer(), phrase=True),
        # Columns for facet counts over all matches (read once per searcher).
        "source_facet": ID(sortable=True),
        "agency_facet": ID(sortable=True),
        "lang": ID(sortable=True),
        # Day ordinal of the publication date, 0 when undated: sorting, ranges, timelines.
        "day": NUMERIC(int, bits=32, sortable=True),
        # Days of the events an article mentions (zero-padded ordinals of their first day,
        # a letter for week/month/season/year precision):
        # filters results to a period on the event timeline, and its postings give the
        # event timeline of a query without reading stored fields.
        "event_day": KEYWORD(scorable=False),
        # Everything the UI shows, returned with a hit without touching the file.
        "meta": STORED(),
        "text": STORED(),
    }
    for lang in LANGUAGES:
        fields[f"title_{lang}"] = _discount_overlaps(
            TEXT(analyzer=analyzer_for(lang), field_boost=1.0))
        # chars=True: match offsets come straight from the postings
        # (index/whoosh_notes.md pitfall 3).
        fields[f"body_{lang}"] = _discount_overlaps(
            TEXT(analyzer=analyzer_for(lang), chars=True))
    return Schema(**fields)
