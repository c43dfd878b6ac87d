"""Temporal expressions in news text, normalized against the publication date.

A small HeidelTime-like rule set (German "news" mode, plus the common English
forms) for the event timeline (issue 6). Pure standard library, so the indexer
can run it on every article without extra dependencies.

Pipeline: find the words and digit runs that can open an expression (one cheap
scan); try the patterns only there to get candidates; keep the longest
non-overlapping ones; split the text into sentences; then place each candidate
on the calendar. Expressions without a year of their own are anchored the way a
careful reader does (the rules are spelled out above ``_place_anchored``): a
day-month or month ("am 3. September", "im Oktober") belongs to the year the text
narrates, when it narrates one; otherwise, like weekdays and relative words
("gestern", "am Montag"), it is read against the publication date, the sentence
tense deciding past vs. future where the calendar alone cannot. Every event says
what it was read against (``anchored_on``). Years outside the plausible window
(``index.dates.MIN_YEAR``..``MAX_YEAR``) and numbers with units are never dates.

Everything that is a duration, a recurring set or a vague reference
("wochenlang", "seit Jahren", "jeden Montag", "in den vergangenen Monaten") is
deliberately not matched: a timeline needs points, not spans of unknown length.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from index.calendar_words import MONTHS, SEASONS, WEEKDAYS
from index.dates import MAX_YEAR, MIN_YEAR

__all__ = ["Event", "extract_events"]

Date = datetime.date


@dataclass(frozen=True)
class Event:
    """One temporal expression placed (or not) on the calendar.

    ``start``/``end`` bound the period the expression denotes; for a part of a
    month ("Anfang Januar") or of a year ("Ende 2020") they are narrowed to that
    part while ``value`` keeps the TIMEX3-like month/year. ``part`` is "early",
    "mid" or "late" for those. ``needs_anchor`` is True when the expression is
    relative and no publication date was given (then start/end/value are None).
    """

    start: Date | None
    end: Date | None
    granularity: str
    kind: str
    expression: str
    span: tuple[int, int]
    sentence: str
    sentence_span: tuple[int, int]
    value: str | None
    part: str | None = None
    needs_anchor: bool = False
    # Provenance of a relative or year-less expression's value: "publication date",
    # or the expression it was read against ("1. September 1939"); None when the
    # expression states its own year.
    anchored_on: str | None = None


# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

# Abbreviations are only trusted inside a full date ("3. Jan. 2021"); on their
# own ("im Jan") they collide with too many other words.
_ABBREVIATIONS = frozenset(
    "jan jän feb febr mär mrz apr jun jul aug sep sept okt nov dez mar oct dec".split()
)
_FULL_MONTHS = sorted((m for m in MONTHS if m not in _ABBREVIATIONS), key=len, reverse=True)
_ABBR_MONTHS = sorted(_ABBREVIATIONS & MONTHS.keys(), key=len, reverse=True)
_MONTH_FULL = "(?:" + "|".join(_FULL_MONTHS) + ")"
_MONTH_ANY = "(?:" + _MONTH_FULL[3:-1] + "|(?:" + "|".join(_ABBR_MONTHS) + r")\.)"
_WEEKDAY = "(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + ")"

_NUMBER_WORDS: dict[str, int] = {
    "ein": 1, "eine": 1, "einem": 1, "einer": 1, "einen": 1, "zwei": 2, "drei": 3,
    "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
    "elf": 11, "zwölf": 12, "fünfzehn": 15, "zwanzig": 20, "dreißig": 30, "fünfzig": 50,
    "hundert": 100, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "twenty": 20, "thirty": 30, "fifty": 50,
}
_NUM = r"(?:\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"

_PART_WORDS: dict[str, str] = {
    "anfang": "early", "beginn": "early", "early": "early", "beginning of": "early",
    "start of": "early", "mitte": "mid", "mid": "mid", "middle of": "mid",
    "ende": "late", "late": "late", "end of": "late",
}
_PART = (r"(?:Anfang|Beginn|Mitte|Ende|early|mid|late|beginning\s+of|start\s+of|middle\s+of"
         r"|end\s+of)")

# Modifier word stems -> direction (-1 past, 0 current, +1 future).
_DIRECTION: dict[str, int] = {
    "vergangen": -1, "letzt": -1, "vorig": -1, "abgelaufen": -1, "zurückliegend": -1,
    "last": -1, "past": -1, "previous": -1,
    "nächst": 1, "kommend": 1, "next": 1, "coming": 1, "following": 1,
    "dies": 0, "laufend": 0, "this": 0, "current": 0, "heurig": 0,
}
_MOD_DE = (r"(?:vergangene[nrs]?|letzte[nrs]?|vorige[nrs]?|abgelaufene[nrs]?|nächste[nrs]?"
           r"|kommende[nrs]?")
_MOD = _MOD_DE + r"|diese[nrms]?|laufende[nrs]?|last|next|this|coming|previous|current)"

# Nouns that make a four-digit number a quantity, not a year ("2000 Liter").
_UNIT_WORDS = frozenset("""
euro eur dollar usd franken pfund cent prozent % mio millionen milliarden mrd stück
mitarbeiter mitarbeiterinnen mitarbeitende beschäftigte beschäftigten angestellte stellen
jobs arbeitsplätze menschen personen leute einwohner besucher teilnehmer zuschauer fans
polizisten beamte beamten soldaten helfer schüler schülerinnen studenten studierende
kinder fälle tote toten verletzte verletzten infizierte neuinfektionen opfer liter tonnen
kilometer km meter m kilo kg gramm seiten punkte stimmen mal stunden minuten sekunden tage
wochen monate jahre fahrzeuge autos wohnungen häuser betten plätze flüge passagiere kunden
nutzer haushalte firmen unternehmen anträge exemplare dosen people workers employees jobs
cars units dollars euros pounds votes troops soldiers residents cases deaths miles tons
homes flights passengers users customers students children times pages points contracts
shares barrels vehicles hours uhr gmt utc cet cest mez mesz est edt pst
""".split())
# Measures, currencies and technical units (lower case, as written after a number).
_UNIT_WORDS |= frozenset("""
pixel px zoll inch inches ps kw kwh mw mwh gw hz khz mhz ghz mb gb tb kb mbit gbit mah mm cm
dm qm m² m2 km² km2 ha ml cl hl ccm grad ° °c fuß feet ft yards yd bit bytes byte dpi fps
einwohnerinnen zuschauerinnen besucherinnen quadratmeter kubikmeter hektar kalorien kcal
volt watt ampere newton bar psi knoten meilen seemeilen stufen sitze mandate tore treffer
zeilen wörter zeichen artikel folgen episoden ausgaben exemplaren titel songs lieder
franc francs yen rubel lire kronen zloty forint
""".split())
_UNIT_SYMBOLS = frozenset("€ $ £ ¥ eur usd chf gbp fr. sfr. euro dollar s. p. pp. nr. no.".split())
_UNIT_ENDINGS = ("ern", "en", "er", "es", "e", "n", "s")


def _is_unit(word: str) -> bool:
    """True when *word* (after a number) makes it a measure, amount or count:
    "Kilometern", "Pixel", "km", "Euro", "Einwohnerinnen"."""
    low = word.lower().rstrip(".,;:!?)")
    if low in _UNIT_WORDS or low in _UNIT_SYMBOLS:
        return True
    return any(low.endswith(end) and low[: -len(end)] in _UNIT_WORDS for end in _UNIT_ENDINGS)


# English words ending in "s" that may follow a year ("in 2019 was"); any other
# such word is read as a counted plural noun ("2100 contracts").
_EN_S_WORDS = frozenset(
    "this was has its plus versus thus always perhaps unless across as is".split()
)
# Words right before a number that make it a count or a reference number.
_QUANTITY_BEFORE = frozenset("""
rund etwa ca ca. circa knapp fast beinahe über weniger insgesamt zirka gut
paragraf paragraph § artikel art. nr nr. nummer seite s. linie platz kapitel absatz tel
zimmer raum top flug bus zug about around nearly almost over some roughly approximately
page number no. flight route
""".split())
# Adjectives between a number and its noun ("2000 neue Wohnungen").
_QUANTITY_ADJ = frozenset("""
neue neuen weitere weiteren zusätzliche zusätzlichen junge jungen freiwillige
freiwilligen ehemalige ehemaligen new more additional extra
""".split())
# Context before a number that makes it a year even before a capitalized word.
_YEAR_CONTEXT = frozenset("""
im jahr jahre jahres seit bis ab von vom zwischen und oder anfang mitte ende frühjahr
sommer herbst winter wahl saison quartal halbjahr geschäftsjahr jahreshälfte in since until
from of by between before after quarter
""".split())

# ---------------------------------------------------------------------------
# Tense cues (only needed to choose past vs. future for weekdays and months)
# ---------------------------------------------------------------------------

_PAST_DE = frozenset("""
hat haben habe hatte hatten hätte hätten war waren wäre wären wurde wurden worden gewesen
wollte wollten konnte konnten musste mussten fand fanden kam kamen fiel fielen gab gaben
ging gingen lag lagen stand standen sprach sprachen traf trafen nahm nahmen wies hieß rief
riefen blieb blieben brach brachen zog zogen trat traten schloss schlossen stieg stiegen
sank sanken sah sahen saß schrieb schrieben verlor verloren gewann gewannen begann begannen
bekam bekamen erhielt erhielten hielt hielten ließ ließen verließ lief liefen warf bat las
tat taten wusste brachte brachten dachte kannte nannte nannten starb flog floh wuchs schien
griff stritt litt unterschrieb verschwand fuhr trug trugen schlug entschied entschieden
bestand gelang betrug sprang stieß
""".split())
_FUTURE_DE = frozenset("""
will wollen wolle soll sollen solle wird werden werde plant planen plane geplant
vorgesehen angesetzt terminiert dürfte dürften voraussichtlich künftig demnächst
bevorstehenden bevorstehende kommenden kommende nächsten nächste
""".split())
_PAST_EN = frozenset("""
was were had did said told took fell came went met won lost made gave got saw began
became left held kept brought bought thought found stood ran rose sat sent spent cut put
hit set quit shut struck sold paid led read fled hung wrote spoke broke chose drove flew
""".split())
_FUTURE_EN = frozenset("""
will 'll shall would scheduled expected plans plan planned set due upcoming next coming
""".split())
# Participles that form the perfect with "sein": "ist ... in Kraft getreten".
_SEIN_PARTICIPLE_RE = re.compile(
    r"(?:ge(?:treten|gangen|fallen|stiegen|kommen|worden|wesen|startet|flogen|laufen|storben"
    r"|blieben|schehen|fahren|reist|zogen|sunken|wachsen|brochen|sprungen|klettert|scheitert"
    r"|landet|platzt|schieden|troffen|taucht|lungen)|verstorben|entstanden|erschienen"
    r"|passiert|verschwunden|eskaliert|explodiert)$"
)
_SEIN_FORMS = frozenset("ist sind sei seien".split())
_NOT_PRETERITE = frozenset("""
erste ersten letzte letzten nächste nächsten beste besten meiste meisten heute bitte gute
guten rechte rechten weite weiten späte späten harte harten konkrete konkreten direkte
direkten gesamte gesamten alte alten leichte leichten schlechte schlechten echte echten
breite breiten feste festen zweite zweiten dritte dritten vierte vierten fünfte fünften
sechste siebte achte neunte zehnte unten hinten mitten selten gelten halten könnten
müssten sollten dürften bräuchten konnte konnten lichte
""".split())
_DETERMINERS = frozenset("""
der die das den dem des ein eine einen einem einer eines im am zum zur vom beim ins
dieser diese dieses diesen diesem jene jener seine seiner seinen ihre ihrer ihren unsere
""".split())
_CLAUSE_SPLIT_RE = re.compile(r"[,;:()\u2013\u2014]| - ")
_WORD_RE = re.compile(r"[\w'%§]+(?:\.(?=\s|$))?")


# ---------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------

_SENT_END_RE = re.compile(r"[.!?…][\"'“”»«)\]]*(?=\s+[\"'„“»«(\[]?[A-ZÄÖÜ0-9])")
_NO_BREAK_BEFORE = frozenset("""
dr prof bzw z.b u.a usw nr str ca mio mrd min st vgl etc inkl ggf evtl sog jh jhd abs
art mr mrs ms jr sr u.s no vs dt engl franz
""".split()) | _ABBREVIATIONS


_NO_BREAK_WORD_RE = re.compile(r"\d{1,2}|[a-zäöü]")
# English writes no ordinal period: "on January 20. In June" ends a sentence.
_NO_BREAK_WORD_EN_RE = re.compile(r"[a-z]")


def _sentence_spans(text: str, lang: str = "de") -> list[tuple[int, int]]:
    """Stripped sentence spans; a line break always ends a sentence.

    News files put headlines, datelines and captions on their own lines, so lines
    are the first cut. A period after a one- or two-digit number is an ordinal
    ("20. Januar"), after a known abbreviation or single capital letter it is not
    an end either.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        spans.extend(_line_sentence_spans(text, pos, line, lang))
        pos += len(line) + 1
    return spans


