"""Publication dates stated in article text (index.dates)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from index.dates import PubDate, find_publication_date, parse_date_value, stamp_spans
from index.events_eval import load_pubdate_gold, score_pubdates

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
D = datetime.date

BODY = (
    "Der Konzern hat am Montag seine Zahlen vorgelegt. Der Umsatz stieg deutlich, "
    "wie ein Sprecher sagte.\n\nWeitere Einzelheiten nannte er nicht.\n"
)


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def found(text: str) -> PubDate:
    pub, _notes = find_publication_date(text)
    assert pub is not None, text
    assert text[pub.span[0]:pub.span[1]] == pub.expression
    return pub


# --- forms that are publication dates -------------------------------------------------


@pytest.mark.parametrize(
    ("stamp", "value", "time", "origin"),
    [
        ("13.01.2021 | Stand: 12:05 Uhr", D(2021, 1, 13), "12:05", "dateline"),
        ("Mittwoch, 13. Januar 2021, 12.05 Uhr", D(2021, 1, 13), "12:05", "dateline"),
        ("21. Jänner 2021", D(2021, 1, 21), None, "dateline"),
        ("3. Feber 2021 | 07:30", D(2021, 2, 3), "07:30", "dateline"),
        ("Monday, January 11, 2021", D(2021, 1, 11), None, "dateline"),
        ("11 January 2021 • 5 min read", D(2021, 1, 11), None, "dateline"),
        ("Stand: 13.01.2021 12:05 Uhr", D(2021, 1, 13), "12:05", "Stand line"),
        ("Veröffentlicht am 13.01.2021 um 18:00 Uhr", D(2021, 1, 13), "18:00",
         "Veröffentlicht am line"),
        ("Published January 11, 2021", D(2021, 1, 11), None, "Published line"),
        ("Published Jan. 11, 2021 at 3:05 p.m. ET", D(2021, 1, 11), "15:05", "Published line"),
        ("Published 11:04 AM EST, Monday, January 11, 2021", D(2021, 1, 11), "11:04",
         "Published line"),
        ("Updated March 2, 2021", D(2021, 3, 2), None, "Updated line"),
        ("Aktualisiert am 14. Jän. 2021", D(2021, 1, 14), None, "Aktualisiert am line"),
        ("Erstellt am 13.01.2021", D(2021, 1, 13), None, "Erstellt am line"),
        ("Stand: 13.01.2021, 12:05 Uhr", D(2021, 1, 13), "12:05", "Stand line"),
        ("Jan 11, 2021, 3:05 PM ET", D(2021, 1, 11), "15:05", "dateline"),
        ("12:05 Uhr, 13. Januar 2021", D(2021, 1, 13), "12:05", "dateline"),
        ("13.01.2021, 12:05 Uhr · 3 Min. Lesezeit", D(2021, 1, 13), "12:05", "dateline"),
        ("2021-01-13", D(2021, 1, 13), None, "dateline"),
    ],
)
def test_stamp_lines_at_the_head_are_publication_dates(
    stamp: str, value: datetime.date, time: str | None, origin: str
) -> None:
    pub = found(f"Überschrift des Artikels\n\n{stamp}\n\n{BODY}")
    assert (pub.value, pub.precision, pub.time, pub.origin) == (value, "day", time, origin)
    assert pub.expression == stamp


def test_labelled_stamp_after_a_byline_separator() -> None:
    pub = found("Headline\n\nBy Jane Doe | Published Jan. 11, 2021 at 3:05 p.m. ET\n\nText.")
    assert pub.value == D(2021, 1, 11) and pub.origin == "Published line"
    assert pub.expression == "Published Jan. 11, 2021 at 3:05 p.m. ET"


def test_month_precision_dateline() -> None:
    pub = found(f"Jänner 2021\n\n{BODY}")
    assert (pub.value, pub.precision) == (D(2021, 1, 1), "month")


@pytest.mark.parametrize(
    ("credit", "value", "origin"),
    [
        ("(APA, 21.1.2021)", D(2021, 1, 21), "agency credit"),
        ("(dpa, 13. Jänner 2021)", D(2021, 1, 13), "agency credit"),
        ("(APA/dpa, 1.2.2021)", D(2021, 2, 1), "agency credit"),
        ("(red, 21.1.2021)", D(2021, 1, 21), "credit line"),
    ],
)
def test_credit_closing_the_last_paragraph(
    credit: str, value: datetime.date, origin: str
) -> None:
    pub = found(f"{BODY}\nDer Dienst verlor damit eine weitere Plattform. {credit}")
    assert (pub.value, pub.precision, pub.origin, pub.expression) == (value, "day", origin, credit)


def test_iso_timestamp_anywhere() -> None:
    pub = found(f"{BODY}\nmeta 2021-01-13T12:05:00+01:00 end\n")
    assert (pub.value, pub.time, pub.origin) == (D(2021, 1, 13), "12:05", "ISO timestamp")
    assert pub.expression == "2021-01-13T12:05:00+01:00"


def test_stray_marker_alone_is_used_with_its_precision() -> None:
    pub = found(f" date 2021-02 {BODY}")
    assert (pub.value, pub.precision, pub.origin) == (D(2021, 2, 1), "month", "date marker")
    assert pub.expression == "date 2021-02"


# --- what is not a publication date ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        BODY,
        # events inside sentences, with and without a year
        "Der Dienst soll am 20. Januar aufgerufen haben.\n\nAnfang Januar war er offline.",
        "Der Vorfall ereignete sich am 20. Januar 2021 in Wien, sagte die Polizei.",
        "Parler ist 2018 mit dem Anspruch angetreten, alles zu erlauben.",
        "The study, published January 11, 2021, found no evidence.",
        "Veröffentlicht am 13.01.2021 wurde der Bericht sofort kritisiert.",
        "They may 2021 differently.",
        "Am 3. Feber 2021\n\nbegann der Prozess.",
        # numbers that only look like dates
        "Ein Rückstau von 26.000 unbearbeiteten Hinweisen.",
        "Lesezeit: 2 Min.\n\nVersion 1.2.3 erschien.",
        "31.02.2021\n\nDas Datum gibt es nicht.",
        "13.13.2021\n\nDen Monat auch nicht.",
        "10.10.168.1.2021\n\nEine Versionsnummer, kein Datum.",
        "13.01.20215\n\nZu viele Ziffern.",
    ],
)
def test_no_publication_date(text: str) -> None:
    assert find_publication_date(text) == (None, ())


def test_date_line_deep_in_the_body_is_a_timeline_heading_not_a_dateline() -> None:
    paragraphs = "\n\n".join(f"Absatz {i} mit etwas Text." for i in range(30))
    text = f"Chronik\n\n{paragraphs}\n\n20. Januar 2021\n\n{paragraphs}"
    assert find_publication_date(text) == (None, ())


def test_file_name_or_time_never_used() -> None:
    # The function sees only text: an undated text stays undated.
    assert find_publication_date("2021-01-13_parler.txt ist der Dateiname.")[0] is None


# --- choosing among hints --------------------------------------------------------------


def test_dateline_beats_stray_marker_and_notes_it() -> None:
    text = f" date 2021-02 Ein Satz.\n\n13.01.2021 | Stand: 12:05 Uhr\n\n{BODY}"
    pub, notes = find_publication_date(text)
    assert pub is not None and pub.value == D(2021, 1, 13) and pub.origin == "dateline"
    assert notes == ('ignored "date 2021-02" at line 1: conflicts with dateline 13.01.2021',)


def test_dateline_beats_agency_credit() -> None:
    text = f"13.01.2021\n\n{BODY}\nEnde. (APA, 21.1.2021)"
    pub, notes = find_publication_date(text)
    assert pub is not None and pub.origin == "dateline" and pub.value == D(2021, 1, 13)
    assert len(notes) == 1 and '"(APA, 21.1.2021)"' in notes[0]


def test_published_beats_updated_and_a_later_update_is_no_conflict() -> None:
    text = f"Headline\n\nPublished January 11, 2021 Updated January 12, 2021\n\n{BODY}"
    pub, notes = find_publication_date(text)
    assert pub is not None and pub.value == D(2021, 1, 11) and pub.origin == "Published line"
    assert notes == ()


def test_agreeing_hints_make_no_note() -> None:
    text = f" date 2021-01 Text.\n\n13.01.2021\n\n{BODY}"
    pub, notes = find_publication_date(text)
    assert pub is not None and pub.value == D(2021, 1, 13)
    assert notes == ()


def test_earliest_of_equal_hints_wins() -> None:
    text = f"13.01.2021\n\n{BODY}\n14.01.2021"
    pub, notes = find_publication_date(text)
    assert pub is not None and pub.value == D(2021, 1, 13)
    assert len(notes) == 1 and "line" in notes[0]


# --- the seeds -------------------------------------------------------------------------


def test_seed_000_is_undated() -> None:
    # "Anfang Januar" and "im vergangenen Jahr" are events, not publication dates.
    assert find_publication_date(seed("000")) == (None, ())


def test_seed_001_dateline_wins_over_marker() -> None:
    text = seed("001")
    pub, notes = find_publication_date(text)
    assert pub is not None
    assert (pub.value, pub.precision, pub.time) == (D(2021, 1, 13), "day", "12:05")
    assert pub.origin == "dateline"
    assert pub.expression == "13.01.2021 | Stand: 12:05 Uhr"
    assert text[pub.span[0]:pub.span[1]] == pub.expression
    assert notes == ('ignored "date 2021-02" at line 1: conflicts with dateline 13.01.2021',)


def test_seed_002_agency_credit() -> None:
    pub, notes = find_publication_date(seed("002"))
    assert pub is not None
    assert (pub.value, pub.precision, pub.origin) == (D(2021, 1, 21), "day", "agency credit")
    assert pub.expression == "(APA, 21.1.2021)"
    assert notes == ()  # "am 20. Jänner" and "2018" are events


def test_stamp_spans_of_seed_001() -> None:
    text = seed("001")
    assert [text[a:b] for a, b in stamp_spans(text)] == [
        "date 2021-02",
        "13.01.2021 | Stand: 12:05 Uhr",
    ]


def test_stamp_spans_leave_prose_dates_alone() -> None:
    assert stamp_spans(seed("002")) == ()
    assert stamp_spans("Am 20. Januar 2021 geschah es.") == ()


# --- values from YAML ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(2021, 1, 13), (D(2021, 1, 13), "day")),
        (datetime.datetime(2021, 1, 13, 12, 5), (D(2021, 1, 13), "day")),
        ("2021-01-13", (D(2021, 1, 13), "day")),
        ("2021-01", (D(2021, 1, 1), "month")),
        ("2021", (D(2021, 1, 1), "year")),
        (2021, (D(2021, 1, 1), "year")),
        ("13.01.2021", (D(2021, 1, 13), "day")),
        ("21. Jänner 2021", (D(2021, 1, 21), "day")),
        ("1. Feber 2021", (D(2021, 2, 1), "day")),
        ("January 11, 2021", (D(2021, 1, 11), "day")),
        ("11 January 2021", (D(2021, 1, 11), "day")),
        ("Januar 2021", (D(2021, 1, 1), "month")),
        ("2021-01-13T12:05:00+01:00", (D(2021, 1, 13), "day")),
        ("2021-01-13T12:05:00Z", (D(2021, 1, 13), "day")),
        ("  2021-01-13  ", (D(2021, 1, 13), "day")),
        ("Wed, 13 Jan 2021 12:05:00 +0100", (D(2021, 1, 13), "day")),
    ],
)
def test_parse_date_value(value: object, expected: tuple[datetime.date, str]) -> None:
    assert parse_date_value(value) == expected


@pytest.mark.parametrize(
    "value",
    [None, True, [2021], {"date": "2021-01-13"}, 3.5, "", "next tuesday", "31.02.2021",
     "2021-13", "26.000", "13.01.2021 und 14.01.2021", 99999],
)
def test_parse_date_value_rejects(value: object) -> None:
    assert parse_date_value(value) is None


# --- the gold set: every credit form and every negative of issue 11 --------------------

GOLD = load_pubdate_gold()


@pytest.mark.parametrize("item", GOLD, ids=[f"{i['id']}-{i['form']}" for i in GOLD])
def test_gold_item(item: dict) -> None:
    pub, _notes = find_publication_date(item["text"])
    if item["date"] is None:
        assert pub is None, (pub.expression, pub.origin) if pub else None
        return
    assert pub is not None
    assert pub.value == item["date"]
    assert item["text"][pub.span[0]:pub.span[1]] == pub.expression
    if item.get("evidence"):
        assert pub.expression == item["evidence"]


def test_gold_set_is_large_enough_and_scores_as_reported() -> None:
    dated = [i for i in GOLD if i["date"]]
    assert len(dated) >= 100 and len(GOLD) - len(dated) >= 60
    figures = score_pubdates(GOLD)
    assert figures["wrong"] == 0
    assert figures["recall"] >= 0.95


@pytest.mark.parametrize(
    ("credit", "origin"),
    [
        ("(APA, red, 25.7.2015)", "agency credit"),
        ("(APA, Reuters, 25.7.2015)", "agency credit"),
        ("(APA/dpa, 25.7.2015)", "agency credit"),
        ("(APA, sid, 25.7.2015)", "agency credit"),
        ("(ste, kub, 25.7.2015)", "credit line"),
        ("(APA; 25.7.2015)", "agency credit"),
        ("(red – 25.7. 2015)", "credit line"),
        ("(APA/red – 25.7. 2015)", "agency credit"),
        ("(APA 25.7.2015)", "agency credit"),
        ("(APA, 25. 7. 2015)", "agency credit"),
        ("(APA, 25.07.15)", "agency credit"),
        ("(APA, 25.7.2015=", "agency credit"),
        ("(APA, 25.7.2015", "agency credit"),
        ("(Maria Muster, DER STANDARD, 25.7.2015)", "credit line"),
        ("(Text: Eva Roth, Video: Max Bauer, 25.7.2015)", "credit line"),
        ("(Eva Roth aus Moskau, 25.7.2015)", "credit line"),
        ("(25.7.2015)", "closing date"),
    ],
)
def test_credit_forms(credit: str, origin: str) -> None:
    text = f"Titel\n\n{BODY}\nDer Dienst verlor damit eine weitere Plattform. {credit}"
    pub = found(text)
    assert (pub.value, pub.origin, pub.expression) == (D(2015, 7, 25), origin, credit)


def test_agency_credit_followed_by_a_results_table() -> None:
    table = "\n".join(f"Team {i} - Team {i + 1} {i % 3}:{i % 2}" for i in range(12))
    pub = found(f"Titel\n\n{BODY}\nEin Satz. (APA, sid, 2.8.2015)\n\nErgebnisse:\n{table}\n")
    assert pub.value == D(2015, 8, 2) and pub.expression == "(APA, sid, 2.8.2015)"


@pytest.mark.parametrize(
    ("line", "value", "expression"),
    [
        ("Wien, 3. Jänner 2016 (APA) – Die Rettung", D(2016, 1, 3), "Wien, 3. Jänner 2016 (APA)"),
        ("WIEN, 3. Jänner 2016 – Die Rettung", D(2016, 1, 3), "WIEN, 3. Jänner 2016"),
        ("LONDON, Jan 5, 2021 – Schools", D(2021, 1, 5), "LONDON, Jan 5, 2021"),
        ("2021-03-02 – Das Ministerium", D(2021, 3, 2), "2021-03-02"),
    ],
)
def test_opening_datelines(line: str, value: datetime.date, expression: str) -> None:
    pub = found(f"Überschrift\n\n{line} hat am Montag berichtet.\n\n{BODY}")
    assert (pub.value, pub.origin, pub.expression) == (value, "dateline", expression)


@pytest.mark.parametrize(
    "text",
    [
        # a citation of another medium inside the text, a person credit that does not
        # close the article
        f"Titel\n\nEr sagte das (Berliner Zeitung, 23.4.2005). Mehr nicht.\n\n{BODY}",
        f"Titel\n\nSo stand es in der Zeitung (Berliner Zeitung, 23.4.2005)\n\n{BODY * 30}",
        f"Titel\n\nSo sagte er es. (Eva Roth, 23.4.2005)\n\n{BODY * 30}",
        # deadlines and event dates near the end
        f"Titel\n\n{BODY}Teilnahmeschluss ist der 18.11.2015.",
        f"Titel\n\n{BODY}(Premiere: 3.10.2018)",
        f"Titel\n\n{BODY}(Sitzung vom 12.4.2018)",
        # version numbers
        f"Titel\n\n{BODY}Betroffen ist Android 5.1. (Version 4.3.16)",
        f"Titel\n\n{BODY}(iOS 4.3.16)",
        # Stand without a date, credits without a date
        f"Titel\n\n(Stand: 17:00 Uhr)\n\n{BODY}",
        f"Titel\n\n{BODY}(APA, red)",
        # a lead that only looks like a dateline
        f"Titel\n\nDas Unglück am 26. April 2011 – drei Tote – ist ein Tabu.\n\n{BODY}",
        f"Titel\n\nAm 26. April 2011 – es war ein Dienstag – stürzte es ein.\n\n{BODY}",
        f"Titel\n\nWahlsonntag, 11. Oktober 2015 – so nah war sie nie.\n\n{BODY}",
        # impossible dates, a two-digit year without an agency, short words as initials
        f"Titel\n\n{BODY}(APA, 30.9.3015)",
        f"Titel\n\n{BODY}(APA, 4.9.2105)",
        f"Titel\n\n{BODY}(Eva Roth, 25.7.15)",
        f"Titel\n\n{BODY}Er kam (dort, 25.7.2015) an und blieb.\n\n{BODY * 30}",
    ],
)
def test_stays_undated(text: str) -> None:
    pub, _notes = find_publication_date(text)
    assert pub is None, pub


def test_gold_sets_ship_with_the_package() -> None:
    """``python -m index.events_eval`` reads its gold sets from the installed package:
    they must be package data, not files that only exist in a clone."""
    import fnmatch
    import tomllib

    from index.events_eval import GOLD_PATH, PUBDATE_GOLD_PATH

    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["index"]
    for path in (GOLD_PATH, PUBDATE_GOLD_PATH):
        assert path.is_file()
        rel = path.relative_to(root / "index").as_posix()
        assert any(fnmatch.fnmatch(rel, p) for p in patterns), rel


@pytest.mark.parametrize(
    "text",
    [
        f"Titel\n\n{BODY}Die Premiere ist am Freitag (7.9.2015).",
        f"Titel\n\n{BODY}Er sagte es so. (7.9.2015)\n\nInfo: Die Ausstellung läuft bis Juni.",
        f"Titel\n\n{BODY}So stand es im Blatt. (taz, 7.9.2015)",
        f"Titel\n\n{BODY}Wie berichtet (Eva Roth, 7.9.2015)",
    ],
)
def test_weak_credits_must_follow_a_sentence_and_close_the_article(text: str) -> None:
    assert find_publication_date(text) == (None, ())


def test_person_credit_on_its_own_line_only_at_the_very_end() -> None:
    listing = f"Titel\n\n{BODY}Termine:\n(Wiener Konzerthaus, 14.10.2017)\n\nKarten an der Kasse."
    assert find_publication_date(listing) == (None, ())
    pub = found(f"Titel\n\n{BODY}\n(Anna Leitner, 22.6.2017)\n")
    assert pub.value == D(2017, 6, 22) and pub.origin == "credit line"


def test_agency_credit_inside_a_sentence_cites_an_older_report() -> None:
    text = f"Titel\n\nWie berichtet (APA, 3.4.2014)\n\n{BODY * 40}"
    assert find_publication_date(text) == (None, ())
    pub = found(f"Titel\n\n{BODY}Die Zahlen kamen am Montag (APA, 3.4.2014)")
    assert pub.value == D(2014, 4, 3)  # closing the article, it is the credit


def test_credit_with_a_box_glued_to_its_line() -> None:
    text = (f"Titel\n\n{BODY}Das Tor fiel spät. (APA, sid, 2.8.2015) Ergebnisse: Rapid - Ried "
            "2:1, Sturm - Altach 1:1, Admira - Grödig 0:3")
    pub = found(text)
    assert (pub.value, pub.expression) == (D(2015, 8, 2), "(APA, sid, 2.8.2015)")
    # inside the text, with the article going on, it is a citation
    cited = f"Titel\n\nEr sagte es. (APA, 3.4.2014) Seither ist viel passiert. {BODY * 40}"
    assert find_publication_date(cited) == (None, ())


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        ("Er sagte das. (APA, 3.4.2017)\n\nKonzert:\n14. Oktober 2017\nStadthalle Graz",
         D(2017, 4, 3)),
        ("Er sagte das.\n\nKonzert in der Stadthalle\n14. Oktober 2017", None),
        ("Er sagte das.\n\nTermine\nSamstag, 14. Oktober 2017, 19 Uhr\nStadthalle Graz", None),
        ("Er sagte das.\n\nEröffnung\n3.10.2018", None),
        ("Er sagte das.\n\n13.01.2021", D(2021, 1, 13)),  # the page's date at its foot
    ],
)
def test_a_date_line_near_the_end_is_an_event_unless_it_closes_the_text(
    tail: str, expected: datetime.date | None
) -> None:
    pub, _notes = find_publication_date(f"Titel\n\n{BODY}{tail}\n")
    assert (pub.value if pub else None) == expected


def test_a_stamp_may_follow_the_lead() -> None:
    lead = "Der Konzern hat die Plattform am Montag von seinen Servern genommen, hieß es."
    pub = found(f"Titel\n\n{lead}\n\n13.01.2021 | Stand: 12:05 Uhr\n\n{BODY}")
    assert pub.value == D(2021, 1, 13) and pub.origin == "dateline"


def test_an_event_date_line_at_the_end_is_no_furniture() -> None:
    text = f"Titel\n\n{BODY}Er sagte das.\n\nKonzert in der Stadthalle\n14. Oktober 2017\n"
    assert stamp_spans(text) == ()
