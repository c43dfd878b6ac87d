"""The analyzers: German folding and stemming, compounds, Austrian months, offsets."""

from __future__ import annotations

import pickle

import pytest

from index.analysis import fold_german, german_analyzer, terms


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Einschränkung", "Einschraenkung"),
        ("Einschränkung", "Einschrankung"),
        ("Müller", "Mueller"),
        ("Straße", "Strasse"),
        ("Jänner", "Januar"),
        ("Jaenner", "Januar"),
        ("Feber", "Februar"),
        ("einstweiliger", "einstweilige"),
        ("Verfügung", "Verfuegung"),
        ("Klage", "Klagen"),
    ],
)
def test_variants_meet_on_one_term(a: str, b: str) -> None:
    assert terms(a) == terms(b)


def test_ue_is_folded_everywhere() -> None:
    assert fold_german("feuer") == "feur"
    assert fold_german("geuebt") == fold_german("geübt") == "geubt"
    assert fold_german("mueller") == "muller"


def test_stop_words_are_folded_and_dropped_from_query_words() -> None:
    assert terms("für über die der und") == []


def test_stop_words_are_indexed_at_their_positions() -> None:
    toks = [(t.text, t.pos) for t in german_analyzer()(
        "Einschränkung der Redefreiheit", positions=True, mode="index")]
    assert [p for _, p in toks][:1] == [0]
    assert ("der", 1) in toks
    assert ("einschrank", 0) in toks


def test_phrases_keep_stop_words_in_the_query() -> None:
    toks = [t.text for t in german_analyzer()(
        "Einschränkung der Redefreiheit", mode="query", removestops=False)]
    assert "der" in toks


def test_hyphen_compound_whole_and_parts_with_offsets() -> None:
    text = "Die AWS-Cloud-Servern gingen"
    toks = [(t.text, t.pos, t.startchar, t.endchar)
            for t in german_analyzer()(text, positions=True, chars=True, mode="query")]
    assert toks[0] == ("aws-cloud-serv", 1, 4, 21)
    assert [t[0] for t in toks[1:4]] == ["aws", "cloud", "serv"]
    assert [text[s:e] for _, _, s, e in toks[1:4]] == ["AWS", "Cloud", "Servern"]
    assert toks[4][1] == 4  # the word after the compound follows its last part


def test_offsets_point_at_original_words_after_folding() -> None:
    text = "Straße und Einschränkung"
    for tok in german_analyzer()(text, chars=True, mode="query"):
        assert text[tok.startchar:tok.endchar] in ("Straße", "Einschränkung")


def test_english_stemming() -> None:
    assert terms("running runs", "en") == ["run", "run"]
    assert terms("the court", "en") == ["court"]


def test_analyzer_pickles_for_the_index() -> None:
    a = pickle.loads(pickle.dumps(german_analyzer()))
    assert [t.text for t in a("Klagen")] == ["klag"]


def test_ascii_ue_after_a_vowel_meets_the_umlaut() -> None:
    assert terms("geuebter Ausgeuebt") == terms("geübter Ausgeübt")
    assert terms("Feuer") == terms("Feuer")  # folded the same way on both sides