def _line_sentence_spans(
    text: str, pos: int, line: str, lang: str = "de"
) -> list[tuple[int, int]]:
    """The non-empty sentence spans of *line*, which starts at *pos* in *text*."""
    spans: list[tuple[int, int]] = []
    start = pos
    for m in _SENT_END_RE.finditer(line):
        before = line[start - pos: m.start()].split()
        last = before[-1].lower().rstrip(".") if before else ""
        no_break = _NO_BREAK_WORD_EN_RE if lang == "en" else _NO_BREAK_WORD_RE
        if no_break.fullmatch(last) or last in _NO_BREAK_BEFORE:
            continue
        spans.append(_strip_span(text, start, pos + m.end()))
        start = pos + m.end()
    spans.append(_strip_span(text, start, pos + len(line)))
    return [s for s in spans if s[1] > s[0]]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so that it starts and ends on non-whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# ---------------------------------------------------------------------------
# Candidates
# ---------------------------------------------------------------------------


@dataclass
class _Cand:
    """A matched expression before it is placed on the calendar."""

    start: int
    end: int
    kind: str
    granularity: str
    order: int = 0
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    modifier: str | None = None
    part: str | None = None
    offset: int = 0
    unit: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


_Matcher = Callable[[re.Match[str], str, str], "_Cand | None"]
_RULES: list[tuple[re.Pattern[str], _Matcher, str | None]] = []
# Per rule: the lower-case words a match can start with (_DIGIT_HEAD: a run of digits).
_RULE_HEADS: list[frozenset[str]] = []
_RULE_FOLLOWS: list[frozenset[str]] = []
_DIGIT_HEAD = "0"
_DIGITS = frozenset({_DIGIT_HEAD})


def _rule(
    pattern: str, lang: str | None = None, *, heads: Iterable[str], follows: Iterable[str] = ()
) -> Callable[[_Matcher], _Matcher]:
    """Register a matcher for *pattern* (case-insensitive; matchers check case).

    *heads* must list every word a match can begin with, in lower case: the whole
    word (the maximal run of word characters at the start of the match), or
    _DIGIT_HEAD when the match begins a run of digits. Optional *follows* are words
    of which every match contains one later on, as a whole word after a non-word
    character. The pattern is only tried where a head occurs and a follow word
    occurs after it, so a wrong list silently loses matches (the tests compare
    against ``_candidates(..., full=True)``).
    """

    def wrap(func: _Matcher) -> _Matcher:
        _RULES.append((re.compile(pattern, re.IGNORECASE), func, lang))
        _RULE_HEADS.append(frozenset(heads))
        _RULE_FOLLOWS.append(frozenset(follows))
        return func

    return wrap


def _words(alternation: str) -> frozenset[str]:
    """Lower-case words of a simple alternation: ``a|b[nrs]?|c(?:es)?|d\\s+of``.

    Only the first word of an alternative counts (a head); anything fancier raises,
    so a new pattern cannot silently produce wrong heads.
    """
    out: set[str] = set()
    for alt in alternation.split("|"):
        m = re.fullmatch(r"([^\W\d_]+)(?:\[([^\W\d_]+)\]\?|\(\?:([^\W\d_]+)\)\?|\\s\+\w+)?", alt)
        if m is None:
            raise ValueError(f"unsupported alternative {alt!r}")
        word = m[1].lower()
        out.add(word)
        out.update(word + c for c in (m[2] or "").lower())
        if m[3]:
            out.add(word + m[3].lower())
    return frozenset(out)


def _span(m: re.Match[str], group: str = "x") -> tuple[int, int]:
    """Span of the expression proper (group ``x``), without leading prepositions."""
    return m.span(group) if m.groupdict().get(group) is not None else m.span()


def _month(word: str) -> int | None:
    """Month number for a capitalized month word; lower-case "may"/"march" are verbs."""
    if not word or not word[0].isupper():
        return None
    return MONTHS.get(word.rstrip(".").lower())


def _year(digits: str) -> int:
    """Four-digit year, or a two-digit one read as 19xx/20xx."""
    value = int(digits)
    if len(digits) == 2:
        value += 2000 if value < 70 else 1900
    return value


def _valid(year: int, month: int, day: int) -> bool:
    """True when the triple is a real calendar day in the plausible years."""
    return (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12
            and 1 <= day <= calendar.monthrange(year, month)[1])


def _number(word: str) -> int | None:
    """Digits or a number word ("zwei", "two")."""
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word.lower())


