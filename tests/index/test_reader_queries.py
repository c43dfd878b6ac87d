"""Queries the way readers type them: headlines, remembered sentences, stop words,
ASCII spellings, half-typed words, and both languages in one corpus.

The cases are drawn from the articles themselves (their titles, and windows of
consecutive words at fixed offsets), not written next to the code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index.build import build_index
from index.query import QueryError
from index.search import Index

ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                       "ß": "ss"})
WORD = re.compile(r"\w+(?:-\w+)*")


def _first(ix: Index, q: str, **kw) -> str | None:  # type: ignore[no-untyped-def]
    res = ix.search(q, limit=3, **kw)
    return res.hits[0].doc_id if res.hits else None


def _articles(ix: Index) -> list[tuple[str, str, str]]:
    """(id, title, text) of every article, page furniture (share bars, reading-time
    lines: never indexed, as a reader would not remember them) blanked out."""
    out = []
    for doc_id in ix.ids():
        art = ix.article(doc_id)
        text = art.text
        for a, b in art.furniture:
            text = text[:a] + "\n" * (b - a) + text[b:]
        out.append((doc_id, art.title, text))
    return out


def test_every_title_finds_its_article_first(seed_index: Index) -> None:
    for doc_id, title, _ in _articles(seed_index):
        assert title
        for q in (title, f'"{title}"', title.translate(ASCII), title.lower()):
            clean = q.replace(":", " ") if not q.startswith('"') else q.replace(":", "")
            assert _first(seed_index, clean) == doc_id, q


def test_remembered_sentences_find_their_article_first(seed_index: Index) -> None:
    checked = 0
    for doc_id, title, text in _articles(seed_index):
        body = text[len(title):] if text.startswith(title) else text
        words = [w for para in re.split(r"\n\s*\n", body) for w in WORD.findall(para) + ["\n"]]
        for start in range(0, max(1, len(words) - 5), 17):
            window = words[start:start + 5]
            if len(window) < 5 or "\n" in window:
                continue  # a reader remembers words of one paragraph
            for q in (" ".join(window), '"' + " ".join(window) + '"',
                      " ".join(window).translate(ASCII)):
                assert doc_id in [h.doc_id for h in seed_index.search(q, limit=3).hits], q
            checked += 1
    assert checked >= 15


def test_a_phrase_checks_its_stop_words(seed_index: Index) -> None:
    (doc,) = [d for d, t, _ in _articles(seed_index) if "Einschränkung der" in t]
    assert _first(seed_index, '"Einschränkung der Redefreiheit"') == doc
    assert seed_index.search('"Einschränkung und Redefreiheit"').total == 0
    assert seed_index.search('"Einschraenkung der Redefreiheit"').total == 1


def test_stop_words_in_plain_queries_are_dropped_per_language(seed_index: Index) -> None:
    assert seed_index.search("Klage gegen").total >= 1
    assert seed_index.search("gegen Amazon").total == seed_index.search("Amazon").total


def test_only_stop_words_are_searched_as_words_with_a_hint(seed_index: Index) -> None:
    res = seed_index.search("die der und")
    assert res.total == 3  # every seed has all three
    assert res.notice and "quote" in res.notice
    assert seed_index.search("Klage die").notice is None
    assert seed_index.search('"gegen Amazon"').total >= 1


def test_only_punctuation_is_a_query_error(seed_index: Index) -> None:
    with pytest.raises(QueryError, match="type a word"):
        seed_index.search("!!! ...")


def test_the_word_being_typed_is_completed(seed_index: Index) -> None:
    assert seed_index.search("Einschr").total == 0
    res = seed_index.search("Einschr", complete_last=True)
    assert res.total == 1 and res.completing == "Einschr"
    # Once a space follows, the word is whole again.
    assert seed_index.search("Einschr ", complete_last=True).total == 0
    assert seed_index.search("Einschr ", complete_last=True).completing is None
    # Inside quotes and after date: nothing is completed.
    assert seed_index.search('"Einschr"', complete_last=True).completing is None
    assert seed_index.search("Parler Verf", complete_last=True).total >= 1
    # A finished stop word at the end does not narrow the results to words starting with it.
    assert (seed_index.search("Klage gegen", complete_last=True).total
            == seed_index.search("Klage", complete_last=True).total)


def test_prefixes_match_unstemmed_words(seed_index: Index) -> None:
    # "Einschränkung" is indexed as the stem "einschrank"; "Einschränkung*" still finds
    # it, and a prefix is not stemmed into something shorter ("Verfüg*" vs "verfug").
    assert seed_index.search("Einschränkung*").total == 1
    assert seed_index.search("Einschraenk*").total == 1
    assert seed_index.search("Verfügung*").total >= 1


@pytest.fixture
def mixed_index(tmp_path: Path):  # type: ignore[no-untyped-def]
    corpus = tmp_path / "mixed"
    corpus.mkdir()
    (corpus / "de.txt").write_text(
        "Druck auf die Regierung\n\nDie Regierung steht unter Druck auf allen Seiten, "
        "sagte der Minister am Montag in Wien.\n", encoding="utf-8")
    (corpus / "en.txt").write_text(
        "Pressure on the government\n\nThe government is under pressure from all sides, "
        "the minister said on Monday in London. The people of the city protested.\n",
        encoding="utf-8")
    build_index([corpus], tmp_path / "idx")
    ix = Index(tmp_path / "idx")
    yield ix
    ix.close()


def test_queries_are_read_per_language(mixed_index: Index) -> None:
    ids = {h.path: h.doc_id for h in mixed_index.search("", limit=10).hits}
    assert _first(mixed_index, "Druck auf") == ids["de.txt"]
    assert _first(mixed_index, "the government") == ids["en.txt"]
    assert _first(mixed_index, "Pressure on the government") == ids["en.txt"]
    assert _first(mixed_index, '"the minister said"') == ids["en.txt"]
    assert mixed_index.search('"the ministers said"').total == 1  # stemmed, like the text
    assert mixed_index.search('"a minister said"').total == 0
    assert _first(mixed_index, "title:Druck auf") == ids["de.txt"]


def test_negation_keeps_to_each_language(mixed_index: Index) -> None:
    paths = {h.path for h in mixed_index.search("NOT Regierung", limit=10).hits}
    assert paths == {"en.txt"}
    paths = {h.path for h in mixed_index.search("NOT government", limit=10).hits}
    assert paths == {"de.txt"}


def test_a_phrase_being_typed_completes_its_last_word(seed_index: Index) -> None:
    # Exact, the open quote is an error; typed at the end, it is closed and its
    # unfinished last word completed, like match_phrase_prefix.
    with pytest.raises(QueryError):
        seed_index.search('"einstweilige Verf')
    res = seed_index.search('"einstweilige Verf', complete_last=True)
    assert res.total >= 1 and res.completing == "Verf"
    assert seed_index.search('"einstweilige Verf"', complete_last=True).total == 0
    # The words must still stand in order: "Verfügung einstweilige" is no match.
    assert seed_index.search('"Verfügung einstw', complete_last=True).total == 0
    # One unfinished word alone in quotes is a prefix; an open bracket is closed too.
    assert seed_index.search('"Einschr', complete_last=True).total == 1
    assert seed_index.search("(Parler OR Einschr", complete_last=True).total == 3
    assert seed_index.search('"Einschränkung der Rede', complete_last=True).total == 1
    assert seed_index.search('"Einschränkung und Rede', complete_last=True).total == 0


def test_typing_view_reads_the_end_as_unfinished() -> None:
    from index.query import OPEN_PHRASE, typing_view

    assert typing_view('"einstweilige Verf') == (
        f'"einstweilige Verf{OPEN_PHRASE}"', (14, "Verf"))
    assert typing_view("(Klage OR Verf") == ("(Klage OR Verf*)", (10, "Verf"))
    assert typing_view("Klage ") == ("Klage ", None)
    assert typing_view('"a b" c') == ('"a b"', None)  # one letter: the words before it
    assert typing_view('"a b" cde') == ('"a b" cde*', (6, "cde"))
    assert typing_view("(Klage OR") == ("(Klage*)", (1, "Klage"))
    assert typing_view("Bloomberg AND (") == ("Bloomberg*", (0, "Bloomberg"))
    assert typing_view("quokka lang:en") == ("quokka lang:en", None)  # a value, not a word


def test_quoted_hyphenated_words_find_their_articles(seed_index: Index) -> None:
    # The whole word and its parts share positions in the index; a phrase of them must
    # line up the same way ("Online-Plattform" used to find nothing).
    checked = 0
    for doc_id, _title, text in _articles(seed_index):
        words = re.findall(r"(\w+\s+)?(\w+(?:-\w+)+)", text)
        for before, word in words[:4]:
            for q in (f'"{word}"', f'"{before}{word}"'):
                assert doc_id in [h.doc_id for h in seed_index.search(q, limit=5).hits], q
            checked += 1
    assert checked >= 6


def test_colons_and_question_marks_in_prose_are_punctuation(seed_index: Index) -> None:
    # Headlines and sentences have colons ("Redefreiheit: Parler", "Stand: 12:05 Uhr")
    # and questions; they used to be unknown fields or wildcards that found nothing.
    for doc_id, title, _ in _articles(seed_index):
        if ":" in title:
            assert _first(seed_index, title) == doc_id, title
            assert _first(seed_index, title + "?") == doc_id, title
    assert seed_index.search("Was wird aus Parler?").total >= 1
    assert seed_index.search("Parler?").total == seed_index.search("Parler").total
    with pytest.raises(QueryError, match="unknown field"):
        seed_index.search("titel:Parler")  # a typo of a field is still an error


def test_typing_the_first_letters_of_a_word_keeps_the_results(seed_index: Index) -> None:
    full = seed_index.search("Wegen Einschränkung der", complete_last=True).total
    assert full >= 1
    for q in ("Wegen Einschränkung der R", "Wegen Einschränkung der Re",
              '"Einschränkung der Re', "(Parler OR", "Parler AND (", "Parler NOT"):
        assert seed_index.search(q, complete_last=True).total >= 1, q


def test_a_hyphenated_query_finds_its_parts(seed_index: Index) -> None:
    # "AWS-Cloud-Servern" is in a seed; the query spells only its tail.
    assert seed_index.search("Cloud-Servern").total >= 1
    assert seed_index.search("Cloud-Serv", complete_last=True).total >= 1


def test_a_part_left_with_filters_only_keeps_to_its_language(mixed_index: Index) -> None:
    # "der" is dropped from the German part: what is left must still be German articles.
    paths = {h.path for h in mixed_index.search("lang:de der", limit=10).hits}
    assert paths == {"de.txt"}
    paths = {h.path for h in mixed_index.search("date:undated der", limit=10).hits}
    assert paths == {"de.txt"}
