"""The query language: per-language parts, bounds on expensive forms, and one-line
errors for everything Whoosh's own parser would crash on or run for a minute."""

from __future__ import annotations

import pytest

from index.query import QueryError, field_term, validate
from index.search import Index


@pytest.mark.parametrize("q", [
    "a^0", "title:Klage^0", "Klage^-1", "Klage^1e9",  # ZeroDivisionError / nonsense boosts
    "Klage~1/5", "abc~2/99", "die~/4",  # IndexError: a fixed prefix past the word
    "Klage~99", "Klage~3", "Seimen~0",  # an edit distance of 3+ expands to every term
    "body:[a TO]", "[a TO b]", "title:{a TO z}", "source:[a TO z]",  # text ranges
    "source:.", 'source:""', "title:!!",  # empty field filters
    "NOT NOT Parler", "Parler NOT OR Amazon",  # Whoosh: "list index out of range"
    "Klage~1/0", "Klage~1~1", "Kl*~", "Kla~ge",  # read silently as other queries before
])
def test_forms_that_crash_or_run_away_are_one_line_errors(seed_index: Index, q: str) -> None:
    with pytest.raises(QueryError) as err:
        seed_index.search(q)
    assert err.value.position is not None
    assert len(str(err.value).splitlines()) == 1


@pytest.mark.parametrize("q", ["Klage~", "Klage~2", "Klage~1/2", "Klage^2", '"Klage gegen"^2',
                               "date:[2021-01 TO 2021-02]", "date:[2021 TO]", "Amazon~2/3"])
def test_sound_forms_still_work(seed_index: Index, q: str) -> None:
    validate(q)
    assert seed_index.search(q).total >= 1


@pytest.mark.parametrize("value, term", [
    ("heise", "source:heise"),
    ("Perth Herald", 'source:"Perth Herald"'),
    ("OR", 'source:"OR"'),
    ("NOT", 'source:"NOT"'),
    ('Der "Standard"', 'source:"Der Standard"'),
    ("+++", None),
    ("", None),
])
def test_facet_values_become_query_terms(value: str, term: str | None) -> None:
    assert field_term("source", value) == term
    if term is not None:
        validate(term)
        validate(f"Klage {term}")


def test_facet_value_that_is_an_operator_filters(seed_index: Index) -> None:
    # Before: "source:OR" made OR an operator ("needs a term after it").
    seed_index.search(f"Amazon {field_term('source', 'OR')}")


