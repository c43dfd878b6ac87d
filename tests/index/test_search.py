"""Searching the seeds: ranking, folding, phrases, prefixes, fields, dates, spans."""

from __future__ import annotations

import datetime as dt

import pytest

from index.search import Index, QueryError
from index.snippets import make_snippets


def _paths(result) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(h.path for h in result.hits)


def test_ascii_spellings_find_umlauts(seed_index: Index) -> None:
    for q in ("Einschränkung", "Einschraenkung", "Einschrankung"):
        res = seed_index.search(q)
        assert _paths(res) == ["000_73fe919e8720b275.txt"], q


def test_spans_point_at_the_original_words(seed_index: Index) -> None:
    res = seed_index.search("Einschraenkung")
    hit = res.hits[0]
    art = seed_index.article(hit.doc_id)
    assert hit.spans
    assert all(art.text[s:e] == "Einschränkung" for s, e in hit.spans)
    for sn in hit.snippets:
        assert all(sn.text[s:e] == "Einschränkung" for s, e in sn.spans)


def test_phrase_finds_inflected_forms(seed_index: Index) -> None:
    res = seed_index.search('"einstweilige Verfügung"')
    assert res.total == 3
    art = seed_index.article(res.hits[0].doc_id)
    found = {art.text[s:e] for s, e in res.hits[0].spans}
    assert found <= {"einstweilige", "einstweiliger", "Verfügung"}


def test_hyphen_compound_parts(seed_index: Index) -> None:
    res = seed_index.search("Cloud")
    assert res.total == 2
    whole = seed_index.search("AWS-Cloud-Servern")
    assert _paths(whole) == ["000_73fe919e8720b275.txt"]


def test_austrian_month_equivalence(seed_index: Index) -> None:
    assert _paths(seed_index.search("Jänner")) == _paths(seed_index.search("Januar"))
    assert seed_index.search("Jänner").total == 3


def test_title_weighs_more_than_body(seed_index: Index) -> None:
    res = seed_index.search("Redefreiheit")
    assert res.hits[0].path == "000_73fe919e8720b275.txt"
    assert res.hits[0].title_spans


def test_boolean_prefix_fuzzy_and_fields(seed_index: Index) -> None:
    assert seed_index.search("Bloomberg").total == 1
    assert seed_index.search("Parler NOT Bloomberg").total == 2
    assert seed_index.search("Bloomberg OR Seattle").total == 2
    assert seed_index.search("Einschr*").total >= 1
    assert seed_index.search("Blomberg~").total == 1
    assert seed_index.search("title:Redefreiheit").total == 1
    assert seed_index.search("lang:de").total == 3
    assert seed_index.search("lang:en").total == 0


def test_date_forms(seed_index: Index) -> None:
    dated = [h for h in seed_index.search("", limit=10).hits if h.date]
    assert dated, "the seeds have dated articles"
    day = dated[0].date
    assert day is not None
    for q in (f"date:{day.year}", f"date:{day:%Y-%m}", f"date:{day:%Y-%m-%d}",
              f"date:[{day:%Y-%m-%d} TO {day:%Y-%m-%d}]", f"date:>={day:%Y-%m-%d}",
              f"date:<={day:%Y-%m}"):
        res = seed_index.search(q)
        assert dated[0].doc_id in {h.doc_id for h in res.hits}, q
    assert seed_index.search(f"date:>{day:%Y-%m-%d}").total < len(dated) + 1
    after = day + dt.timedelta(days=1)
    res = seed_index.search("Parler", since=after, until=after)
    assert day not in {h.date for h in res.hits}


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ('"einstweilige Verfügung', 0),
        ("(Parler AND Amazon", 0),
        ("Parler)", 6),
        ("foo:bar", 0),
        ("Parler AND", 7),
        ("title:", 0),
        ("date:2021-13", 5),
        ("a*", 1),
    ],
)
def test_query_errors_say_where(seed_index: Index, query: str, where: int) -> None:
    with pytest.raises(QueryError) as info:
        seed_index.search(query)
    assert info.value.position == where
    assert "\n" not in str(info.value)


def test_sort_by_date_puts_undated_last(seed_index: Index) -> None:
    res = seed_index.search("Parler", sort="date")
    dates = [h.date for h in res.hits]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)
    assert dates[: len(dated)] == dated


def test_facets_and_timeline(seed_index: Index) -> None:
    res = seed_index.search("Parler")
    assert res.facets is not None
    assert dict(res.facets.languages) == {"de": 3}
    tl = seed_index.timeline("Parler", by="day")
    assert tl.total_hits == 3
    assert sum(b.hits for b in tl.buckets) + tl.undated_hits == 3
    assert all(b.hits <= b.total for b in tl.buckets)
    narrow = seed_index.timeline("Bloomberg", by="month")
    assert narrow.total_hits == 1


