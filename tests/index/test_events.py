"""Tests for index.events (issue 6, event timeline extraction) and its evaluation."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from index.events import Event, extract_events
from index.events_eval import evaluate, load_gold

D = datetime.date
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
PUB_WED = D(2021, 1, 13)  # Wednesday, ISO week 2021-W02
PUB_THU = D(2021, 1, 21)  # Thursday


def _seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _values(text: str, pub: D | None = PUB_WED, lang: str = "de") -> list[tuple[str, str | None]]:
    return [(e.expression, e.value) for e in extract_events(text, pub, lang)]


def _one(text: str, pub: D | None = PUB_WED, lang: str = "de") -> Event:
    events = extract_events(text, pub, lang)
    assert len(events) == 1, events
    return events[0]


# --- seeds -------------------------------------------------------------------------


def test_seed_001_published_wednesday() -> None:
    events = extract_events(_seed("001"), PUB_WED)
    got = [(e.expression, e.value, e.sentence) for e in events]
    thrown = [g for g in got if "von seinen Servern geworfen" in g[2]]
    assert thrown and thrown[0][:2] == ("Montag", "2021-01-11")
    since = [g for g in got if "seit Montag" in g[2]]
    assert since[0][:2] == ("Montag", "2021-01-11")
    assert ("20. Januar", "2021-01-20") in [g[:2] for g in got]
    early = [e for e in events if e.expression == "Anfang Januar"]
    assert early and early[0].value == "2021-01" and early[0].granularity == "month"
    assert early[0].part == "early" and early[0].kind == "monthpart"
    assert ("13.01.2021", "2021-01-13") in [g[:2] for g in got]


def test_seed_001_negatives() -> None:
    expressions = [e.expression for e in extract_events(_seed("001"), PUB_WED)]
    for noise in ("26.000", "12:05", "bis auf Weiteres", "vergangenen Monaten"):
        assert not any(noise in x for x in expressions)


def test_seed_002_published_thursday() -> None:
    events = extract_events(_seed("002"), PUB_THU)
    by_text = {e.expression: e for e in events}
    assert by_text["Donnerstag"].value == "2021-01-21"  # the publication weekday
    assert by_text["2018"].value == "2018" and by_text["2018"].granularity == "year"
    assert by_text["20. Jänner"].value == "2021-01-20"
    assert by_text["21.1.2021"].value == "2021-01-21"
    joined = " ".join(by_text)
    for noise in ("wochenlang", "inzwischen", "Weiteres", "26.000"):
        assert noise not in joined


def test_seed_000_without_publication_date() -> None:
    events = extract_events(_seed("000"), None)
    assert [e.expression for e in events] == ["Anfang Januar", "vergangenen Jahr"]
    assert all(e.value is None and e.needs_anchor and e.start is None for e in events)
    assert not any("2 Min" in e.expression for e in events)


# --- per kind --------------------------------------------------------------------------


@pytest.mark.parametrize("text,expression,value", [
    ("Bekannt seit 21.1.2021.", "21.1.2021", "2021-01-21"),
    ("Stand: 13.01.2021, 12:05 Uhr", "13.01.2021", "2021-01-13"),
    ("Am 21. Jänner 2021 fiel die Entscheidung.", "21. Jänner 2021", "2021-01-21"),
    ("It was filed on January 11, 2021.", "January 11, 2021", "2021-01-11"),
    ("It was filed on 11 January 2021.", "11 January 2021", "2021-01-11"),
    ("Metadaten: 2020-12-24.", "2020-12-24", "2020-12-24"),
])
def test_full_dates(text: str, expression: str, value: str) -> None:
    lang = "en" if text.startswith("It") else "de"
    event = _one(text, None, lang)  # absolute: placed even without a publication date
    assert (event.expression, event.value, event.kind) == (expression, value, "date")
    assert event.start == event.end == D.fromisoformat(value)
    assert not event.needs_anchor


@pytest.mark.parametrize("text,value", [
    ("Die Vereidigung ist am 20. Januar.", "2021-01-20"),
    ("Biden wurde am 20. Jänner vereidigt.", "2021-01-20"),
    ("Die Frist endete am 28. Dezember.", "2020-12-28"),  # nearest year is the past one
    ("Im Parlament wird am 3. März abgestimmt.", "2021-03-03"),
    ("Das Gesetz wurde am 15.12. beschlossen.", "2020-12-15"),
])
def test_day_month_takes_closest_year(text: str, value: str) -> None:
    event = _one(text)
    assert event.kind == "daymonth" and event.value == value and event.granularity == "day"


@pytest.mark.parametrize("text,value", [
    ("Amazon hat Parler am Montag von seinen Servern geworfen.", "2021-01-11"),
    ("Parler ist seit Montag vom Netz.", "2021-01-11"),
    ("Die Regierung will am Montag entscheiden.", "2021-01-18"),
    ("Der Bericht soll am Freitag vorgelegt werden.", "2021-01-15"),
    ("Am heutigen Mittwoch tagt der Ausschuss.", "2021-01-13"),
    ("Der Ausschuss tagte am Mittwoch.", "2021-01-13"),
    ("Vergangenen Mittwoch tagte der Ausschuss.", "2021-01-06"),
    ("Am kommenden Mittwoch tagt der Ausschuss.", "2021-01-20"),
    ("Die Minister trafen sich am Dienstagabend.", "2021-01-12"),
])
def test_weekdays_by_tense_and_modifier(text: str, value: str) -> None:
    event = _one(text)
    assert event.kind == "weekday" and event.value == value


def test_weekday_english() -> None:
    assert _values("Amazon pulled Parler on Monday.", lang="en") == [("Monday", "2021-01-11")]
    assert _values("The court will rule on Friday.", lang="en") == [("Friday", "2021-01-15")]


@pytest.mark.parametrize("text,value,part,start,end", [
    ("Das war Anfang Januar.", "2021-01", "early", D(2021, 1, 1), D(2021, 1, 10)),
    ("Der Bericht kommt Mitte Februar.", "2021-02", "mid", D(2021, 2, 11), D(2021, 2, 20)),
    ("Bis Ende März bleibt alles zu.", "2021-03", "late", D(2021, 3, 21), D(2021, 3, 31)),
])
def test_month_parts(text: str, value: str, part: str, start: D, end: D) -> None:
    event = _one(text)
    assert (event.kind, event.granularity, event.value, event.part) == (
        "monthpart", "month", value, part)
    assert (event.start, event.end) == (start, end)


@pytest.mark.parametrize("text,expression,value,kind", [
    ("Das war im Dezember 2019.", "Dezember 2019", "2019-12", "month"),
    ("Im Dezember stiegen die Zahlen.", "Dezember", "2020-12", "month"),
    ("Im Januar stiegen die Zahlen.", "Januar", "2021-01", "month"),
    ("Ab Feber öffnen die Schulen.", "Feber", "2021-02", "month"),
    ("Parler ist 2018 gestartet.", "2018", "2018", "year"),
    ("Das geschah im Jahr 2018.", "Jahr 2018", "2018", "year"),
    ("Die Firma existiert seit 1881.", "1881", "1881", "year"),
])
def test_months_and_years(text: str, expression: str, value: str, kind: str) -> None:
    event = _one(text)
    assert (event.expression, event.value, event.kind) == (expression, value, kind)


def test_year_period_covers_the_year() -> None:
    event = _one("Parler ist 2018 gestartet.")
    assert (event.start, event.end, event.granularity) == (D(2018, 1, 1), D(2018, 12, 31), "year")


@pytest.mark.parametrize("text,value,granularity", [
    ("Gestern wurde gestreikt.", "2021-01-12", "day"),
    ("Heute wird gestreikt.", "2021-01-13", "day"),
    ("Die Entscheidung fällt morgen.", "2021-01-14", "day"),
    ("Vorgestern wurde gestreikt.", "2021-01-11", "day"),
    ("Vergangene Woche wurde gestreikt.", "2021-W01", "week"),
    ("Letzte Woche wurde gestreikt.", "2021-W01", "week"),
    ("Nächste Woche wird gestreikt.", "2021-W03", "week"),
    ("Vor zwei Wochen wurde gestreikt.", "2020-W53", "week"),
    ("Vor drei Tagen wurde gestreikt.", "2021-01-10", "day"),
    ("Im vergangenen Jahr wurde gestreikt.", "2020", "year"),
    ("Vergangenes Jahr wurde gestreikt.", "2020", "year"),
    ("Letztes Jahr wurde gestreikt.", "2020", "year"),
])
def test_relative_german(text: str, value: str, granularity: str) -> None:
    event = _one(text)
    assert (event.kind, event.value, event.granularity) == ("relative", value, granularity)


@pytest.mark.parametrize("text,value", [
    ("It happened yesterday.", "2021-01-12"),
    ("It happened last week.", "2021-W01"),
    ("It happened two weeks ago.", "2020-W53"),
    ("It will happen next year.", "2022"),
])
def test_relative_english(text: str, value: str) -> None:
    assert _one(text, lang="en").value == value


def test_week_period_is_monday_to_sunday() -> None:
    event = _one("Vergangene Woche wurde gestreikt.")
    assert (event.start, event.end) == (D(2021, 1, 4), D(2021, 1, 10))


def test_morgen_noun_is_not_tomorrow() -> None:
    assert _values("Am Morgen blieb es ruhig.") == []
    assert _values("Morgen beginnt die Sitzung.") == [("Morgen", "2021-01-14")]
    assert _values("Heute Morgen fielen die Kurse.") == [("Heute Morgen", "2021-01-13")]


# --- negatives ---------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Parler war danach wochenlang vom Netz.",
    "Parler ist inzwischen wieder online.",
    "Trump bleibt bis auf Weiteres gesperrt.",
    "Es gab einen Rückstau von 26.000 Hinweisen.",
    "Lesezeit: 2 Min.",
    "Der Konzern baut 2.300 Mitarbeiter ab.",
    "Das Unternehmen sammelte 1.5 Millionen ein.",
    "Stand: 12:05 Uhr",
    "Seit Jahren wird darüber gestritten.",
    "Jahrelang passierte nichts.",
    "In den vergangenen Monaten wanderten Nutzer ab.",
    "Rund 1900 Polizisten waren im Einsatz.",
    "Die Firma sucht 2100 neue Mitarbeiter.",
    "Es flossen 2000 Liter Öl aus.",
    "Nach Paragraf 1906 BGB ist das erlaubt.",
    "Siehe Seite 12.",
    "Jeden Montag trifft sich die Gruppe.",
    "Die Frist wurde um zwei Wochen verlängert.",
    "Die 1990er-Jahre waren anders.",
    "Tel. 0662 2021 11",
    "Die Zeitung Heute berichtete darüber.",
])
def test_not_events(text: str) -> None:
    assert _values(text) == []


def test_english_modal_may_and_verb_march() -> None:
    assert _values("The court may rule soon. Crowds march on.", lang="en") == []


# --- publication date missing ------------------------------------------------------


def test_without_publication_date() -> None:
    events = extract_events("Am Montag, dem 14. März 2019, und gestern auch.\n\nAm Montag nicht.",
                            None)
    by_text = {e.expression: e for e in events}
    # The weekday before a full date is part of that date.
    assert by_text["Montag, dem 14. März 2019"].value == "2019-03-14"
    assert not by_text["Montag, dem 14. März 2019"].needs_anchor
    for relative in ("Montag", "gestern"):
        assert by_text[relative].value is None and by_text[relative].needs_anchor
        assert by_text[relative].start is None and by_text[relative].end is None


# --- contract ----------------------------------------------------------------------


def test_spans_sentences_and_order() -> None:
    text = "Erster Satz ohne Datum.\nAm 20. Januar ist es so weit. Gestern\n  nicht.  Morgen schon."
    events = extract_events(text, PUB_WED)
    assert [e.expression for e in events] == ["20. Januar", "Gestern", "Morgen"]
    for event in events:
        assert text[event.span[0]: event.span[1]] == event.expression
        s0, s1 = event.sentence_span
        assert s0 <= event.span[0] < event.span[1] <= s1
        assert event.sentence == " ".join(text[s0:s1].split())
        assert "\n" not in event.sentence
    assert events[0].sentence == "Am 20. Januar ist es so weit."


def test_event_is_frozen() -> None:
    event = _one("Gestern wurde gestreikt.")
    with pytest.raises(AttributeError):
        event.value = "x"  # type: ignore[misc]


def test_empty_and_control_text() -> None:
    assert extract_events("", PUB_WED) == []
    assert extract_events("\n\n  \t", None) == []


# --- gold corpus -----------------------------------------------------------------------


def test_gold_scores_stay_above_measured() -> None:
    """Measured: all 1.000 on dev+held-out after tuning; the held-out split
    scored F1 0.960 (P 0.984, R 0.938) on its first, pre-tuning run. Thresholds sit a
    little below the current figures so regressions fail but small rule edits do not."""
    result = evaluate()
    assert result["overall"]["f1"] >= 0.97
    assert result["overall"]["precision"] >= 0.97
    assert result["splits"]["heldout"]["f1"] >= 0.95
    for kind, row in result["per_kind"].items():
        assert row["f1"] >= 0.9, kind
    assert result["negatives"]["clean"] == result["negatives"]["items"]


def test_gold_meets_the_issue_goals_per_genre() -> None:
    """Issue 11: value right for >= 85% of found calendar points on narrative text and
    >= 95% on news, precision of found expressions >= 97%."""
    genres = evaluate()["genres"]
    assert genres["narrative"]["value_accuracy"] >= 0.85
    assert genres["news"]["value_accuracy"] >= 0.95
    assert genres["narrative"]["found"] >= 60
    for row in genres.values():
        assert row["extraction_precision"] >= 0.97


def test_gold_corpus_shape() -> None:
    result = evaluate()
    assert result["overall"]["gold"] >= 140
    assert result["negatives"]["items"] >= 30


# --- fast candidate scan -----------------------------------------------------------------

# The head scan (index.events._rule_matches) must find exactly what running every
# pattern over the whole text finds; _candidates(..., full=True) is that reference.


def test_no_temporal_words_no_events() -> None:
    text = (
        "Die Regierung beriet lange über das Gesetz. Kritiker sprachen von einem Fehler,\n"
        "die Opposition forderte Nachbesserungen und kündigte Widerstand an. "
    ) * 50
    assert extract_events(text, PUB_WED) == []
    assert extract_events(text, None, "en") == []


def _scan_texts() -> list[str]:
    import random
    import re

    from index import events

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [item["text"] for item in load_gold()]
    vocab = sorted(
        set().union(*events._RULE_HEADS, *events._RULE_FOLLOWS) - {events._DIGIT_HEAD}
        | {w for p, _, _ in events._RULES for w in re.findall(r"[^\W\d_]+", p.pattern)}
        | {"Montagabend", "Rosenmontag", "Jan.", "am", "jeden", "wird", "sagte", "ſeit",
           "İm", "ım", "Kelvin\u212a", "AGO"}
    )
    numbers = ["1", "12", "20", "29", "31", "2021", "1999", "2100", "13.01.2021", "21.1.21",
               "15.12.", "2021-01-13", "0662", "3rd", "\u0661\u0662"]
    seps = [" ", " ", "  ", "\n", ". ", ", ", "-", "–", "/", ".", "", ": ", " „", "“ ", "%", "_"]
    rng = random.Random(6)
    for _ in range(1500):
        parts: list[str] = []
        for _ in range(rng.randint(3, 20)):
            word = rng.choice(numbers) if rng.random() < 0.3 else rng.choice(vocab)
            if rng.random() < 0.15:
                word = word.upper() if rng.random() < 0.5 else word.capitalize()
            parts += [word, rng.choice(seps)]
        texts.append("".join(parts))
    return texts


def test_head_scan_equals_full_scan() -> None:
    from index.events import _candidates

    for text in _scan_texts():
        for lang in ("de", "en"):
            fast = [c.__dict__ for c in _candidates(text, lang)]
            assert fast == [c.__dict__ for c in _candidates(text, lang, full=True)], text


def test_lowercase_scan_covers_regex_case_folding() -> None:
    """The head scan lower-cases (plus İ/ı/ſ): every character the regex engine matches
    case-insensitively to a letter of a head word must lower-case to that letter, and
    lower-casing must keep word and non-word characters apart."""
    import re
    import sys

    from index import events

    chars = "".join(chr(c) for c in range(sys.maxunicode + 1)
                    if not 0xD800 <= c <= 0xDFFF and chr(c) != "İ")
    low = chars.translate(events._FOLD).lower()
    assert len(low) == len(chars)
    letters = sorted(set("".join(events._SCAN_WORDS)))
    for letter in letters:
        for m in re.finditer(re.escape(letter), chars, re.IGNORECASE):
            assert low[m.start()] == letter, (letter, m.group())
    word = re.compile(r"\w")
    assert [m.start() for m in word.finditer(chars)] == [m.start() for m in word.finditer(low)]
    assert events._lower("İm Jänner") == "im jänner"


# --- issue 11: anchoring like a careful reader ---------------------------------------

HISTORY = ("Am 1. September 1939 überfiel die Wehrmacht Polen. Am 3. September erklärten "
           "Großbritannien und Frankreich den Krieg. Warschau kapitulierte am 28. September.")


def test_day_month_follows_the_narrated_year() -> None:
    events = extract_events(HISTORY, D(2019, 9, 1))
    assert [(e.expression, e.value) for e in events] == [
        ("1. September 1939", "1939-09-01"), ("3. September", "1939-09-03"),
        ("28. September", "1939-09-28")]
    assert [e.anchored_on for e in events] == [None, "1. September 1939", "3. September"]


def test_narration_without_publication_date_still_places() -> None:
    events = extract_events(HISTORY, None)
    assert [e.value for e in events] == ["1939-09-01", "1939-09-03", "1939-09-28"]


@pytest.mark.parametrize(
    ("text", "expression", "value", "anchor"),
    [
        # a bare month after a full date narrates that year
        ("Am 9. November 1989 fiel die Mauer. Im Dezember trat die Führung zurück.",
         "Dezember", "1989-12", "9. November 1989"),
        # across New Year
        ("Am 30. Dezember 1989 wurde er gewählt. Am 1. Jänner hielt er eine Rede.",
         "1. Jänner", "1990-01-01", "30. Dezember 1989"),
        # a future sentence after a past reference is news
        ("Der Vertrag von 2015 läuft aus. Am 20. Jänner soll neu verhandelt werden.",
         "20. Jänner", "2021-01-20", "publication date"),
        # a bare year only reaches the next sentence
        ("Parler ist 2018 angetreten. Viele kamen von Twitter. Dann wurde am 20. Jänner "
         "zur Gewalt aufgerufen.", "20. Jänner", "2021-01-20", "publication date"),
        ("1989 war ein Jahr der Umbrüche. Im November fiel die Mauer.",
         "November", "1989-11", "1989"),
        # another paragraph: the news again, unless it goes on in the past tense
        ("Am 9. November 1989 fiel die Mauer.\n\nAm 20. Jänner wird gewählt.",
         "20. Jänner", "2021-01-20", "publication date"),
        ("Am 9. November 1989 fiel die Mauer.\n\nAm 3. Dezember trat die Führung zurück.",
         "3. Dezember", "1989-12-03", "9. November 1989"),
        ("Parler ist 2018 angetreten.\n\nAm 20. Jänner trat er zurück.",
         "20. Jänner", "2021-01-20", "publication date"),
        # an expression read against the publication date ends the narration
        ("Die Wahl im Oktober 2015 war knapp. Am Sonntag wählt die Steiermark, am 24. April "
         "folgt die Präsidentenwahl.", "24. April", "2021-04-24", "publication date"),
        # a hard-wrapped line does not hide the verb
        ("Am 9. November 1989 fiel die Mauer. Am 22. Dezember\nwurde das Tor geöffnet.",
         "22. Dezember", "1989-12-22", "9. November 1989"),
    ],
)
def test_anchoring(text: str, expression: str, value: str, anchor: str) -> None:
    got = {e.expression: e for e in extract_events(text, PUB_WED)}
    assert (got[expression].value, got[expression].anchored_on) == (value, anchor)


@pytest.mark.parametrize(
    ("text", "expression", "value", "anchor"),
    [
        # weekdays and relative words stay on the publication date ...
        ("Am 9. November 1989 fiel die Mauer.\n\nAm Montag wurde gefeiert.",
         "Montag", "2021-01-11", "publication date"),
        ("Am 9. November 1989 fiel die Mauer. Heute ist sie Geschichte.",
         "Heute", "2021-01-13", "publication date"),
        ("Vergangene Woche wurde gefeiert.", "Vergangene Woche", "2021-W01",
         "publication date"),
        # ... unless a full date stands right before
        ("Am Donnerstag, dem 9. November 1989, fiel die Mauer. Am Samstag standen alle "
         "vor den Banken.", "Samstag", "1989-11-11", "Donnerstag, dem 9. November 1989"),
        ("Am 3. Juni 1989 rückten Panzer vor. Tags darauf schoss das Militär.",
         "Tags darauf", "1989-06-04", "3. Juni 1989"),
        ("On May 8, 1945, the surrender took effect. The day before, Jodl had signed.",
         "The day before", "1945-05-07", "May 8, 1945"),
        ("Das Erdbeben vom Montag ist das schwerste seit 1939.", "Montag", "2021-01-11",
         "publication date"),
    ],
)
def test_weekdays_and_relative_words(text: str, expression: str, value: str,
                                     anchor: str) -> None:
    lang = "en" if text.startswith("On ") else "de"
    got = {e.expression: e for e in extract_events(text, PUB_WED, lang)}
    assert (got[expression].value, got[expression].anchored_on) == (value, anchor)


def test_next_day_without_a_date_before_is_dropped() -> None:
    assert _values("Am nächsten Tag war alles anders.") == []


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("He will take office on January 20. In June, few had given him a chance.", "en",
         [("January 20", "2021-01-20"), ("June", "2020-06")]),
        ("The bank raised rates last week. Another rise is expected next month.", "en",
         [("last week", "2021-W01"), ("next month", "2021-02")]),
        ("The platform went offline on Monday.", "en", [("Monday", "2021-01-11")]),
        ("On January 5, the company said it would appeal.", "en",
         [("January 5", "2021-01-05")]),
    ],
)
def test_english_the_same_rules(text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    assert _values(text, PUB_WED, lang) == expected


# --- issue 11: precision --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Das Bild hat 1152 x 1920 Pixel.",
        "Die Strecke von 1300 Kilometern ist lang.",
        "Der Bildschirm zeigt 1920×1080 Bildpunkte.",
        "Das Spiel endete 2019:2018 nach Verlängerung.",
        "Er hat von 2000 PS auf 1200 kW umgestellt.",
        "Der Preis liegt bei € 1999, im Angebot bei 1499€.",
        "Siehe S. 2010 im Anhang.",
        "Im Jahr 9999 und am 1.1.9999 und am 30.9.3015 passiert nichts.",
        "Die Akkus halten 1300 Minuten.",
    ],
)
def test_numbers_with_units_and_implausible_years_are_not_dates(text: str) -> None:
    assert _values(text) == []


@pytest.mark.parametrize(
    ("text", "expression", "value", "granularity", "start", "end"),
    [
        ("Im Sommer 1940 fiel Paris.", "Sommer 1940", "1940-SU", "season",
         D(1940, 6, 1), D(1940, 8, 31)),
        ("Bis Ende des Jahres 1939 waren viele geflohen.", "Ende des Jahres 1939", "1939",
         "year", D(1939, 9, 1), D(1939, 12, 31)),
        ("In the summer of 1969 men walked on the Moon.", "summer of 1969", "1969-SU",
         "season", D(1969, 6, 1), D(1969, 8, 31)),
        ("Im Winter 2020/21 blieben die Lifte zu.", "Winter 2020/21", "2020-WI", "season",
         D(2020, 12, 1), D(2021, 2, 28)),
    ],
)
def test_season_and_part_of_year_are_one_expression(
    text: str, expression: str, value: str, granularity: str, start: D, end: D
) -> None:
    lang = "en" if text.startswith("In the") else "de"
    (event,) = extract_events(text, PUB_WED, lang)
    assert (event.expression, event.value, event.granularity) == (expression, value,
                                                                  granularity)
    assert (event.start, event.end) == (start, end)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Am 3. Juni 1989 rückten Panzer vor. Zwei Tage später war der Platz geräumt.",
         [("3. Juni 1989", "1989-06-03"), ("Zwei Tage später", "1989-06-05")]),
        ("Im März 1938 marschierte die Wehrmacht ein. Im folgenden Jahr begann der Krieg.",
         [("März 1938", "1938-03"), ("Im folgenden Jahr", "1939")]),
        ("1989 fiel die Mauer. Ein Jahr später war Deutschland vereint.",
         [("1989", "1989"), ("Ein Jahr später", "1990")]),
        ("The war began in 1939. Two years later, the United States entered it.",
         [("1939", "1939"), ("Two years later", "1941")]),
        # nothing narrated before, or too coarse a reference: dropped, never guessed
        ("Zwei Tage später war alles vorbei.", []),
        ("1989 fiel die Mauer. Zwei Tage später war alles vorbei.", [("1989", "1989")]),
    ],
)
def test_counted_from_the_narrated_date(text: str, expected: list[tuple[str, str]]) -> None:
    lang = "en" if text.startswith("The") else "de"
    assert _values(text, PUB_WED, lang) == expected


def test_narrative_without_publication_date_reads_on_across_paragraphs() -> None:
    text = ("Im Sommer 1914 eskalierte die Krise.\n\nAm 28. Juli erklärte Österreich-Ungarn "
            "Serbien den Krieg.\n\nAnfang August folgten die Kriegserklärungen der anderen "
            "Mächte.")
    assert [(e.expression, e.value) for e in extract_events(text, None)] == [
        ("Sommer 1914", "1914-SU"), ("28. Juli", "1914-07-28"), ("Anfang August", "1914-08")]


WAR_1870 = """Der Deutsch-Französische Krieg

