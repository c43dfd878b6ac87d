"""Article metadata and web-page furniture (index.metadata)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.metadata import Metadata, detect_language, extract_metadata, find_furniture

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
D = datetime.date

GERMAN = (
    "Der Konzern hat am Montag seine Zahlen vorgelegt. Der Umsatz stieg deutlich, "
    "wie ein Sprecher sagte. Weitere Einzelheiten nannte er nicht."
)
ENGLISH = (
    "The company said on Monday that it had filed a new lawsuit against the retailer, "
    "which has denied the claims."
)


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def meta(
    text: str, front: dict[str, Any] | None = None, side: dict[str, Any] | None = None
) -> tuple[Metadata, list[str]]:
    return extract_metadata(text, front or {}, side or {}, "2021-01-13_article.txt")


def furniture_lines(text: str) -> list[str]:
    return [text[a:b].strip() for a, b in find_furniture(text)]


def assert_spans_valid(text: str, spans: tuple[tuple[int, int], ...]) -> None:
    """Sorted, non-overlapping, non-empty, inside the text."""
    for a, b in spans:
        assert 0 <= a < b <= len(text)
    for (_a, b), (c, _d) in zip(spans, spans[1:], strict=False):
        assert b <= c


# --- seeds -----------------------------------------------------------------------------


def test_seed_000_title_is_its_first_line_and_it_is_undated() -> None:
    text = seed("000")
    m, warnings = meta(text)
    assert m.title == text.split("\n", 1)[0]
    assert m.title_origin == "headline"
    assert m.date is None and m.date_origin is None and m.date_notes == ()
    assert (m.agency, m.agency_origin) == ("dpa", "byline")
    assert m.language == "de" and m.language_origin == "detected"
    assert m.lead.startswith("Die Twitter-Alternative Parler hat die erste Klage")
    assert warnings == []


def test_seed_000_furniture() -> None:
    text = seed("000")
    m, _ = meta(text)
    assert_spans_valid(text, m.furniture)
    assert furniture_lines(text) == [
        "In Pocket speichern vorlesen Druckansicht",
        "(Bild:\u00a0Ascannio/Shutterstock.com)",
        "Lesezeit: 2\u00a0Min.",
        "Von",
        "• dpa",
        "Empfohlener redaktioneller Inhalt",
        "Mit Ihrer Zustimmmung wird hier ein externes Video (Kaltura Inc.) geladen.",
        next(ln for ln in text.split("\n") if ln.startswith("Ich bin damit einverstanden")),
        "(olb)",
    ]
    # whole lines, and never a real paragraph
    for a, b in m.furniture:
        assert a == 0 or text[a - 1] == "\n"
        assert b == len(text) or text[b] == "\n"
    masked = "".join(text[a:b] for a, b in m.furniture)
    assert "Die bei Anhängern" not in masked
    assert "Parler bezeichnet sich" not in masked
    assert "Wegen Einschränkung" not in masked


def test_seed_001_title_without_marker_and_dateline_date() -> None:
    text = seed("001")
    m, _ = meta(text)
    assert "date 2021-02" not in m.title and "2021" not in m.title
    assert m.title_origin == "lead"
    assert m.title.startswith("Amazon hat die Twitter-Alternative")
    assert (m.date, m.date_precision, m.date_time) == (D(2021, 1, 13), "day", "12:05")
    assert (m.date_origin, m.date_expression) == ("dateline", "13.01.2021 | Stand: 12:05 Uhr")
    assert m.date_notes == (
        'ignored "date 2021-02" at line 1: conflicts with dateline 13.01.2021',
    )
    assert "date 2021-02" not in m.lead and m.lead.startswith("Amazon hat")
    assert m.language == "de"
    masked = [text[a:b] for a, b in m.furniture]
    assert masked == ["date 2021-02", "13.01.2021 | Stand: 12:05 Uhr"]


def test_seed_002_title_from_lead_and_agency_credit() -> None:
    text = seed("002")
    m, _ = meta(text)
    assert m.title_origin == "lead"
    assert not m.title.startswith("Washington")  # the place dateline is not the title
    assert m.title.startswith("Die bei Trump-Anhängern beliebte Twitter-Alternative Parler")
    # The whole first sentence: a list row cuts it to its width, JSON and citations don't.
    assert m.title.endswith("von Amazon zurückzukehren") and "…" not in m.title
    assert (m.date, m.date_origin, m.date_expression) == (
        D(2021, 1, 21), "agency credit", "(APA, 21.1.2021)",
    )
    assert (m.agency, m.agency_origin) == ("APA", "credit")
    assert m.furniture == ()
    assert m.lead.startswith("Die bei Trump-Anhängern") and len(m.lead) <= 300
    assert m.lead.endswith("…")


# --- furniture -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Lesezeit: 3 Minuten",
        "Lesedauer: ca. 4 Min.",
        "5 min read",
        "Teilen",
        "Share on Twitter Share on Facebook Copy link",
        "Facebook Twitter WhatsApp E-Mail Teilen",
        "Foto: dpa",
        "Image: Getty Images",
        "(Bild: Ascannio/Shutterstock.com)",
        "© APA/Helmut Fohringer",
        "Copyright 2021 Reuters. All rights reserved",
        "Empfohlener redaktioneller Inhalt",
        "Mit Ihrer Zustimmung wird hier ein externer Inhalt geladen.",
        "Ich bin einverstanden, dass mir externe Inhalte angezeigt werden.",
        "Mehr dazu in unserer Datenschutzerklärung.",
        "To view this content, please enable cookies.",
        "Mehr zum Thema",
        "Lesen Sie auch: Parler ist wieder online",
        "Read more: Amazon defends decision",
        "Anzeige",
        "Jetzt Newsletter abonnieren!",
        "Sign up for our daily newsletter",
        "(olb)",
        "(jk/dpa)",
        "Von Max Mustermann",
        "By Jane Doe and John Roe, Reuters",
        "13.01.2021 | Stand: 12:05 Uhr",
        "Published January 11, 2021 Updated January 12, 2021",
    ],
)
def test_furniture_lines(line: str) -> None:
    text = f"Überschrift\n\n{GERMAN}\n\n{line}\n\n{GERMAN}\n"
    assert furniture_lines(text) == [line]


@pytest.mark.parametrize(
    "line",
    [
        GERMAN,
        ENGLISH,
        "Von Anfang an war klar, dass Parler scheitern würde.",
        "Teilen Sie uns Ihre Meinung mit, schreiben Sie an die Redaktion.",
        "Share prices fell sharply on Monday, traders said.",
        "Der Minister will den Newsletter der Partei abonnieren, hieß es.",
        "Mehr zum Thema Datenschutz sagte der Minister nichts.",
        "Die Regierung – so heißt es – plant neue Regeln.",
        "Amazon sei berechtigt, den Zugang zu den Servern zu entziehen",
        "Stand der Dinge ist, dass am 13.01.2021 nichts geschah.",
        "Am 20. Januar 2021 wurde Joe Biden vereidigt.",
        "Copyright-Streit um Parler",
        "Bildung: Die Schulen bleiben geschlossen, sagte die Ministerin.",
    ],
)
def test_article_text_is_not_furniture(line: str) -> None:
    text = f"Überschrift\n\n{GERMAN}\n\n{line}\n\n{GERMAN}\n"
    assert furniture_lines(text) == []


def test_byline_block_with_bullet() -> None:
    text = f"Titel\n\nVon\n  • Max Mustermann\n\n{GERMAN}"
    m, _ = meta(text)
    assert furniture_lines(text) == ["Von", "• Max Mustermann"]
    assert m.author == "Max Mustermann" and m.agency is None


def test_furniture_kept_out_of_title_and_lead() -> None:
    text = f"Teilen\n\nLesezeit: 2 Min.\n\nParler klagt erneut\n\nFoto: dpa\n\n{GERMAN}"
    m, _ = meta(text)
    assert m.title == "Parler klagt erneut"
    assert m.lead == GERMAN
    assert m.agency is None  # an image credit does not credit the article


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "", "Von", "  • dpa", "Teilen", "Lesezeit: 2 Min.", "13.01.2021 | Stand: 12:05 Uhr",
    " date 2021-02 Ein Satz.", GERMAN, ENGLISH, "(olb)", "(APA, 21.1.2021)", "Foto: dpa",
    "Überschrift", "31.02.2021", "\t", "Jänner 2021",
]), max_size=12), st.text(max_size=40))
def test_never_crashes_and_spans_are_valid(lines: list[str], noise: str) -> None:
    text = "\n".join(lines) + noise.replace("\r", "")
    m, _ = meta(text)
    assert_spans_valid(text, m.furniture)
    assert len(m.lead) <= 300 and m.title
    assert m.language in ("de", "en")


# --- title -----------------------------------------------------------------------------


def test_title_from_short_lead_sentence() -> None:
    m, _ = meta("Parler ist wieder online. Der Dienst fand einen neuen Anbieter für seine Server.")
    assert (m.title, m.title_origin) == ("Parler ist wieder online", "lead")


def test_lead_title_is_the_whole_first_sentence() -> None:
    lead = " ".join(["Wort"] * 50) + ". Zweiter Satz folgt hier."
    m, _ = meta(lead)
    assert (m.title, m.title_origin) == (" ".join(["Wort"] * 50), "lead")


def test_a_first_sentence_longer_than_the_lead_is_cut_at_a_word_boundary() -> None:
    lead = " ".join(["Wort"] * 80) + "."
    m, _ = meta(lead)
    assert m.title_origin == "lead" and m.title.endswith("…")
    assert len(m.title) <= 300 and m.title[:-1].rstrip().endswith("Wort")


def test_hard_wrapped_first_line_is_not_a_headline() -> None:
    text = (
        "Die bei Anhängern von Ex-Präsident Donald Trump, Rechten und\n"
        "Rechtsextremen populäre Twitter-Alternative Parler hat eine Klage\n"
        "gegen Amazon fallen gelassen.\n"
    )
    m, _ = meta(text)
    assert m.title_origin == "lead"
    assert m.title.startswith("Die bei Anhängern") and "Rechtsextremen" in m.title
    assert m.lead.endswith("fallen gelassen.")  # the wrapped lines are one paragraph


def test_headline_directly_above_the_first_paragraph() -> None:
    m, _ = meta(f"Parler klagt erneut\n{GERMAN}")
    assert (m.title, m.title_origin) == ("Parler klagt erneut", "headline")
    assert m.lead == GERMAN


def test_empty_text_falls_back_to_file_name() -> None:
    m, _ = meta("")
    assert (m.title, m.title_origin) == ("2021-01-13_article", "filename")
    assert m.date is None  # never from the file name
    assert m.lead == ""


# --- language --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (GERMAN, "de"),
        (ENGLISH, "en"),
        ("It is up to the court.", "en"),
        ("Das ist nicht gut.", "de"),
        ("Parler Amazon AWS", "de"),  # no evidence: default
        ("", "de"),
        (ENGLISH + " Zitat: „Das ist so.“", "en"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_english_article() -> None:
    text = (
        "Parler sues Amazon again, this time over free speech\n\n"
        "By Jane Doe, Reuters\n5 min read\nPublished January 11, 2021\n"
        "Share on Twitter Share on Facebook\n\n"
        f"SEATTLE (Reuters) - {ENGLISH}\n\nImage: Getty Images\n\n{ENGLISH}\n"
    )
    m, warnings = meta(text)
    assert m.title == "Parler sues Amazon again, this time over free speech"
    assert (m.date, m.date_origin) == (D(2021, 1, 11), "Published line")
    assert (m.agency, m.agency_origin, m.author) == ("Reuters", "byline", "Jane Doe")
    assert (m.language, m.lead) == ("en", ENGLISH)
    assert warnings == []


def test_austrian_article() -> None:
    text = (
        "Parler scheitert vor Gericht\n\n"
        f"Wien (APA) – {GERMAN}\n\nVeröffentlicht am 21. Jänner 2021, 14:30\n\n{GERMAN}\n"
    )
    m, _ = meta(text)
    assert (m.date, m.date_time, m.date_origin) == (
        D(2021, 1, 21), "14:30", "Veröffentlicht am line",
    )
    assert (m.agency, m.agency_origin) == ("APA", "dateline")
    assert m.lead == GERMAN


# --- front matter and sidecar ----------------------------------------------------------


def test_precedence_sidecar_over_front_matter_over_text() -> None:
    text = f"Titel im Text\n\n13.01.2021\n\n{GERMAN}"
    front = {"title": "Titel aus Front Matter", "date": "2021-01-14", "lang": "en"}
    side = {"headline": "Titel aus Sidecar", "datePublished": D(2021, 1, 15)}
    m, warnings = meta(text, front, side)
    assert (m.title, m.title_origin) == ("Titel aus Sidecar", "sidecar")
    assert (m.date, m.date_origin, m.date_precision) == (D(2021, 1, 15), "sidecar", "day")
    assert m.date_notes == (
        'ignored dateline "13.01.2021" at line 3: conflicts with sidecar 15.01.2021',
    )
    assert (m.language, m.language_origin) == ("en", "front matter")
    assert warnings == []
    m2, _ = meta(text, front)
    assert (m2.title_origin, m2.date, m2.date_origin) == (
        "front matter", D(2021, 1, 14), "front matter",
    )


def test_front_matter_timestamp_keeps_its_time() -> None:
    m, _ = meta(GERMAN, {"published": "2021-01-13T12:05:00+01:00"})
    assert (m.date, m.date_time, m.date_origin) == (D(2021, 1, 13), "12:05", "front matter")
    assert m.date_expression == "2021-01-13T12:05:00+01:00"


def test_yaml_year_only_date() -> None:
    m, warnings = meta(GERMAN, {"date": 2021})
    assert (m.date, m.date_precision) == (D(2021, 1, 1), "year") and warnings == []


def test_bad_sidecar_date_warns_and_falls_back() -> None:
    m, warnings = meta(GERMAN, {"date": "13.01.2021"}, {"date": "next tuesday"})
    assert warnings == ['sidecar: date "next tuesday" not understood']
    assert (m.date, m.date_origin) == (D(2021, 1, 13), "front matter")


@pytest.mark.parametrize(
    ("field", "odd"),
    [
        ("title", None), ("title", ["a", "b"]), ("title", {"nested": {"x": 1}}), ("title", ""),
        ("title", True),
        ("date", None), ("date", [2021]), ("date", {"x": 1}), ("date", 3.5), ("date", True),
        ("date", "31.02.2021"), ("date", ""),
        ("lang", None), ("lang", 7), ("lang", ["de"]), ("lang", "xx"),
        ("agency", None), ("agency", 3), ("agency", {"x": 1}), ("agency", ["dpa", None]),
        ("source", None), ("source", ["a"]), ("source", {"x": 1}), ("source", 1.5),
        ("author", None), ("author", []), ("author", {"x": 1}), ("author", [["nested"]]),
    ],
)
def test_odd_yaml_values_warn_and_fall_back_to_text(field: str, odd: object) -> None:
    text = f"Parler klagt erneut\n\n13.01.2021\n\n{GERMAN}"
    m, warnings = meta(text, {field: odd})
    assert (m.title, m.title_origin) == ("Parler klagt erneut", "headline")
    assert (m.date, m.date_origin) == (D(2021, 1, 13), "dateline")
    assert (m.language, m.language_origin) == ("de", "detected")
    assert m.source is None and m.agency is None and m.author is None
    assert len(warnings) == 1
    assert warnings[0].startswith("front matter: ") and "\n" not in warnings[0]


def test_yaml_names_lists_and_dicts() -> None:
    front = {
        "authors": ["Jane Doe", {"name": "John Roe"}],
        "publisher": {"name": "Der Standard"},
        "agency": "APA",
        "language": "de-AT",
    }
    m, warnings = meta(f"Titel\n\n{ENGLISH}", front)
    assert m.author == "Jane Doe, John Roe"
    assert (m.source, m.source_origin) == ("Der Standard", "front matter")
    assert (m.agency, m.agency_origin) == ("APA", "front matter")
    assert (m.language, m.language_origin) == ("de", "front matter")
    assert warnings == []


def test_unsupported_language_warns() -> None:
    m, warnings = meta(ENGLISH, {"lang": "fr"})
    assert (m.language, m.language_origin) == ("en", "detected")
    assert warnings == ['front matter: language "fr" not understood']


def test_yaml_strings_are_sanitized() -> None:
    m, _ = meta(GERMAN, {"title": "Evil\x1b[31m title\nsecond line"})
    assert "\x1b" not in m.title and "\n" not in m.title


def test_mapping_that_is_not_a_mapping() -> None:
    m, warnings = extract_metadata(GERMAN, ["not", "a", "mapping"], {}, "a.txt")  # type: ignore[arg-type]
    assert m.title_origin == "lead"
    assert warnings == ["front matter: not a mapping (list), ignored"]


# --- agency and source from the text ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "agency", "origin"),
    [
        (f"Titel\n\nBerlin (dpa) – {GERMAN}", "dpa", "dateline"),
        (f"Titel\n\n{GERMAN} (AFP)", "AFP", "credit"),
        (f"Titel\n\n{GERMAN}\n\n(red/APA)", "APA", "credit"),
        (f"Titel\n\n{GERMAN}\n\nQuelle: dpa", "dpa", "credit"),
        (f"Titel\n\nVon Max Mustermann, dpa\n\n{GERMAN}", "dpa", "byline"),
        (f"Titel\n\n{GERMAN}\n\nFoto: dpa", None, None),
        (f"Titel\n\n{GERMAN} Das sagte Bloomberg.", None, None),
    ],
)
def test_agency_from_text(text: str, agency: str | None, origin: str | None) -> None:
    m, _ = meta(text)
    assert (m.agency, m.agency_origin) == (agency, origin)


def test_source_line() -> None:
    m, _ = meta(f"Titel\n\n{GERMAN}\n\nQuelle: tagesschau.de")
    assert (m.source, m.source_origin) == ("tagesschau.de", "Quelle line")