@_rule(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b", heads=_DIGITS)
def _iso_date(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """ISO dates as used in datelines and metadata."""
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not _valid(y, mo, d):
        return None
    return _Cand(*m.span(), "date", "day", year=y, month=mo, day=d)


@_rule(r"(?<![\d.,])(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4}|\d{2})(?![.,]?\d)",
       heads=_DIGITS)
def _numeric_date(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """German numeric dates: 21.1.2021, 13.01.2021, 13.01.21."""
    y, mo, d = _year(m["y"]), int(m["m"]), int(m["d"])
    if not _valid(y, mo, d):
        return None
    return _Cand(*m.span(), "date", "day", year=y, month=mo, day=d)


@_rule(r"(?<![\d.,])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?![\d])", heads=_DIGITS)
def _numeric_daymonth(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """German numeric day.month. without year ("am 15.12. beschlossen")."""
    mo, d = int(m["m"]), int(m["d"])
    if not _valid(2000, mo, d):
        return None
    return _Cand(*m.span(), "daymonth", "day", month=mo, day=d)


@_rule(
    r"(?<![\d.,])(?P<d>\d{1,2})(?:\.|st|nd|rd|th)?\s*(?:of\s+)?(?P<mon>" + _MONTH_ANY
    + r"|" + _MONTH_FULL + r")\.?,?\s+(?P<y>\d{4})(?!\d)",
    heads=_DIGITS,
)
def _dmy(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"21. Jänner 2021", "11 January 2021"."""
    return _full_date(m)


@_rule(
    r"\b(?P<mon>" + _MONTH_ANY + r"|" + _MONTH_FULL
    + r")\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?!\d)",
    heads=MONTHS,
)
def _mdy(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"January 11, 2021"."""
    return _full_date(m)


def _full_date(m: re.Match[str]) -> _Cand | None:
    """A day, month name and year matched by either word order, if the date exists."""
    mo = _month(m["mon"])
    y, d = int(m["y"]), int(m["d"])
    if mo is None or not _valid(y, mo, d):
        return None
    return _Cand(*m.span(), "date", "day", year=y, month=mo, day=d)


@_rule(
    r"(?<![\d.,])(?P<d>\d{1,2})(?:\.|st|nd|rd|th)?\s*(?:of\s+)?(?P<mon>" + _MONTH_FULL
    + r"|" + _MONTH_ANY + r")(?![\w-])",
    heads=_DIGITS,
)
def _daymonth(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"am 20. Januar", "20 January": the year comes from the publication date."""
    mo, d = _month(m["mon"]), int(m["d"])
    if mo is None or not _valid(2000, mo, d):
        return None
    return _Cand(*m.span(), "daymonth", "day", month=mo, day=d)


@_rule(
    r"\b(?P<mon>" + _MONTH_ANY + r"|" + _MONTH_FULL
    + r")\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?![.,:]?\d)", "en",
    heads=MONTHS,
)
def _monthday(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """English "January 20" (German never puts the day after the month)."""
    mo, d = _month(m["mon"]), int(m["d"])
    if mo is None or not _valid(2000, mo, d):
        return None
    return _Cand(*m.span(), "daymonth", "day", month=mo, day=d)


@_rule(
    r"(?<![\d.,])(?P<x>(?P<d>\d{1,2})\.)(?=\s*(?:und|bis|oder|/|–|-)\s*\d{1,2}\.\s*(?P<mon>"
    + _MONTH_FULL + r")(?:\s+(?P<y>\d{4}))?)",
    heads=_DIGITS,
)
def _coordinated_day(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """The first day of "am 28. und 29. Juni", which borrows the month of the second."""
    mo, d = _month(m["mon"]), int(m["d"])
    if mo is None or not _valid(2000, mo, d):
        return None
    start, end = _span(m)
    if m["y"]:
        return _Cand(start, end, "date", "day", year=int(m["y"]), month=mo, day=d)
    return _Cand(start, end, "daymonth", "day", month=mo, day=d)


@_rule(r"\b(?P<p>" + _PART + r")[\s-]+(?P<mon>" + _MONTH_FULL + r")(?:\s+(?P<y>\d{4}))?\b",
       heads=_words(_PART[3:-1]))
def _monthpart(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"Anfang Januar", "Mitte Februar 2020", "mid-October"."""
    mo = _month(m["mon"])
    if mo is None:
        return None
    part = _PART_WORDS[" ".join(m["p"].lower().split())]
    year = int(m["y"]) if m["y"] else None
    return _Cand(*m.span(), "monthpart", "month", year=year, month=mo, part=part)


@_rule(r"\b(?P<p>" + _PART + r")[\s-]+(?P<y>(?:19|20)\d{2})(?![\d.,]\d|\d)",
       heads=_words(_PART[3:-1]))
def _yearpart(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"Ende 2020", "Anfang 2019": a year with a part."""
    part = _PART_WORDS[" ".join(m["p"].lower().split())]
    return _Cand(*m.span(), "year", "year", year=int(m["y"]), part=part)


@_rule(r"\b(?P<p>Anfang|Beginn|Mitte|Ende)\s+des\s+Jahres\s+(?P<y>\d{4})(?![\d.,]\d|\d)",
       heads=_words("Anfang|Beginn|Mitte|Ende"), follows=_words("Jahres"))
def _yearpart_long(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"Ende des Jahres 1939": one expression, the year with its part."""
    part = _PART_WORDS[m["p"].lower()]
    return _Cand(*m.span(), "year", "year", year=int(m["y"]), part=part)


_SEASON_RE = "Frühjahr|Frühling|Sommer|Herbst|Winter|spring|summer|autumn|fall"


@_rule(
    r"\b(?P<s>" + _SEASON_RE + r")(?:\s+(?:des\s+Jahres|of))?\s+(?P<y>\d{4})"
    r"(?:/(?:\d{4}|\d{2}))?(?![\d.,]\d|\d)",
    heads=_words(_SEASON_RE),
)
def _season(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"Sommer 1940", "im Frühjahr 2015", "summer of 1969", "Winter 2020/21": one
    expression of season granularity (TIMEX3 ``1940-SU``)."""
    word = m["s"].lower()
    if lang == "de" and not m["s"][0].isupper():
        return None
    if word == "fall" and (_words_before(text, m.start(), 1) or [""])[-1] not in (
            "in", "the", "this", "last", "of", "since", "by", "until", "next"):
        return None  # "prices fall 2000 points" is a verb
    year = int(m["y"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    return _Cand(*m.span(), "season", "season", year=year, part=SEASONS[word])


_SEASON_PREPS = ("im|ab|bis|seit|this|last|next|diesen|kommenden|vergangenen|nächsten"
                 "|letzten")


@_rule(
    r"\b(?:(?P<prep>" + _SEASON_PREPS + r")|in\s+the)\s+(?P<s>" + _SEASON_RE + r")\b",
    heads=_words(_SEASON_PREPS + "|in"),
    follows=_words(_SEASON_RE),
)
def _bare_season(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"im Herbst", "ab Frühjahr", "in the summer": the season of the narrated year, or
    (with a tense or a modifier saying which) the one before or after the publication
    date; a generic "Im Winter ist es kalt" is dropped."""
    word = m["s"].lower()
    if lang == "de" and not m["s"][0].isupper():
        return None
    start = m.start("s") if (m["prep"] or "").lower() in ("im", "ab", "bis", "seit") else (
        m.start())
    return _Cand(start, m.end(), "season", "season", part=SEASONS[word],
                 modifier=(m["prep"] or "").lower() or None, extra={"drop_unplaced": "1"})


@_rule(r"\b(?:im\s+)?(?P<unit>Jahr|Monat)\s+(?P<dir>darauf|danach|zuvor)\b",
       heads=_words("im|Jahr|Monat"), follows=_words("darauf|danach|zuvor"))
def _unit_after(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"im Jahr darauf", "im Monat zuvor": the year (month) after or before the one
    narrated just before."""
    unit = _unit(m["unit"])
    return _Cand(*m.span(), "relative", unit, offset=_LATER_SIGN.get(m["dir"].lower(), 1),
                 unit=unit, extra={"narrative": "1"})


_NEXT_DAY_HEADS = frozenset(
    "am nächsten folgenden darauffolgenden tag tags vortag the next following".split())


@_rule(
    r"\b(?:am\s+)?(?:(?P<n1>nächsten|folgenden|darauffolgenden)\s+Tag|Tag\s+darauf"
    r"|tags\s+darauf|(?P<p1>Vortag)|(?:the\s+)?(?:next|following)\s+day|the\s+day\s+after"
    r"|(?P<p2>the\s+day\s+before))\b",
    heads=_NEXT_DAY_HEADS,
)
def _next_day(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"am nächsten Tag", "tags darauf", "am Vortag", "the next day": a day relative
    to the date narrated just before (dropped when there is none)."""
    offset = -1 if (m["p1"] or m["p2"]) else 1
    return _Cand(*m.span(), "relative", "day", offset=offset, unit="day",
                 extra={"narrative": "1"})


@_rule(
    r"\b(?P<p>Anfang|Mitte|Ende)\s+(?:des\s+(?P<cur>Jahres|Monats)|(?P<mod>"
    + _MOD + r")\s+(?P<unit>Jahres|Monats))\b",
    heads=_words("Anfang|Mitte|Ende"),
    follows=_words("Jahres|Monats"),
)
def _part_of_relative(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"Anfang des Jahres", "Ende vergangenen Jahres": part of the current/adjacent year."""
    unit = (m["cur"] or m["unit"]).lower()
    gran = "year" if unit.startswith("jahr") else "month"
    part = _PART_WORDS[m["p"].lower()]
    return _Cand(*m.span(), "relative", gran, part=part, modifier=m["mod"], unit=gran)


@_rule(
    r"\b(?:the\s+)?(?P<p>end|beginning|start|middle)\s+of\s+(?:(?P<mod>the|this|last|next)\s+)?"
    r"(?P<unit>year|month)\b",
    heads=_words("the|end|beginning|start|middle"),
    follows=_words("year|month"),
)
def _part_of_relative_en(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"by the end of the year", "beginning of next month"."""
    gran = m["unit"].lower()
    part = _PART_WORDS[m["p"].lower() + " of"]
    mod = None if m["mod"] in (None, "the") else m["mod"]
    return _Cand(*m.span(), "relative", gran, part=part, modifier=mod, unit=gran)


@_rule(r"\b(?P<mon>" + _MONTH_ANY + r"|" + _MONTH_FULL + r")\s+(?P<y>\d{4})(?![\d.,]\d|\d)",
       heads=MONTHS)
def _month_year(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"Dezember 2019", "March 2015"."""
    mo = _month(m["mon"])
    nxt = _words_after(text, m.end(), 2)
    if mo is None or (nxt and _is_unit(nxt[0])):
        return None  # "im Mai 2000 Mitarbeiter": a count after a bare month
    return _Cand(*m.span(), "month", "month", year=int(m["y"]), month=mo)


_MONTH_PREPOSITIONS = (
    "im|ab|seit|bis|für|vom|zum|von|in|since|until|by|from|during|before|after|till"
)


@_rule(
    r"\b(?P<prep>" + _MONTH_PREPOSITIONS + r")"
    r"\s+(?:(?:dem|den|the)\s+)?(?:(?P<mod>" + _MOD + r")\s+)?(?P<x>(?P<mon>" + _MONTH_FULL
    + r"))\b",
    heads=_words(_MONTH_PREPOSITIONS),
    follows=_FULL_MONTHS,
)
def _bare_month(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"im Januar", "ab Feber", "in March": year from the publication date."""
    mo = _month(m["mon"])
    nxt = _words_after(text, m.end(), 1)
    if mo is None or (m["prep"].lower() == "von" and nxt and nxt[0][:1].isupper()):
        return None  # "von August Bebel": a first name
    start = m.start("mod") if m["mod"] else m.start("x")
    return _Cand(start, m.end("x"), "month", "month", month=mo, modifier=m["mod"])


_WEEKDAY_MODS = (
    "heutigen|gestrigen|morgigen|vergangenen|letzten|vorigen|kommenden|nächsten"
    "|diesen|last|next|this|coming|past"
)
_WEEKDAY_TIMES = "abend|morgen|nachmittag|vormittag|mittag|nacht|früh"


@_rule(
    r"\b(?:(?P<mod>" + _WEEKDAY_MODS + r")\s+)?(?P<wd>" + _WEEKDAY
    + r")(?P<tod>" + _WEEKDAY_TIMES + r")?"
    r"(?:\s+(?P<suf>kommender|nächster|vergangener|letzter|voriger|dieser)\s+Woche)?\b",
    # "Montagabend" is one word: the weekday plus a time of day.
    heads=_words(_WEEKDAY_MODS) | WEEKDAYS.keys()
    | {day + time for day in WEEKDAYS for time in _words(_WEEKDAY_TIMES)},
)
def _weekday(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"am Montag", "seit Montag", "am heutigen Mittwoch", "Donnerstag kommender Woche"."""
    if not m["wd"][0].isupper():
        return None
    before = text[max(0, m.start() - 12): m.start()].lower().split()
    if before and before[-1] in ("jeden", "jede", "every", "each", "immer"):
        return None  # a recurring set, not a point in time
    cand = _Cand(*m.span(), "weekday", "day", weekday=WEEKDAYS[m["wd"].lower()])
    cand.modifier = (m["mod"] or "").lower() or None
    if m["suf"]:
        cand.extra["week"] = m["suf"].lower()
    return cand


_DAY_WORDS: dict[str, int] = {
    "vorgestern": -2, "gestern": -1, "heute": 0, "morgen": 1, "übermorgen": 2,
    "yesterday": -1, "today": 0, "tomorrow": 1,
}


_DAY_WORD_RE = "vorgestern|übermorgen|gestern|heute|morgen|yesterday|today|tomorrow"


@_rule(
    r"\b(?P<w>" + _DAY_WORD_RE + r")"
    r"(?:\s+(?P<tod>Morgen|Abend|Nachmittag|Vormittag|Mittag|Nacht|früh|morning|evening"
    r"|night|afternoon)\b)?(?!-)\b",
    heads=_words(_DAY_WORD_RE),
)
def _day_word(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"gestern", "heute Morgen", "yesterday"; capital "Morgen" only as "tomorrow"."""
    word = m["w"]
    if word.lower() == "morgen" and not _is_tomorrow(m, text):
        return None
    if word[0].isupper() and word.lower() != "morgen" and not _at_sentence_start(text, m.start()):
        return None  # "die Zeitung Heute", "NBC's Today": a name, not a day
    return _Cand(*m.span(), "relative", "day", offset=_DAY_WORDS[word.lower()], unit="day")


def _is_tomorrow(m: re.Match[str], text: str) -> bool:
    """"morgen" is tomorrow; "Morgen" is the noun (am Morgen) unless it opens a sentence
    followed by a verb ("Morgen beginnt ...")."""
    before = text[max(0, m.start() - 12): m.start()].lower().split()
    if before and before[-1] in ("am", "den", "jeden", "einen", "guten", "diesen", "am", "dem"):
        return False
    if m["w"] == "morgen":
        return True
    after = text[m.end(): m.end() + 20].split()
    return _at_sentence_start(text, m.start()) and bool(after) and after[0][:1].islower()


def _at_sentence_start(text: str, pos: int) -> bool:
    """True when only punctuation/whitespace of a sentence end precedes *pos*."""
    head = text[:pos].rstrip(" \t\"„“'(")
    return not head or head[-1] in ".!?:\n" or text[:pos].endswith("\n")


_UNIT_RE = (r"(?P<unit>Tag(?:en|e)?|Woche(?:n)?|Monat(?:en|e)?|Jahr(?:en|e)?|days?|weeks?"
            r"|months?|years?)")
_UNIT_WORDS_RE = (
    "Tag(?:en)?|Tag(?:e)?|Woche(?:n)?|Monat(?:en)?|Monat(?:e)?|Jahr(?:en)?|Jahr(?:e)?|day[s]?"
    "|week[s]?|month[s]?|year[s]?"
)  # _UNIT_RE spelled for _words()


def _unit(word: str) -> str:
    """Calendar unit of a German or English unit word."""
    w = word.lower()
    for key, unit in (("t", "day"), ("d", "day"), ("w", "week"), ("m", "month")):
        if w.startswith(key):
            return unit
    return "year"


@_rule(r"\b(?P<h>heute|today)\s+vor\s+(?P<n>" + _NUM + r")\s+" + _UNIT_RE + r"\b",
       heads=_words("heute|today"), follows=_words(_UNIT_WORDS_RE))
def _today_ago(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"heute vor einer Woche": an exact day, unlike "vor einer Woche"."""
    n = _number(m["n"])
    if n is None:
        return None
    return _Cand(*m.span(), "relative", "day", offset=-n, unit=_unit(m["unit"]),
                 extra={"exact": "1"})


@_rule(
    r"\bvor\s+(?:(?:genau|knapp|rund|fast|gut|etwa|nur|erst|bereits|schon|ziemlich)\s+)?"
    r"(?P<n>" + _NUM + r")\s+" + _UNIT_RE + r"\b",
    heads=_words("vor"),
    follows=_words(_UNIT_WORDS_RE),
)
def _ago_de(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"vor drei Tagen", "vor zwei Wochen", "vor genau 30 Jahren"."""
    return _ago(m, -1)


@_rule(r"\b(?P<n>" + _NUM + r")\s+" + _UNIT_RE + r"\s+ago\b",
       heads=_DIGITS | _NUMBER_WORDS.keys(), follows=_words("ago"))
def _ago_en(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"two weeks ago"."""
    return _ago(m, -1)


@_rule(r"\bin\s+(?P<n>" + _NUM + r")\s+(?P<unit>Tagen|Wochen|Monaten|Jahren|days|weeks|months"
       r"|years)\b", heads=_words("in"), follows=_words(_UNIT_WORDS_RE))
def _in_de(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"in zwei Wochen", "in two weeks": a future point ("binnen" is a duration)."""
    return _ago(m, 1)


def _ago(m: re.Match[str], sign: int) -> _Cand | None:
    """Relative offset of N units, at the granularity of the unit."""
    n = _number(m["n"])
    if n is None or n == 0:
        return None
    unit = _unit(m["unit"])
    return _Cand(*m.span(), "relative", unit, offset=sign * n, unit=unit)


_LATER_DE = "später|danach|darauf|zuvor|vorher|früher"
_LATER_EN = "later|earlier"
_ANAPHOR_DE = "folgenden|darauffolgenden|selben|gleichen|vorangegangenen"
_ANAPHOR_EN = "following|same|previous"
_LATER_SIGN = {"später": 1, "danach": 1, "darauf": 1, "zuvor": -1, "vorher": -1,
               "früher": -1, "later": 1, "earlier": -1, "folgenden": 1,
               "darauffolgenden": 1, "selben": 0, "gleichen": 0, "vorangegangenen": -1,
               "following": 1, "same": 0, "previous": -1}


@_rule(
    r"\b(?P<n>" + _NUM + r")\s+" + _UNIT_RE + r"\s+(?P<dir>" + _LATER_DE + "|" + _LATER_EN
    + r")\b",
    heads=_DIGITS | _NUMBER_WORDS.keys(),
    follows=_words(_LATER_DE + "|" + _LATER_EN),
)
def _units_later(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"zwei Tage später", "ein Jahr danach", "three weeks later": counted from the date
    narrated just before (dropped when there is none)."""
    n = _number(m["n"])
    if n is None:
        return None
    unit = _unit(m["unit"])
    return _Cand(*m.span(), "relative", unit, offset=n * _LATER_SIGN[m["dir"].lower()],
                 unit=unit, extra={"narrative": "1"})


@_rule(
    r"\b(?:(?:im|am|in\s+der|the)\s+)?(?P<dir>" + _ANAPHOR_DE + "|" + _ANAPHOR_EN
    + r")\s+(?P<unit>Jahr|Monat|Woche|year|month|week)\b",
    heads=_words("im|am|in|the|" + _ANAPHOR_DE + "|" + _ANAPHOR_EN),
    follows=_words("Jahr|Monat|Woche|year|month|week"),
)
def _anaphoric_unit(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"im folgenden Jahr", "im selben Monat", "the following year": the year (month,
    week) of the date narrated just before, or the one after or before it."""
    unit = _unit(m["unit"])
    return _Cand(*m.span(), "relative", unit, offset=_LATER_SIGN[m["dir"].lower()],
                 unit=unit, extra={"narrative": "1"})


@_rule(r"\b(?P<mod>" + _MOD + r")\s+(?P<unit>Woche|week|Monat|month|Jahr(?:es)?|year)\b",
       heads=_words(_MOD[3:-1]), follows=_words("Woche|week|Monat|month|Jahr(?:es)?|year"))
def _relative_unit(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """"vergangene Woche", "im vergangenen Jahr", "next week", "letztes Jahr"."""
    mod = m["mod"].lower()
    if mod == "past":
        return None  # "the past year" is a duration
    unit = _unit(m["unit"])
    return _Cand(*m.span(), "relative", unit, offset=_direction(mod), unit=unit)


@_rule(r"\b(?P<w>Vorwoche|Vormonat|Vorjahr(?:es)?|heuer)\b",
       heads=_words("Vorwoche|Vormonat|Vorjahr(?:es)?|heuer"))
def _previous_unit(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """Compounds: "in der Vorwoche", "im Vorjahr"; Austrian "heuer" (this year)."""
    w = m["w"].lower()
    if w == "heuer":
        return _Cand(*m.span(), "relative", "year", offset=0, unit="year")
    unit = {"vorw": "week", "vorm": "month"}.get(w[:4], "year")
    return _Cand(*m.span(), "relative", unit, offset=-1, unit=unit)


# Not a side of a dimension ("1152 x 1920") or of a score ("2019:2018").
@_rule(r"(?<![\d.,/\w$€£¥-])(?<!\d\s[x×]\s)(?<!\d[x×]\s)(?<!\d\s[x×])(?<!\d[x×:])"
       r"(?<!\d\s:\s)(?P<y>1\d{3}|20\d{2}|2100)"
       r"(?![\w%€$£]|[.,]\d|-\w|/\d|\s?[x×:]\s?\d)", heads=_DIGITS)
def _bare_year(m: re.Match[str], text: str, lang: str) -> _Cand | None:
    """A four-digit number used as a year ("2018", "im Jahr 2018", "seit 1973")."""
    year = int(m["y"])
    prev = _words_before(text, m.start(), 2)
    nxt = _words_after(text, m.end(), 2)
    if not _looks_like_year(year, prev, nxt, lang):
        return None
    start = m.start()
    lead = _YEAR_LEAD_RE.search(text[max(0, start - 10): start])
    if lead:
        start -= len(lead.group())  # "im Jahr 2018": the expression is "Jahr 2018"
    return _Cand(start, m.end(), "year", "year", year=year)


_YEAR_LEAD_RE = re.compile(r"\b(?:Jahr|year)\s+$", re.IGNORECASE)


def _looks_like_year(year: int, prev: list[str], nxt: list[str], lang: str) -> bool:
    """Filter counts, amounts and reference numbers that look like years."""
    context = bool(prev) and prev[-1] in _YEAR_CONTEXT
    if not 1900 <= year <= 2100 and not context:
        return False
    if prev and (prev[-1] in _QUANTITY_BEFORE or " ".join(prev[-2:]) in ("bis zu", "mehr als")):
        return False
    if nxt and _is_unit(nxt[0]):
        return False
    if prev and prev[-1] in _UNIT_SYMBOLS:
        return False  # "€ 1500", "S. 2010"
    if (prev and prev[-1].isdigit()) or (nxt and nxt[0].isdigit()):
        return False  # a group of a phone or account number ("0662 2021 11")
    if len(nxt) > 1 and nxt[0].lower() in _QUANTITY_ADJ:
        return False
    if lang == "en" and nxt and _english_plural(nxt[0]):
        return False
    capital_noun = bool(nxt) and nxt[0][:1].isupper() and _month(nxt[0]) is None
    return not (lang == "de" and capital_noun and not context)


def _english_plural(word: str) -> bool:
    """A lower-case English word ending in "s" that is likely a counted noun."""
    low = word.lower()
    return word.islower() and len(low) > 3 and low.endswith("s") and low not in _EN_S_WORDS


_BEFORE_STOP_RE = re.compile(r"[,;:()\[\]\"„“”]")
_AFTER_STOP_RE = re.compile(r"[.,;:!?()\[\]\"„“”]")


def _words_before(text: str, pos: int, n: int) -> list[str]:
    """Up to *n* lower-cased words before *pos* on the same line (punctuation ends it)."""
    chunk = text[max(0, pos - 40): pos].split("\n")[-1]
    chunk = _BEFORE_STOP_RE.split(chunk)[-1]
    return [w.lower() for w in chunk.split()][-n:]


def _words_after(text: str, pos: int, n: int) -> list[str]:
    """Up to *n* words after *pos*, stopping at punctuation (case kept)."""
    chunk = text[pos: pos + 40].split("\n")[0]
    if chunk[:1] and not chunk[:1].isspace():
        return []
    chunk = _AFTER_STOP_RE.split(chunk)[0]
    return chunk.split()[:n]


def _direction(word: str | None) -> int:
    """-1/0/+1 for a modifier word ("vergangenen", "nächste", "this")."""
    if not word:
        return 0
    w = word.lower()
    for stem, sign in _DIRECTION.items():
        if w.startswith(stem):
            return sign
    return 0


# ---------------------------------------------------------------------------
# Finding candidates fast
#
# Running all ~20 case-insensitive patterns over the whole text costs ~1 µs per
# character. Every match starts with one of its rule's heads (a run of digits or
# one of a few hundred words), so one scan finds the heads and each pattern is
# only tried there (and, with *follows*, only if a word every match contains
# occurs later), with ``pattern.match(text, pos)``: lookbehinds and ``\b`` still
# see the text before *pos*, lookaheads the rest of the text, and skipping heads
# inside a previous match of the same rule reproduces finditer's non-overlapping
# left-to-right semantics exactly.
#
# The word scan runs on a lower-cased copy with a plain (trie-shaped) pattern,
# which is ~25x faster than a case-insensitive alternation. Lower-casing is a
# superset of the regex engine's case folding for the letters of the heads once
# dotless i, long s and dotted capital I are folded too (checked over all code
# points in the tests); it keeps word/non-word characters apart and, for any text
# of unchanged length, every offset. Otherwise the full scan is used.
# ---------------------------------------------------------------------------


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex alternation of *words* factored by common prefixes (fast for re)."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return emit(trie)


def _head_tables() -> dict[str, dict[str, tuple[int, ...]]]:
    """Per language: head word -> indices of the rules that can start with it."""
    tables: dict[str, dict[str, tuple[int, ...]]] = {}
    for lang in ("de", "en"):
        table: dict[str, list[int]] = {}
        for order, ((_, _, rule_lang), heads) in enumerate(zip(_RULES, _RULE_HEADS, strict=True)):
            if rule_lang and rule_lang != lang:
                continue
            for head in heads:
                table.setdefault(head, []).append(order)
        tables[lang] = {head: tuple(orders) for head, orders in table.items()}
    return tables


_HEAD_RULES = _head_tables()
# Distinct follow sets; per rule the index of its set (-1: none); per word its sets.
_FOLLOW_SETS = sorted({f for f in _RULE_FOLLOWS if f}, key=sorted)
_RULE_FOLLOW = [_FOLLOW_SETS.index(f) if f else -1 for f in _RULE_FOLLOWS]
_WORD_FOLLOWS = {
    word: tuple(i for i, f in enumerate(_FOLLOW_SETS) if word in f)
    for word in set().union(*_FOLLOW_SETS)
}
_SCAN_WORDS = sorted((set().union(*_RULE_HEADS) - {_DIGIT_HEAD}) | _WORD_FOLLOWS.keys())
if any(not w.isalpha() or w != w.lower() for w in _SCAN_WORDS):
    raise ValueError("heads and follows must be lower-case words")
# A non-word character (a space is prepended to the text), then a whole word.
_HEAD_RE = re.compile(r"\W(" + _trie_pattern(_SCAN_WORDS) + r")(?!\w)")
_DIGIT_RUN_RE = re.compile(r"\d+")
_FOLD = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})


def _lower(text: str) -> str | None:
    """*text* lower-cased for the head scan, or None when offsets would shift."""
    if not text.isascii() and ("İ" in text or "ı" in text or "ſ" in text):
        text = text.translate(_FOLD)
    low = text.lower()
    return low if len(low) == len(text) else None


def _rule_matches(text: str, lang: str) -> list[tuple[int, re.Match[str]]]:
    """(rule index, match) for every rule match, as finditer on each rule would find."""
    low = _lower(text)
    if low is None:
        return _rule_matches_full(text, lang)
    table = _HEAD_RULES[lang]
    words = [(m.start(), m.group(1)) for m in _HEAD_RE.finditer(" " + low)]
    last_follow = [-1] * (len(_FOLLOW_SETS) + 1)  # [-1] stays -1: rules without follows
    for pos, word in words:
        for i in _WORD_FOLLOWS.get(word, ()):
            last_follow[i] = pos
    hits = [(pos, table[word]) for pos, word in words if word in table]
    digit_rules = table.get(_DIGIT_HEAD, ())
    hits.extend((m.start(), digit_rules) for m in _DIGIT_RUN_RE.finditer(text))
    hits.sort(key=lambda h: h[0])
    out: list[tuple[int, re.Match[str]]] = []
    last_end = [0] * len(_RULES)
    for pos, orders in hits:
        for order in orders:
            if pos < last_end[order]:
                continue  # inside this rule's previous match
            follow = _RULE_FOLLOW[order]
            if follow >= 0 and last_follow[follow] <= pos:
                continue  # no word after pos that every match of this rule contains
            m = _RULES[order][0].match(text, pos)
            if m is not None:
                last_end[order] = m.end()
                out.append((order, m))
    return out


def _rule_matches_full(text: str, lang: str) -> list[tuple[int, re.Match[str]]]:
    """The reference: every rule's pattern over the whole text."""
    return [
        (order, m)
        for order, (pattern, _, rule_lang) in enumerate(_RULES)
        if not rule_lang or rule_lang == lang
        for m in pattern.finditer(text)
    ]


def _candidates(text: str, lang: str, *, full: bool = False) -> list[_Cand]:
    """All rule matches, reduced to the longest non-overlapping ones.

    ``full=True`` scans with every pattern (slow reference; same result).
    """
    found: list[_Cand] = []
    matches = _rule_matches_full(text, lang) if full else _rule_matches(text, lang)
    for order, m in matches:
        cand = _RULES[order][1](m, text, lang)
        if cand is not None:
            cand.order = order
            found.append(cand)
    found.sort(key=lambda c: (-(c.end - c.start), c.order, c.start))
    kept: list[_Cand] = []
    for cand in found:
        if all(cand.end <= k.start or cand.start >= k.end for k in kept):
            kept.append(cand)
    return sorted(kept, key=lambda c: c.start)


# ---------------------------------------------------------------------------
# Tense
# ---------------------------------------------------------------------------


def _tense(sentence: str, rel_start: int, lang: str) -> int:
    """-1 past, +1 future, 0 unknown for the expression at *rel_start* in *sentence*.

    The clause around the expression decides first ("Der Minister sagte, das Gesetz
    solle am Montag ..." is future for Montag), then the nearest cue in the sentence.
    """
    clause_start = 0
    clause_end = len(sentence)
    for m in _CLAUSE_SPLIT_RE.finditer(sentence):
        if m.end() <= rel_start:
            clause_start = m.end()
        elif m.start() > rel_start:
            clause_end = m.start()
            break
    clause = _cues(sentence[clause_start:clause_end], lang)
    if clause:
        pos = rel_start - clause_start
        return min(clause, key=lambda c: (abs(c[0] - pos), -c[1]))[1]
    cues = _cues(sentence, lang)
    if cues:
        return min(cues, key=lambda c: abs(c[0] - rel_start))[1]
    return 0


def _cues(chunk: str, lang: str) -> list[tuple[int, int]]:
    """(offset, direction) of every tense cue word in *chunk*."""
    words = [(m.start(), m.group()) for m in _WORD_RE.finditer(chunk)]
    lowered = [w.lower().rstrip(".") for _, w in words]
    has_sein = any(w in _SEIN_FORMS for w in lowered)
    # Words that can be a cue at all (see _cue_sign); the rest are skipped cheaply.
    known, endings = (_CUES_EN, ("'ll", "ed")) if lang == "en" else (_CUES_DE, ("te", "ten"))
    check_all = has_sein and lang != "en"
    cues: list[tuple[int, int]] = []
    for i, ((pos, word), low) in enumerate(zip(words, lowered, strict=True)):
        if not (check_all or low in known or low.endswith(endings)):
            continue
        prev = lowered[i - 1] if i else ""
        sign = _cue_sign(word, low, prev, has_sein, lang)
        if sign:
            cues.append((pos, sign))
    return cues


_CUES_EN = _FUTURE_EN | _PAST_EN
_CUES_DE = _FUTURE_DE | _PAST_DE


def _cue_sign(word: str, low: str, prev: str, has_sein: bool, lang: str) -> int:
    """Tense direction signalled by one word (0 when none)."""
    if lang == "en":
        if low in _FUTURE_EN or low.endswith("'ll"):
            return 1
        if low in _PAST_EN or (len(low) > 4 and low.endswith("ed") and prev not in ("the", "a")):
            return -1
        return 0
    if low in _FUTURE_DE:
        return 1
    if low in _PAST_DE:
        return -1
    if has_sein and _SEIN_PARTICIPLE_RE.search(low):
        return -1
    if word[:1].islower() and prev not in _DETERMINERS and _weak_preterite(low):
        return -1
    return 0


def _weak_preterite(low: str) -> bool:
    """Heuristic for weak preterite forms ("meldete", "einigte", "stürzten").

    Singular "-te" is safe once adjectives are excluded; plural "-ten" only after
    consonants that rarely end an infinitive stem (so "halten", "warten" stay out).
    """
    if len(low) < 5 or low in _NOT_PRETERITE:
        return False
    if low.endswith("te"):
        return True
    if low.endswith("eten"):
        return not low.endswith(("reten", "ieten"))
    return low.endswith(("gten", "kten", "zten", "ßten", "ssten", "pten", "bten", "mten",
                         "hnten", "elten", "ilten", "ölten", "ählten", "ehrten", "erten"))


# ---------------------------------------------------------------------------
# Placing candidates on the calendar
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Placed:
    """Start, end and TIMEX3 value of a placed candidate."""

    start: Date
    end: Date
    value: str


def _day(d: Date) -> _Placed:
    return _Placed(d, d, d.isoformat())


def _week(d: Date) -> _Placed:
    monday = d - datetime.timedelta(days=d.weekday())
    iso = d.isocalendar()
    return _Placed(monday, monday + datetime.timedelta(days=6), f"{iso[0]}-W{iso[1]:02d}")


_PART_DAYS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
_PART_MONTHS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}


def _month_period(year: int, month: int, part: str | None = None) -> _Placed:
    last = calendar.monthrange(year, month)[1]
    first_day, last_day = _PART_DAYS.get(part or "", (1, last))
    return _Placed(Date(year, month, first_day), Date(year, month, min(last_day, last)),
                   f"{year:04d}-{month:02d}")


def _year_period(year: int, part: str | None = None) -> _Placed:
    first, last = _PART_MONTHS.get(part or "", (1, 12))
    return _Placed(Date(year, first, 1), Date(year, last, 31 if last == 12 else
                   calendar.monthrange(year, last)[1]), f"{year:04d}")


def _add_months(d: Date, n: int) -> tuple[int, int]:
    index = d.year * 12 + d.month - 1 + n
    return index // 12, index % 12 + 1


def _closest_year(pub: Date, month: int, day: int | None, tense: int) -> int:
    """Year that puts month/day nearest to *pub*; tense only overrides a far guess.

    "am 20. Januar" in a past-tense sentence one week before the date is still
    next week (it is what was announced), so tense wins only beyond ~2 months.
    """
    def distance(year: int) -> int:
        target = Date(year, month, min(day or 15, calendar.monthrange(year, month)[1]))
        return (target - pub).days

    years = sorted((pub.year - 1, pub.year, pub.year + 1), key=lambda y: abs(distance(y)))
    best = years[0]
    if tense < 0 and distance(best) > 60:
        best -= 1
    elif tense > 0 and distance(best) < -60:
        best += 1
    return best


def _place(c: _Cand, pub: Date | None, tense: int) -> _Placed | None:
    """Calendar position of *c*, or None when it needs a publication date we lack."""
    if c.kind == "date":
        return _day(Date(c.year, c.month, c.day))  # type: ignore[arg-type]
    if c.kind in ("year",) and c.year is not None:
        return _year_period(c.year, c.part)
    if c.kind == "season" and c.year is not None:
        return _season_period(c.year, c.part or "SU")
    if c.kind in ("month", "monthpart") and c.year is not None:
        return _month_period(c.year, c.month, c.part)  # type: ignore[arg-type]
    if pub is None:
        return None
    if c.kind == "daymonth":
        year = _closest_year(pub, c.month, c.day, tense)  # type: ignore[arg-type]
        if not _valid(year, c.month, c.day):  # type: ignore[arg-type]
            return None
        return _day(Date(year, c.month, c.day))  # type: ignore[arg-type]
    if c.kind in ("month", "monthpart"):
        return _month_period(_month_year_for(c, pub, tense), c.month, c.part)  # type: ignore
    if c.kind == "weekday":
        return _day(_weekday_date(c, pub, tense))
    return _place_relative(c, pub)


def _month_year_for(c: _Cand, pub: Date, tense: int) -> int:
    """Year of a month without year; "im vergangenen Dezember" forces a direction."""
    direction = _direction(c.modifier)
    if direction < 0:
        return pub.year if c.month < pub.month else pub.year - 1  # type: ignore[operator]
    if direction > 0:
        return pub.year if c.month > pub.month else pub.year + 1  # type: ignore[operator]
    return _closest_year(pub, c.month, None, tense)  # type: ignore[arg-type]


def _weekday_date(c: _Cand, pub: Date, tense: int) -> Date:
    """Day of a weekday mention relative to *pub* (past/future by modifier or tense)."""
    wd = c.weekday or 0
    back = (pub.weekday() - wd) % 7
    ahead = (wd - pub.weekday()) % 7
    day = datetime.timedelta(days=1)
    mod = c.modifier or ""
    if mod in ("heutigen",):
        return pub
    if mod in ("gestrigen",):
        return pub - day
    if mod in ("morgigen",):
        return pub + day
    if "week" in c.extra:
        monday = pub - day * pub.weekday() + day * 7 * _direction(c.extra["week"])
        return monday + day * wd
    direction = _direction(mod) if mod else 0
    if direction < 0:
        return pub - day * (back or 7)
    if direction > 0:
        return pub + day * (ahead or 7)
    if back == 0:
        return pub
    return pub + day * ahead if tense > 0 else pub - day * back


def _place_relative(c: _Cand, pub: Date) -> _Placed:
    """"gestern", "vor zwei Wochen", "im vergangenen Jahr", "Anfang des Jahres"."""
    unit = c.unit or c.granularity
    offset = c.offset if not c.modifier else _direction(c.modifier)
    if c.extra.get("exact"):
        shift = {"day": 1, "week": 7}.get(unit)
        if shift:
            return _day(pub + datetime.timedelta(days=shift * offset))
        y, mo = _add_months(pub, offset * (12 if unit == "year" else 1))
        return _day(Date(y, mo, min(pub.day, calendar.monthrange(y, mo)[1])))
    if unit == "day":
        return _day(pub + datetime.timedelta(days=offset))
    if unit == "week":
        return _week(pub + datetime.timedelta(days=7 * offset))
    if unit == "month":
        y, mo = _add_months(pub, offset)
        return _month_period(y, mo, c.part)
    return _year_period(pub.year + offset, c.part)


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def _sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The sentence span containing *pos* (the nearest one for stray offsets)."""
    for start, end in spans:
        if start <= pos < end:
            return start, end
    return min(spans, key=lambda s: abs(s[0] - pos)) if spans else (pos, pos)


class _Sentences:
    """``_sentence_of(_sentence_spans(text), pos)``, splitting only the lines asked for.

    A candidate starts on a non-space character, which lies in a sentence span of
    its own line (the spans cover each line up to whitespace), so one line is
    enough; the whole text is split only if that ever fails.
    """

    def __init__(self, text: str, lang: str = "de") -> None:
        self.text = text
        self.lang = lang
        self.lines: dict[int, list[tuple[int, int]]] = {}
        self.all: list[tuple[int, int]] | None = None

    def of(self, pos: int) -> tuple[int, int]:
        text = self.text
        start = text.rfind("\n", 0, pos) + 1
        spans = self.lines.get(start)
        if spans is None:
            end = text.find("\n", start)
            line = text[start:] if end < 0 else text[start:end]
            spans = self.lines[start] = _line_sentence_spans(text, start, line, self.lang)
        for s_start, s_end in spans:
            if s_start <= pos < s_end:
                return s_start, s_end
        if self.all is None:
            self.all = _sentence_spans(text, self.lang)
        return _sentence_of(self.all, pos)


_PLANNED_RE = re.compile(
    r"\b(?:angekündigt|geplant|angesetzt|vorgesehen|terminiert|anberaumt|erwartet"
    r"|announced|planned|scheduled|set|expected)\b", re.IGNORECASE)


def _tense_for(c: _Cand, text: str, sent: tuple[int, int], lang: str) -> int:
    """Tense for placing *c*: "seit" is past, "ab"/"bis" future unless the verb says
    otherwise, and German present tense with a weekday is read as future."""
    prev = _words_before(text, c.start, 2)
    if prev and prev[-1] in ("seit", "since") or prev[-2:] == ["seit", "dem"]:
        return -1
    if c.kind == "weekday" and prev and prev[-1] == "vom":
        return -1  # "das Erdbeben vom Montag": the day it happened
    if prev and prev[-1] in ("für", "for") and _PLANNED_RE.search(text, sent[0], sent[1]):
        return 1  # "Neuwahlen für September angekündigt": what was announced is ahead
    tense = _tense(text[sent[0]: _logical_end(text, sent[1])], c.start - sent[0], lang)
    if tense:
        return tense
    if prev and prev[-1] in ("ab", "bis", "until", "from", "till", "by"):
        return 1
    if c.kind == "weekday":
        return 1 if lang == "de" else -1
    return 0


_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}


def _season_period(year: int, code: str) -> _Placed:
    """A season of *year* (winter runs into the next year)."""
    first, last = _SEASON_MONTHS[code]
    end_year = year + 1 if last < first else year
    return _Placed(Date(year, first, 1),
                   Date(end_year, last, calendar.monthrange(end_year, last)[1]),
                   f"{year:04d}-{code}")


# ---------------------------------------------------------------------------
# Anchoring: what a year-less or relative expression is read against
#
# Rule 1 (narrative): a day-month ("am 3. September") or a month without a year
# ("im Oktober") is read against the nearest preceding expression of the same
# article that states a year (or was itself read against one), when the text
# around it narrates that period: the reference is in the same paragraph (a
# bare year such as "2018" only reaches the same and the next sentence), and the
# sentence's tense does not point the other way (a past reference and a future
# "soll am 20. Jänner" sentence: the publication date). Otherwise (rule 2, news)
# the publication date anchors it.
# Rule 3: weekdays and relative words ("am Montag", "vergangene Woche",
# "gestern") are read against the publication date, unless a full date stands
# right before (same or previous sentence): "Am 9. November 1989 ... Am Freitag
# ..." is the Friday after that date. "am nächsten Tag", "tags darauf" need such
# a date and are dropped without one.
# ---------------------------------------------------------------------------

_PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t]*\n|[.!?:\"“”»«]\s*\n")
_NEEDS_YEAR = frozenset({"daymonth", "month", "monthpart"})


@dataclass
class _Ref:
    """The latest expression with a (stated or narrated) year, for anchoring."""

    date: Date
    granularity: str
    expression: str
    end: int
    sentence: tuple[int, int]  # its sentence
    next_sentence: int  # where the sentence after it starts


def _same_paragraph(text: str, a: int, b: int) -> bool:
    return _PARAGRAPH_BREAK_RE.search(text, a, b) is None


def _near(ref: _Ref, sentence: tuple[int, int]) -> bool:
    """True when *sentence* is the reference's sentence or the one after it."""
    return sentence[0] in (ref.sentence[0], ref.next_sentence)


def _narrative_ref(ref: _Ref | None, cand: _Cand, text: str, sentence: tuple[int, int],
                   published: Date | None, tense: int) -> _Ref | None:
    """*ref* when rule 1 lets *cand* be read against it, else None."""
    if ref is None:
        return None
    if published is None:
        return ref  # narrative text without a date of its own: the narration is all there is
    if not _same_paragraph(text, ref.end, cand.start) and not (
            ref.granularity != "year" and tense < 0):
        return None  # a new paragraph continues the story only in the past tense
    if ref.granularity == "year" and not _near(ref, sentence):
        return None
    if published is not None:
        if ref.date < published and tense > 0:
            return None  # "Der Vertrag von 2015 … Am 20. Jänner soll …": the news
        if ref.date > published and tense < 0:
            return None
        if tense == 0 and not _near(ref, sentence):
            return None  # no verb says which time it is: only right after the reference
    return ref


def _narrated_year(ref: _Ref, month: int) -> int:
    """The year of a month narrated after *ref*: the reference's year, or the next one
    when the story crosses New Year ("am 30. Dezember 1989 … am 2. Jänner")."""
    if ref.granularity != "year" and ref.date.month >= 11 and month <= 2:
        return ref.date.year + 1
    return ref.date.year


def _with_year(cand: _Cand, year: int) -> _Cand:
    """A copy of a year-less candidate with *year* filled in (kind as if stated)."""
    kind = {"daymonth": "date"}.get(cand.kind, cand.kind)
    return _Cand(cand.start, cand.end, kind, cand.granularity, cand.order, year, cand.month,
                 cand.day, cand.weekday, cand.modifier, cand.part, cand.offset, cand.unit,
                 dict(cand.extra))


def _full_date_before(ref: _Ref | None, sentence: tuple[int, int], text: str,
                      pos: int) -> _Ref | None:
    """*ref* when it is a day-precision date in this or the previous sentence of the
    same paragraph (rule 3)."""
    if ref is None or ref.granularity != "day" or not _near(ref, sentence):
        return None
    return ref if _same_paragraph(text, ref.end, pos) else None


def _next_sentence(text: str, sentences: _Sentences, sent: tuple[int, int]) -> int:
    """Start of the sentence after *sent* (-1 at the end of the text)."""
    pos = sent[1]
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return sentences.of(pos)[0] if pos < len(text) else -1


def _narrated_weekday(ref: Date, weekday: int) -> Date:
    """The first day on or after *ref* that falls on *weekday*."""
    return ref + datetime.timedelta(days=(weekday - ref.weekday()) % 7)


def _place_anchored(cand: _Cand, published: Date | None, tense: int, ref: _Ref | None,
                    text: str, sentence: tuple[int, int]) -> tuple[_Placed | None, str | None]:
    """Where *cand* goes, and what it was read against (None: its own year)."""
    if cand.kind == "season" and cand.year is None:
        narrated = _narrative_ref(ref, cand, text, sentence, published, tense)
        if narrated is not None:
            return _season_period(narrated.date.year, cand.part or "SU"), narrated.expression
        placed = _season_near(cand, published, tense)
        return placed, "publication date" if placed else None
    if (cand.kind == "relative" and cand.part and not cand.modifier
            and not cand.extra.get("narrative")):
        # "Ende des Jahres", "Anfang des Monats": of the narrated year or month, if any
        narrated = _narrative_ref(ref, cand, text, sentence, published, tense)
        if narrated is not None and (cand.unit == "year" or narrated.granularity != "year"):
            d = narrated.date
            placed = (_year_period(d.year, cand.part) if cand.unit == "year"
                      else _month_period(d.year, d.month, cand.part))
            return placed, narrated.expression
    if cand.kind in _NEEDS_YEAR and cand.year is None:
        narrated = _narrative_ref(ref, cand, text, sentence, published, tense)
        if narrated is not None:
            year = _narrated_year(narrated, cand.month or 1)
            return _place(_with_year(cand, year), None, 0), narrated.expression
        return _place(cand, published, tense), "publication date" if published else None
    if cand.kind in ("weekday", "relative"):
        before = _full_date_before(ref, sentence, text, cand.start)
        if cand.extra.get("narrative"):
            return _place_narrated(cand, ref, before)
        if (before is not None and cand.kind == "weekday" and not cand.modifier
                and (published is None or abs((before.date - published).days) > 7)):
            return _day(_narrated_weekday(before.date, cand.weekday or 0)), before.expression
        return _place(cand, published, tense), "publication date" if published else None
    return _place(cand, published, tense), None


_UNIT_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
_SEASON_DIRECTION = {"vergangenen": -1, "letzten": -1, "last": -1, "seit": -1,
                     "kommenden": 1, "nächsten": 1, "next": 1, "ab": 1, "bis": 1,
                     "diesen": 0, "this": 0}


def _season_near(cand: _Cand, published: Date | None, tense: int) -> _Placed | None:
    """A season without a year against the publication date: the last one begun (past),
    the current or next one (future), the one containing it ("diesen Winter"); None
    when nothing says which (a generic statement)."""
    if published is None:
        return None
    mod = cand.modifier or ""
    direction = _SEASON_DIRECTION.get(mod, tense) if mod in _SEASON_DIRECTION else tense
    if direction == 0 and mod not in ("diesen", "this"):
        return None
    code = cand.part or "SU"
    periods = [_season_period(y, code) for y in (published.year - 2, published.year - 1,
                                                 published.year, published.year + 1)]
    current = [p for p in periods if p.start <= published <= p.end]
    if direction == 0:
        return current[0] if current else next(
            (p for p in periods if p.start.year == published.year), None)
    if direction < 0:
        begun = [p for p in periods if p.start <= published]
        return begun[-1] if begun else None
    ahead = [p for p in periods if p.end >= published]
    return ahead[0] if ahead else None


def _place_narrated(cand: _Cand, ref: _Ref | None,
                    before: _Ref | None) -> tuple[_Placed | None, str | None]:
    """"tags darauf", "zwei Tage später", "im folgenden Jahr" against the narrated date:
    a day offset needs a full date right before; a month or year offset a reference as
    precise as its unit (a year for "im folgenden Jahr", a month for "zwei Monate
    später"). Nothing fitting: (None, None), and the expression is dropped."""
    unit = cand.unit or "day"
    anchor = before if unit in ("day", "week") else ref
    if anchor is None or _UNIT_RANK[anchor.granularity] > _UNIT_RANK[unit]:
        return None, None
    d = anchor.date
    if unit == "day":
        return _day(d + datetime.timedelta(days=cand.offset)), anchor.expression
    if unit == "week":
        return _week(d + datetime.timedelta(days=7 * cand.offset)), anchor.expression
    if unit == "month":
        y, mo = _add_months(d, cand.offset)
        return _month_period(y, mo), anchor.expression
    return _year_period(d.year + cand.offset), anchor.expression


def _plausible(placed: _Placed | None) -> bool:
    """Dates outside the years publication dates may have are typos or numbers."""
    return placed is None or (MIN_YEAR <= placed.start.year and placed.end.year <= MAX_YEAR)


def _merge_weekday_dates(cands: list[_Cand], text: str) -> list[_Cand]:
    """"Freitag, 1. September 1939" and "Friday, January 5": the weekday belongs to
    the date after it (one expression, the date's value)."""
    out: list[_Cand] = []
    for cand in cands:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == "weekday" and not prev.modifier
                and cand.kind in ("date", "daymonth")
                and re.fullmatch(r",?\s*(?:den|dem|the)?\s*", text[prev.end:cand.start])):
            cand.start = prev.start
            out[-1] = cand
            continue
        out.append(cand)
    return out


_WRAPPED_RE = re.compile(r"[ \t]*\n[ \t]*(?=\S)")
_SENTENCE_END_RE = re.compile(r"[.!?…]")


def _logical_end(text: str, end: int) -> int:
    """End of the sentence that ends at *end*, read on across a hard line wrap ("Am 22.
    Dezember\nwurde das Tor geöffnet."): lines end sentences for spans, not for tense."""
    if end and text[end - 1] in ".!?…:\"“”»«)":
        return end
    wrap = _WRAPPED_RE.match(text, end)
    if wrap is None:
        return end
    stop = _SENTENCE_END_RE.search(text, wrap.end(), wrap.end() + 200)
    return stop.end() if stop else min(len(text), wrap.end() + 200)


def _iter_events(text: str, published: Date | None, lang: str) -> Iterator[Event]:
    """Events for every candidate, in text order, anchored by the rules above."""
    sentences = _Sentences(text, lang)
    ref: _Ref | None = None
    for cand in _merge_weekday_dates(_candidates(text, lang), text):
        sent = sentences.of(cand.start)
        tense = _tense_for(cand, text, sent, lang)
        try:
            placed, anchored_on = _place_anchored(cand, published, tense, ref, text, sent)
        except (ValueError, OverflowError):
            continue  # a calendar the datetime module cannot hold: not a plausible date
        if not _plausible(placed) or (placed is None and (
                cand.extra.get("narrative") or cand.extra.get("drop_unplaced"))):
            continue
        if placed is not None and (cand.year is not None or anchored_on not in (
                None, "publication date")):
            # A stated year, or one read from the narration: the next reference.
            gran = "day" if cand.kind in ("date", "daymonth") or cand.extra.get(
                "narrative") else "year" if cand.kind == "year" else "month"
            ref = _Ref(placed.start, gran, text[cand.start: cand.end], cand.end, sent,
                       _next_sentence(text, sentences, sent))
        elif placed is not None and anchored_on == "publication date":
            ref = None  # the text is back in the news: no narration to continue
        yield Event(
            start=placed.start if placed else None,
            end=placed.end if placed else None,
            granularity=cand.granularity,
            kind=cand.kind,
            expression=text[cand.start: cand.end],
            span=(cand.start, cand.end),
            sentence=" ".join(text[sent[0]: sent[1]].split()),
            sentence_span=sent,
            value=placed.value if placed else None,
            part=cand.part,
            needs_anchor=placed is None and published is None,
            anchored_on=anchored_on,
        )


def extract_events(text: str, published: Date | None, language: str = "de") -> list[Event]:
    """All event expressions in text order.

    *published* anchors relative expressions; without it they are still returned
    (``needs_anchor=True``, no value) so the UI can show them unplaced. *language*
    is "de" or "en"; it only switches the few rules that differ (English
    "January 20", tense cue words).
    """
    lang = "en" if language.lower().startswith("en") else "de"
    return list(_iter_events(text, published, lang))