def test_did_you_mean(seed_index: Index) -> None:
    res = seed_index.search("Amazn")
    assert res.total == 0
    assert res.suggestion is not None and "amazon" in res.suggestion.lower()


def test_article_and_match_spans(seed_index: Index) -> None:
    hit = seed_index.search("Kapitol").hits[0]
    art = seed_index.article(hit.doc_id)
    spans = seed_index.match_spans(hit.doc_id, "Kapitol")
    assert spans and all(art.text[s:e].lower().startswith("kapitol") for s, e in spans)
    with pytest.raises(KeyError):
        seed_index.article("nope")


def test_snippets_without_matches_show_the_lead() -> None:
    text = "Lesezeit: 2 Min.\n\nDie Klage wurde abgewiesen."
    furniture = [(0, 16)]
    (snip,) = make_snippets(text, [], furniture)
    assert snip.text.startswith("Die Klage")


def test_furniture_stays_out_of_snippets_and_ranking(seed_index: Index) -> None:
    res = seed_index.search("Klage")
    for hit in res.hits:
        for sn in hit.snippets:
            assert "In Pocket speichern" not in sn.text
            assert "Lesezeit" not in sn.text
    assert seed_index.search("Druckansicht").total == 0
    assert seed_index.search("Datenschutzerklärung").total == 0
    art = seed_index.article(seed_index.search("Redefreiheit").hits[0].doc_id)
    assert "Druckansicht" in art.text  # still shown in the source view
    assert any(art.text[s:e].startswith("In Pocket") for s, e in art.furniture)


def test_event_timeline_and_filter(seed_index: Index) -> None:
    mentions = seed_index.events("Parler")
    exprs = {(m.expression, m.value) for m in mentions}
    assert ("20. Jänner", "2021-01-20") in exprs and ("20. Januar", "2021-01-20") in exprs
    # The dateline and the agency credit are publication stamps, not events.
    assert not any(m.expression in ("13.01.2021", "21.1.2021") for m in mentions)
    for m in mentions:
        art = seed_index.article(m.doc_id)
        assert art.text[m.span[0]:m.span[1]] == m.expression
        assert m.sentence_span[0] <= m.span[0] and m.span[1] <= m.sentence_span[1]
        assert not m.sentence.startswith("date 2021-02")  # furniture is trimmed off
    tl = seed_index.event_timeline("Parler", by="year")
    assert {b.label: b.hits for b in tl.buckets if b.hits} == {"2018": 1, "2021": 5}
    jan20 = (dt.date(2021, 1, 20), dt.date(2021, 1, 20))
    res = seed_index.search("Parler", events=jan20)
    assert res.total == 2
    assert seed_index.search("Parler", events=(dt.date(2018, 1, 1), dt.date(2018, 12, 31))
                             ).total == 1
    assert [m.value for m in seed_index.events("", start=jan20[0], end=jan20[1])] == [
        "2021-01-20", "2021-01-20"]


def test_did_you_mean_keeps_operators(seed_index: Index) -> None:
    res = seed_index.search("Parler AND Amazn")
    assert res.suggestion is not None
    assert res.suggestion.startswith("Parler AND ") and "amazon" in res.suggestion.lower()