Am 19. Juli 1870 erklärte Frankreich Preußen den Krieg. Die deutschen Armeen marschierten \
Anfang August in das Elsass ein. Am 4. August kam es bei Weißenburg zum ersten Gefecht, zwei \
Tage später folgten die Schlachten bei Wörth und Spichern.

Mitte August wurde die französische Rheinarmee in Metz eingeschlossen. Nach der Schlacht von \
Sedan am 1. September geriet Napoleon III. in Gefangenschaft.

Ab dem 19. September belagerten deutsche Truppen Paris. Im Oktober kapitulierte Metz. Am 18. \
Januar 1871 wurde in Versailles das Kaiserreich proklamiert. Zehn Tage später kapitulierte \
Paris. Der Friede von Frankfurt wurde am 10. Mai unterzeichnet.
"""


@pytest.mark.parametrize("published", [None, D(2010, 5, 3)])
def test_a_history_text_keeps_its_years_across_paragraphs(published: D | None) -> None:
    values = [e.value for e in extract_events(WAR_1870, published)]
    assert values == ["1870-07-19", "1870-08", "1870-08-04", "1870-08-06", "1870-08",
                      "1870-09-01", "1870-09-19", "1870-10", "1871-01-18", "1871-01-28",
                      "1871-05-10"]


# --- robustness: date-shaped noise never raises and never leaves the plausible years --

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TOKENS = st.sampled_from([
    "Am", "am", "im", "Ende", "Anfang", "des", "Jahres", "Sommer", "Winter", "Montag",
    "Freitag", "Jänner", "Dezember", "März", "May", "January", "on", "last", "week",
    "tags", "darauf", "zwei", "Tage", "später", "folgenden", "Jahr", "vor", "Jahren",
    "9999", "0000", "1799", "1800", "2199", "2200", "1939", "31.", "29.", "2.", "12.",
    "31.12.9999", "1.1.0001", "29.2.1900", "30.9.3015", "13.02.16", "2021-13-45",
    "9999-12-31", "x", "×", ":", ",", ".", "–", "(APA,", "21.1.2021)", "(7.9.2015)",
    "\n", "\n\n", "Wien,", "LONDON,", "Pixel", "Euro", "Kilometern", "heute", "gestern",
])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(_TOKENS, max_size=40), st.sampled_from([None, D(2021, 1, 13), D(1800, 1, 1),
                                                         D(2199, 12, 31)]),
       st.sampled_from(["de", "en"]))
def test_noise_never_raises_or_leaves_the_plausible_years(
    tokens: list[str], published: D | None, lang: str
) -> None:
    from index.dates import MAX_YEAR, MIN_YEAR, find_publication_date

    text = " ".join(tokens)
    for event in extract_events(text, published, lang):
        assert text[event.span[0]:event.span[1]] == event.expression
        if event.start is not None:
            assert MIN_YEAR <= event.start.year <= event.end.year <= MAX_YEAR
    pub, _notes = find_publication_date(text)
    if pub is not None:
        assert MIN_YEAR <= pub.value.year and pub.value <= D.today() + datetime.timedelta(2)


@pytest.mark.parametrize(
    ("text", "published", "lang", "expected"),
    [
        ("Im März 1941 begann der Angriff. Im Herbst stand die Armee vor Moskau. Ende des "
         "Jahres war die Offensive gescheitert. Im Jahr darauf folgte Stalingrad.", None, "de",
         [("März 1941", "1941-03"), ("Herbst", "1941-FA"), ("Ende des Jahres", "1941"),
          ("Im Jahr darauf", "1942")]),
        ("Im vergangenen Sommer brannten die Wälder.", PUB_WED, "de",
         [("vergangenen Sommer", "2020-SU")]),
        ("Baubeginn soll im Frühjahr sein.", PUB_WED, "de", [("Frühjahr", "2021-SP")]),
        ("Seit Herbst ist die Strecke gesperrt.", PUB_WED, "de", [("Herbst", "2020-FA")]),
        ("Diesen Winter bleiben die Lifte zu.", PUB_WED, "de",
         [("Diesen Winter", "2020-WI")]),
        ("The plant will open next summer.", PUB_WED, "en", [("next summer", "2021-SU")]),
        # generic: nothing says which winter
        ("Im Winter ist es in den Bergen kalt.", PUB_WED, "de", []),
        ("Im Sommer ist das Bad geöffnet.", None, "de", []),
    ],
)
def test_seasons_without_a_year(text: str, published: D | None, lang: str,
                                expected: list[tuple[str, str]]) -> None:
    assert _values(text, published, lang) == expected


def test_a_month_announced_for_is_ahead() -> None:
    pub = D(2019, 5, 20)
    assert _values("Er hat Neuwahlen für September angekündigt.", pub) == [
        ("September", "2019-09")]
    assert _values("Die Zahlen für September zeigen einen Rückgang.", D(2019, 10, 20)) == [
        ("September", "2019-09")]
