"""Closed compounds: the splitter, its gold-list quality, and what a search finds."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from whoosh.analysis import CompositeAnalyzer, LowercaseFilter

from index.analysis import (
    GermanNormalizeFilter,
    GermanWordFilter,
    fold_german,
    german_analyzer,
    terms,
)
from index.build import build_index
from index.compounds import compound_parts, parse_lexicon, split_compound, split_with
from index.compounds_eval import evaluate
from index.search import Index, QueryError

SEED_000 = "000_73fe919e8720b275.txt"


def _split(word: str) -> list[str] | None:
    parts = split_compound(fold_german(word.lower()))
    return [p for _, p in parts] if parts else None


# -- the splitter ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("Redefreiheit", ["rede", "freiheit"]),
        ("Gerichtsbeschluss", ["gericht", "beschluss"]),
        ("Landtagswahlen", ["landtag", "wahlen"]),  # Landtag is listed whole: not split further
        ("Bundesregierungssprecher", ["bund", "regierung", "sprecher"]),
        ("Schulbuch", ["schule", "buch"]),  # Schule without its e
        ("Rechenzentren", ["rechen", "zentren"]),  # Zentrum, plural Zentren
        ("Bürgermeisterwahl", ["burgermeister", "wahl"]),  # folded, fewest parts
    ],
)
def test_compounds_split_into_known_words(word: str, parts: list[str]) -> None:
    assert _split(word) == parts


@pytest.mark.parametrize(
    "word",
    [
        # prefix derivations: a particle is never the first part
        "Einschränkung", "Verfügung", "Verhalten", "Vertrag", "Einstellung", "Abstimmung",
        "Auftrag", "Unterschied", "Teilnahme",
        # a derivational ending is never a part
        "Freiheit", "Wirtschaft", "Gemeinsamkeit", "fehlerhaft",
        # listed whole, too short, or not covered completely by known words
        "Landtag", "Freitag", "Wahl", "Parler", "Wahlxyz", "Altmaier",
    ],
)
def test_words_that_stay_whole(word: str) -> None:
    assert _split(word) is None


def test_offsets_are_inside_the_folded_word() -> None:
    word = fold_german("gerichtsbeschluss")
    assert split_compound(word) == [(0, "gericht"), (8, "beschluss")]
    assert word[8:] == "beschluss"


def test_list_rules_linking_elements_and_minimum_part() -> None:
    lex = parse_lexicon(["Haus Tür Amt  # comment", "hoch-  Ei"])
    assert split_with("haustur", lex) == [(0, "haus"), (4, "tur")]
    assert split_with("hausestur", lex) == [(0, "haus"), (6, "tur")]  # linking -es-
    assert split_with("hochhaus", lex) == [(0, "hoch"), (4, "haus")]
    assert split_with("haushoch", lex) is None  # hoch- never ends a compound
    assert split_with("eihaus", lex) is None  # Ei is shorter than a part may be
    assert split_with("hausxtur", lex) is None  # x is no linking element


def test_list_rules_particles_and_suffixes() -> None:
    """Even when the list has the particle and the tail, derivations stay whole."""
    lex = parse_lexicon(["ein ver auf Stellung Trag Halt Schrank Frei heit ung Wahl Haft-"])
    for word in ("einstellung", "vertrag", "verhalten", "auftrag", "freiheit", "wahlung"):
        assert split_with(word, lex) is None, word
    assert split_with("wahlstellung", lex) == [(0, "wahl"), (4, "stellung")]
    assert split_with("haftwahl", lex) == [(0, "haft"), (4, "wahl")]  # Haft-, not -haft
    assert split_with("wahlhaft", lex) is None


# -- quality on the gold list ------------------------------------------------------------------


def test_gold_list_recall_and_precision() -> None:
    """Thresholds a little under what was measured (tuned 109/110 and 108/108;
    second held-out set, never used to change the list, 46/50 and 37/39): a change
    to the rules or the list that loses compounds or splits whole words fails."""
    result = evaluate()
    tuned, heldout, fresh = result["tuned"], result["heldout"], result["heldout2"]
    assert tuned.compounds >= 80 and tuned.whole >= 60
    assert tuned.recall >= 0.95 and tuned.precision >= 0.98
    assert heldout.recall >= 0.95 and heldout.precision >= 0.93
    assert fresh.recall >= 0.88 and fresh.precision >= 0.92


# -- the analyzer ------------------------------------------------------------------------------


def _tokens(text: str, mode: str = "index") -> list[tuple[str, int, int, int]]:
    return [(t.text, t.pos, t.startchar, t.endchar)
            for t in german_analyzer()(text, positions=True, chars=True, mode=mode)]


def test_parts_share_the_position_and_offsets_of_the_whole_word() -> None:
    text = "Die Redefreiheit gilt"
    toks = _tokens(text)
    assert toks[0] == ("die", 0, 0, 3)  # stop words are indexed at their positions
    assert toks[1] == ("redefrei", 1, 4, 16)
    assert toks[2:4] == [("red", 1, 4, 16), ("freiheit", 1, 4, 16)]
    assert toks[4][:2] == ("gilt", 2)


def _chain_without_compounds() -> CompositeAnalyzer:
    """The German chain as it was before closed compounds: separate lower-casing
    and normalization filters in place of GermanWordFilter."""
    items = []
    for f in german_analyzer().items:
        items += [LowercaseFilter(), GermanNormalizeFilter()] if isinstance(
            f, GermanWordFilter) else [f]
    return CompositeAnalyzer(*items)


def test_decompounding_adds_parts_and_changes_nothing_else() -> None:
    text = ("Nach dem Gerichtsbeschluss wirft die Landtagswahl-Kommission der "
            "Bundesregierung Vertragsbruch vor, sagte der Regierungssprecher am Freitag "
            "im Jänner. Die Straße und der Müller-Prozess. Wahl und Einschränkung.")
    kw = {"positions": True, "chars": True, "mode": "index"}
    new = [(t.text, t.pos, t.startchar, t.endchar) for t in german_analyzer()(text, **kw)]
    old = [(t.text, t.pos, t.startchar, t.endchar)
           for t in _chain_without_compounds()(text, **kw)]
    assert len(new) > len(old)
    # Every token of the chain without compounds is still there, at the same place...
    assert [tok for tok in new if tok in set(old)] == old
    # ...and every added token is a part at the position and offsets of a word.
    places = {tok[1:] for tok in old}
    assert all(tok[1:] in places for tok in new if tok not in set(old))
    # Queries: exactly the terms they had before.
    assert [t.text for t in german_analyzer()(text, mode="query")] == [
        t.text for t in _chain_without_compounds()(text, mode="query")]


def test_hyphen_parts_are_split_again() -> None:
    toks = _tokens("Bundesregierungs-Sprecher")
    assert [t[0] for t in toks] == [
        "bundesregierungs-sprech", "bundesregier", "bund", "regier", "sprech"]
    assert {(t[1], t[2], t[3]) for t in toks[1:4]} == {(0, 0, 16)}


def test_only_capitalized_words_are_split() -> None:
    """Nouns are capitalized; lowercase words (verb forms, participles, adjectives)
    stay whole even where listed words cover them; -ende needs a linking element."""
    assert len(_tokens("Gerichtsbeschluss")) == 3
    assert len(_tokens("GERICHTSBESCHLUSS")) == 3
    assert _split("gerichtsbeschluss") is not None  # the splitter could...
    assert len(_tokens("gerichtsbeschluss")) == 1  # ...but a lowercase word stays whole
    assert _split("Wartende") is None and _split("Kriegsende") == ["krieg", "ende"]


def test_parts_that_folding_would_change_are_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    import index.compounds as compounds

    monkeypatch.setattr(compounds, "_lexicon", parse_lexicon(["Ost- Europäer Wahl"]))
    # europaer would become europar when normalized again: not indexed as a part.
    assert compound_parts("Osteuropäer", fold_german("osteuropäer")) == ("ost",)
    assert compound_parts("Ostwahl", "ostwahl") == ("ost", "wahl")


def test_queries_are_not_split() -> None:
    assert terms("Redefreiheit") == ["redefrei"]
    assert [t[0] for t in _tokens("Redefreiheit", mode="query")] == ["redefrei"]


def test_analyzer_pickles_without_the_word_list() -> None:
    data = pickle.dumps(german_analyzer())
    assert len(data) < 20_000  # the stop list, not thousands of words
    assert b"landtag" not in data
    assert pickle.loads(data) == german_analyzer()


# -- searching ---------------------------------------------------------------------------------


def test_part_finds_the_compound_and_highlights_the_whole_word(seed_index: Index) -> None:
    res = seed_index.search("Freiheit")
    assert SEED_000 in {h.path for h in res.hits}
    hit = next(h for h in res.hits if h.path == SEED_000)
    text = seed_index.article(hit.doc_id).text
    assert hit.spans
    assert {text[s:e] for s, e in hit.spans} == {"Redefreiheit"}
    assert all(sn.text[s:e] == "Redefreiheit" for sn in hit.snippets for s, e in sn.spans)
    assert {text[s:e] for s, e in hit.title_spans} <= {"Redefreiheit"}


def test_beschluss_finds_gerichtsbeschluss(seed_index: Index) -> None:
    res = seed_index.search("Beschluss")
    assert res.total == 1
    hit = res.hits[0]
    text = seed_index.article(hit.doc_id).text
    assert {text[s:e] for s, e in hit.spans} == {"Gerichtsbeschluss"}


def test_phrases_see_parts_at_the_compound_position(seed_index: Index) -> None:
    assert SEED_000 in {h.path for h in seed_index.search('"die Redefreiheit"').hits}
    # The word after a compound follows it directly, for the whole word and for a part.
    for q in ('"Redefreiheit ausgerichtete"', '"Freiheit ausgerichtete"'):
        assert [h.path for h in seed_index.search(q).hits] == [SEED_000], q
    both = seed_index.search('"Verschwörungstheorien wanderten"').total
    assert both >= 2 and seed_index.search('"Theorien wanderten"').total == both
    assert seed_index.search('"Freiheit Plattform"').total == 0


def test_whole_word_query_is_still_exact(seed_index: Index) -> None:
    assert seed_index.search("Gerichtsbeschluss").total == 1
    assert seed_index.search("Rede").total >= 1  # the first part is indexed too


@pytest.fixture
def small_index(tmp_path: Path):  # type: ignore[no-untyped-def]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "wahl.txt").write_text(
        "Ergebnisse aus Bayern\n\nBei der Landtagswahl am Sonntag hat die Partei in "
        "München deutlich gewonnen, berichtet die Zeitung.\n", "utf-8")
    (corpus / "derivationen.txt").write_text(
        "Streit um den Dienst\n\nDie Einschränkung und eine Verfügung des Gerichts: das "
        "Verhalten der Firma nach dem Vertrag und die Einstellung des Dienstes wurden "
        "in der Zeitung kritisiert.\n", "utf-8")
    build_index([corpus], tmp_path / "ix")
    ix = Index(tmp_path / "ix")
    yield ix
    ix.close()


def test_wahl_finds_landtagswahl(small_index: Index) -> None:
    assert [h.path for h in small_index.search("Wahl").hits] == ["wahl.txt"]
    assert [h.path for h in small_index.search("Wahlen").hits] == ["wahl.txt"]
    # Landtag and Sonntag are listed whole: the split stops there.
    assert [h.path for h in small_index.search("Landtag").hits] == ["wahl.txt"]
    assert small_index.search("Tag").total == 0


@pytest.mark.parametrize("word", ["Schrank", "Fügung", "Halt", "Trag", "Stellung"])
def test_prefix_derivations_are_not_found_by_their_tails(small_index: Index, word: str) -> None:
    assert small_index.search(word).total == 0
    assert small_index.search("Einschränkung Verfügung Verhalten Vertrag Einstellung").total == 1


def test_leading_wildcard_says_to_search_the_word_alone(seed_index: Index) -> None:
    with pytest.raises(QueryError) as info:
        seed_index.search("*wahl")
    message = str(info.value)
    assert "search 'wahl' alone" in message and "\n" not in message


def test_did_you_mean_suggests_the_part_not_the_compound(seed_index: Index) -> None:
    """A part's postings point at the whole compound; the suggestion for a
    misspelt part is the part, as the articles spell it (``Beschlus`` -> ``Beschluss``)."""
    assert seed_index.search("Beschlus").suggestion == "Beschluss"
    assert seed_index.search("Gerichtsbeschlus").suggestion == "Gerichtsbeschluss"


def test_a_missing_word_list_splits_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import index.compounds as compounds

    monkeypatch.setattr(compounds, "WORD_LIST", "no-such-list.txt")
    monkeypatch.setattr(compounds, "_lexicon", None)
    assert split_compound("redefreiheit") is None


def test_parts_do_not_lengthen_the_field() -> None:
    """BM25 divides by the field length: parts at their compound's position must
    not count, or articles with many compounds drop for every query."""
    from whoosh.filedb.filestore import RamStorage

    from index.schema import make_schema

    ix = RamStorage().create_index(make_schema())
    with ix.writer() as w:
        w.add_document(doc_id="a", body_de="Die Redefreiheit gilt", title_de="Landtagswahl")
    with ix.searcher() as s:
        assert s.doc_field_length(0, "body_de") == 3  # die, redefreiheit, gilt: no parts
        assert s.doc_field_length(0, "title_de") == 1
        # ...while the parts are indexed with their frequency and offsets.
        assert s.frequency("body_de", "freiheit") == 1
        assert s.frequency("title_de", "wahl") == 1
        m = s.postings("body_de", "freiheit")
        assert m.value_as("characters") == [(1, 4, 16)]