def test_prefix_expansion_is_bounded(seed_index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    import index.query as iq

    everything = seed_index.search("Pa*").total
    monkeypatch.setattr(iq, "PREFIX_EXPANSION_LIMIT", 1)
    assert 0 < seed_index.search("Pa*").total <= everything


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """600 short articles that all say "Klage": enough matches to cross budget checks."""
    from index.build import build_index

    root = tmp_path_factory.mktemp("many")
    corpus = root / "corpus"
    corpus.mkdir()
    for i in range(600):
        (corpus / f"{i:03d}.txt").write_text(f"Meldung {i}\n\nEine Klage Nummer {i}.\n")
    build_index([corpus], root / "idx")
    ix = Index(root / "idx")
    yield ix
    ix.close()


def test_a_search_stops_at_its_budget(many: Index) -> None:
    full = many.search("Klage", limit=5)
    assert full.total == 600 and not full.partial
    late = many.search("Klage", limit=5, budget_s=-1.0)
    assert late.partial and late.facets is None  # total: the estimate of the postings
    gave_up = many.search("Klage", limit=5, cancelled=lambda: True)
    assert gave_up.partial


def test_author_field_and_agency_facet(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from index.build import build_index

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.md").write_text("---\ntitle: Klage eingereicht\nauthor: Anna Berger\n"
                                 "agency: dpa\ndate: 2021-01-13\n---\nDie Klage liegt vor.\n")
    (corpus / "b.md").write_text("---\ntitle: Noch eine Klage\nauthor: Max Huber\n"
                                 "agency: APA\ndate: 2021-02-01\n---\nEine Klage mehr.\n")
    build_index([corpus], tmp_path / "idx")
    ix = Index(tmp_path / "idx")
    try:
        assert [h.path for h in ix.search("author:Berger").hits] == ["a.md"]
        assert [h.path for h in ix.search('author:"Max Huber" Klage').hits] == ["b.md"]
        facets = ix.search("Klage").facets
        assert facets is not None
        assert dict(facets.agencies) == {"dpa": 1, "APA": 1}
        assert dict(facets.months) == {"2021-01": 1, "2021-02": 1}
    finally:
        ix.close()


def test_a_word_longer_than_a_snippet_is_shown_not_a_crash(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from index.build import build_index

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("T\n\nParler " + "x" * 300 + " Ende\n")
    build_index([corpus], tmp_path / "idx")
    ix = Index(tmp_path / "idx")
    try:
        for q in ("xx*", "x" * 300, "Parler"):
            res = ix.search(q)
            assert res.total == 1 and res.hits[0].snippets, q
    finally:
        ix.close()


def test_a_tag_nobody_has_selects_nothing(seed_index: Index) -> None:
    assert seed_index.search("", ids=set()).total == 0
    assert seed_index.search("Parler", ids=set()).hits == ()
    assert seed_index.search("Parler", ids=set(), since=__import__("datetime").date(2021, 1, 1)
                             ).hits == ()
    assert seed_index.timeline("Parler", ids=set()).total_hits == 0


def test_prefix_scanning_is_bounded(seed_index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    import index.query as iq

    everything = seed_index.search("Pa*").total
    monkeypatch.setattr(iq, "PREFIX_SCAN_LIMIT", 1)
    assert seed_index.search("Pa*").total <= everything


# --- every lexer and validator error points at its own column ---------------------------------

# (query, the text the error must point at, a word of the message). "Klage " in front
# keeps the column away from 0, where an error that forgot its position would land.
COLUMNS = [
    ('Klage "offen', '"offen', "unclosed quote"),
    ("Klage (a OR b", "(", "never closed"),
    ("Klage (a) (b", "(b", "never closed"),
    ("Klage (a (b OR c", "(b", "never closed"),  # the innermost open one
    ("Klage )", ")", "without a matching '('"),
    ("Klage ()", "()", "empty parentheses"),
    ("Klage ]", "]", "without a matching opening"),
    ("Klage date:[2021 TO", "[", "never closed"),
    ("Klage [a TO b]", "[a", "only on dates"),
    ("Klage date: [2021 TO 2022]", "[", "only on dates"),
    ("Klage OR", "OR", "after it"),
    ("Klage AND OR x", "OR", "before it"),
    ("(AND x)", "AND", "before it"),
    ("Klage NOT NOT x", "NOT NOT", "NOT needs a term after it"),
    ("Klage titel:x", "titel:", "unknown field"),
    ("Klage title:", "title:", "nothing to search after"),
    ("Klage (title:)", "title:", "nothing to search after"),
    ("Klage title:!!", "!!", "needs a word"),
    ("Klage - x", "- x", "right after it"),
    ("Klage *berg", "*berg", "cannot start with a wildcard"),
    ("Klage a*", "*", "at least"),
    ("Klage Kla~ge", "~ge", "at the end of a word"),
    ("Klage Klage~1~1", "~1~1", "one ~"),
    ("Klage Kl*~", "~", "not both"),
    ("Klage Klage~3", "~3", "edits"),
    ("Klage Klage~1/", "~1/", "a number after /"),
    ("Klage Klage~1/0", "~1/0", "1 letter or more"),
    ("Klage Klage~1/5", "~1/5", "shorter than"),
    ("Klage Klage^x", "^x", "a number after ^"),
    ("Klage Klage^0", "^0", "above 0"),
    ('Klage "Klage gegen"^0', "^0", "above 0"),
]


@pytest.mark.parametrize(("q", "at", "says"), COLUMNS, ids=[c[0] for c in COLUMNS])
def test_each_syntax_error_points_at_its_column(q: str, at: str, says: str) -> None:
    with pytest.raises(QueryError) as err:
        validate(q)
    where = q.rindex(at) if at in ("(b", "~", "^0") else q.index(at)
    assert err.value.position == where, (err.value.position, where, str(err.value))
    assert says in err.value.message
    assert str(err.value) == f"{err.value.message} (at column {where + 1})"
    assert "\n" not in str(err.value)


def test_a_query_too_long_points_at_the_limit() -> None:
    with pytest.raises(QueryError) as err:
        validate("Klage " * 400)
    assert err.value.position == 2000


@pytest.mark.parametrize(("q", "at", "says"), [
    ("Klage date:2021-13", "2021-13", "not a date"),
    ("Klage date:>2021-13", "2021-13", "not a date"),
    ("Klage date:<=31.02.2021", "31.02.2021", "not a date"),
    ("Klage date:[2021-03 TO 2021-01]", "[", "ends before it starts"),
    ("Klage date:[2021-01]", "[", "the form [FROM TO UNTIL]"),
    ("Klage date:[2021-01 TO 2021-xx]", "[", "not a date"),
])
def test_date_errors_point_at_the_date(seed_index: Index, q: str, at: str, says: str) -> None:
    with pytest.raises(QueryError) as err:
        seed_index.search(q)
    assert err.value.position == q.index(at), str(err.value)
    assert says in err.value.message and "\n" not in str(err.value)


@pytest.mark.parametrize("q", ["U0U0HEIT~/5", "Quokka2heit~1/9", "Parler2heit~2/10"])
def test_a_fuzzy_prefix_longer_than_the_analyzed_term_is_not_a_crash(seed_index: Index,
                                                                     q: str) -> None:
    """The prefix fits the word as typed, but the analyzer made the term shorter: this
    raised IndexError inside Whoosh (found by tests/robust/test_fuzz.py)."""
    validate(q)
    seed_index.search(q)