def test_each_article_is_analyzed_in_its_language(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from index.build import build_index

    corpus = tmp_path / "mixed"
    corpus.mkdir()
    (corpus / "en.txt").write_text(
        "Judges rule against the platform\n\nThe courts ruled that the company was running "
        "out of options and the judges agreed with the hosting provider.\n", "utf-8")
    (corpus / "de.txt").write_text(
        "Richter weisen Klage ab\n\nDie Gerichte haben entschieden, dass die Plattform "
        "keine Ansprüche hat. Der Richter folgte dem Anbieter.\n", "utf-8")
    build_index([corpus], tmp_path / "ix")
    ix = Index(tmp_path / "ix")
    try:
        langs = {h.path: h.language for h in ix.search("", limit=10).hits}
        assert langs == {"en.txt": "en", "de.txt": "de"}
        # English stemming: court/courts, run/running, rule/ruled.
        assert [h.path for h in ix.search("court").hits] == ["en.txt"]
        assert [h.path for h in ix.search("runs").hits] == ["en.txt"]
        # German stemming on the German article in the same query language-agnostically.
        assert [h.path for h in ix.search("Gericht").hits] == ["de.txt"]
        assert ix.search("lang:en court").total == 1
        assert ix.search("lang:de court").total == 0
    finally:
        ix.close()


def test_week_buckets(seed_index: Index) -> None:
    tl = seed_index.timeline("", by="week")
    assert tl.granularity == "week"
    assert all(b.start.weekday() == 0 and (b.end - b.start).days == 6 for b in tl.buckets)
    assert sum(b.total for b in tl.buckets) + tl.undated_total == 3


def test_snippets_add_to_the_title_instead_of_repeating_it(seed_index: Index) -> None:
    hit = seed_index.search("Einschraenkung").hits[0]
    assert hit.title.startswith("Wegen Einschränkung")
    assert hit.snippets and not any(sn.text.startswith("Wegen Einschränkung")
                                    for sn in hit.snippets)
    assert all("Einschränkung" in sn.text[s:e] for sn in hit.snippets for s, e in sn.spans)
    # A match only in the title line: the title shows it; the snippet is what follows.
    only_title = seed_index.search("erneut").hits[0]
    assert only_title.title_spans
    assert only_title.snippets and not only_title.snippets[0].spans
    assert not only_title.snippets[0].text.startswith("Wegen Einschränkung")


def test_a_one_line_article_does_not_repeat_its_title_in_the_snippet() -> None:
    text = ("Der Bundestag hat am Donnerstag das Gesetz zur Reform der Pflege beschlossen. "
            "Die Opposition kritisierte die Kosten. Der Bundesrat muss noch zustimmen.")
    title = "Der Bundestag hat am Donnerstag das Gesetz zur Reform der Pflege beschlossen"
    (lead,) = make_snippets(text, [], title=title)
    assert lead.text.startswith("Die Opposition")
    bundestag = text.index("Bundestag")
    (snip,) = make_snippets(text, [(bundestag, bundestag + 9)], title=title)
    assert snip.text.startswith("Die Opposition") and not snip.spans
    # After a place dateline, and when the whole file is that one sentence.
    (after,) = make_snippets("Berlin – " + text, [], title=title)
    assert after.text.startswith("Die Opposition")
    assert make_snippets(text.split(". ")[0] + ".", [], title=title) == []


def test_phrase_on_a_field_without_positions_is_a_query_error(seed_index: Index) -> None:
    with pytest.raises(QueryError, match="phrase"):
        seed_index.search('AGENCY:"0:0"')
    with pytest.raises(QueryError, match="phrase"):
        seed_index.search('agency:"dpa APA"')
    assert seed_index.search('source:"heise online"').total == 0  # source has positions


def test_did_you_mean_is_spelled_as_the_articles_spell_it(seed_index: Index) -> None:
    # Not the lower-cased index term: the form the articles use, capitals included.
    assert seed_index.suggest("Amazn") == "Amazon"
    assert seed_index.suggest("kapitoll") == "Kapitol"
    assert seed_index.suggest("Parlr klagt") == "Parler klagt"


@pytest.fixture(scope="module")
def overlap_index(tmp_path_factory: pytest.TempPathFactory):
    """Six articles with one word, six with another, one with both, and words one edit
    apart: Whoosh's size estimate of an AND or a fuzzy query is far from the count."""
    from index.build import build_index

    root = tmp_path_factory.mktemp("overlap")
    corpus = root / "c"
    corpus.mkdir()
    texts = ([f"Walross Nummer {i} schwimmt." for i in range(6)]
             + [f"Quokka Nummer {i} springt." for i in range(6)]
             + ["Walross und Quokka treffen sich.", "Walross, Walros, Walrosz und Walrus."])
    for i, text in enumerate(texts):
        (corpus / f"{i:02d}.txt").write_text(f"Bericht {i}\n\n{text}\n", encoding="utf-8")
        if i == 7:  # two segments, as after an incremental update
            build_index([corpus], root / "i")
    build_index([corpus], root / "i")
    ix = Index(root / "i")
    yield ix
    ix.close()


@pytest.mark.parametrize("query", ["Walross Quokka", "Walross~", "Walross NOT Quokka",
                                   '"Walross und Quokka"', "Walross OR Quokka", "Walr*"])
def test_total_is_exact_without_facets(overlap_index: Index, query: str) -> None:
    """``search --json`` asks without facets: its total is still the number of matches
    (Whoosh's estimate over-counted AND and fuzzy queries)."""
    full = overlap_index.search(query, limit=50)
    bare = overlap_index.search(query, limit=1, facets=False)  # the rest is not scored
    assert bare.total == full.total == len(full.hits)
    assert bare.facets is None
