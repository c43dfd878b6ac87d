"""Publication dates stated in article text.

An article's publication date is only ever taken from places where a page
*states* it: a dateline line (``13.01.2021 | Stand: 12:05 Uhr``), a labelled
stamp (``Veröffentlicht am …``, ``Published …``, ``Stand: …``, ``Updated …``),
a dateline opening the first paragraph (``Wien, 3. Jänner 2016 (APA) –``), an
agency, staff or author credit closing a paragraph or the article
(``(APA, red, 25.7.2015)``, ``(Name, DER STANDARD, 5.8.2015)``, ``(7.9.2015)``), an
ISO timestamp or a stray ``date 2021-02`` marker left by a scraper. Dates inside
running prose ("am 20. Januar 2021 aufgerufen"), citations of other media,
deadlines and version numbers are not publication dates and are never taken.
Nothing is ever invented: no stated date, no date; precision before recall.

All offsets refer to the text as given (already sanitized by the caller).
"""

from __future__ import annotations

import datetime
import email.utils
import re
from dataclasses import dataclass

from index.calendar_words import MONTHS, WEEKDAYS
from index.years import MAX_YEAR, MIN_YEAR

__all__ = [
    "AGENCIES",
    "MAX_YEAR",
    "MIN_YEAR",
    "PubDate",
    "find_publication_date",
    "format_date",
    "parse_date_value",
    "parse_date_value_with_time",
    "stamp_spans",
]

_MIN_YEAR = MIN_YEAR
_MAX_YEAR = MAX_YEAR
# At most this many non-blank lines at the head of an article may be bare datelines
# (see _dateline_lines): a date alone on a line further in is a sub-heading of a
# timeline ("20. Januar 2021"), i.e. an event.
_HEAD_LINES = 25
_MAX_NOTES = 5
# Clocks and time zones differ: a stamp may say "tomorrow", never later.
_FUTURE_DAYS = 1


@dataclass(frozen=True)
class PubDate:
    """A publication date found in the text, with where and how it was stated."""

    value: datetime.date
    precision: str  # "day" | "month" | "year"
    time: str | None  # "12:05" when the text states a time, else None
    origin: str  # human words: "dateline", "Stand line", "agency credit", ...
    expression: str  # the literal text matched
    span: tuple[int, int]  # offsets of `expression` in the text


# --------------------------------------------------------------------------
# Date expressions
# --------------------------------------------------------------------------

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_MONTH = rf"(?P<month>\b(?:{_MONTH_ALT})\b\.?)"
_WEEKDAY_ALT = "|".join(sorted(WEEKDAYS, key=len, reverse=True))

_NUMERIC_DMY = re.compile(
    r"(?<![\d.])(?P<day>\d{1,2})\.[ \u00a0]?(?P<mon>\d{1,2})\.[ \u00a0]?(?P<year>\d{4})"
    r"(?!\d|\.\d)"
)
_TEXT_DMY = re.compile(
    rf"(?<![\w.])(?P<day>\d{{1,2}})(?:\.|st|nd|rd|th)?[ \u00a0]+{_MONTH},?[ \u00a0]+"
    r"(?P<year>\d{4})(?!\d)",
    re.IGNORECASE,
)
_TEXT_MDY = re.compile(
    rf"{_MONTH}[ \u00a0]+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?[ \u00a0]+(?P<year>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_YEAR_HINT = re.compile(r"\d{4}")
_TEXT_MY = re.compile(rf"{_MONTH}[ \u00a0]+(?P<year>\d{{4}})(?!\d)", re.IGNORECASE)
_ISO = re.compile(
    r"(?<![\d\-./])(?P<year>\d{4})-(?P<mon>\d{2})(?:-(?P<day>\d{2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::\d{2}(?:\.\d+)?)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?)?(?![\d\-]|\.\d)"
)

_TIME = re.compile(
    r"(?<![\d:.,])(?P<hour>[01]?\d|2[0-3])"
    r"(?:(?::(?P<min>[0-5]\d)(?::[0-5]\d)?(?:[ \u00a0]*(?P<suffix>Uhr|h\b|[ap]\.?[ \u00a0]?m\.?))?)"
    r"|(?:\.(?P<dmin>[0-5]\d)[ \u00a0]*(?:Uhr|h\b))"
    r"|(?:[ \u00a0]*(?P<bare>Uhr|[ap]\.[ \u00a0]?m\.|[ap]m\b)))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _DateMatch:
    """One date expression in a string (offsets relative to that string)."""

    value: datetime.date
    precision: str
    start: int
    end: int
    time: str | None = None  # only ISO timestamps carry their own time


def _make_date(year: int, month: int, day: int | None) -> tuple[datetime.date, str] | None:
    """A valid date and its precision, or None for impossible ones (31.02., month 13)."""
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return datetime.date(year, month, day or 1), ("day" if day else "month")
    except ValueError:
        return None


def _month_number(word: str) -> int | None:
    """Month number of a (possibly abbreviated, dotted) month word written capitalized.

    Month names are capitalized in both German and English; requiring that keeps
    the English modal "may" and the like from turning into months.
    """
    if not word[:1].isupper():
        return None
    return MONTHS.get(word.rstrip(".").lower())


def _matches_of(pattern: re.Pattern[str], text: str) -> list[_DateMatch]:
    """All valid dates that *pattern* finds in *text*."""
    found = []
    for m in pattern.finditer(text):
        groups = m.groupdict()
        month = _month_number(groups["month"]) if "month" in groups else int(groups["mon"])
        if month is None:
            continue
        day = groups.get("day")
        made = _make_date(int(groups["year"]), month, int(day) if day else None)
        if made is None:
            continue
        time = None
        if groups.get("hour") is not None:
            time = f"{int(groups['hour']):02d}:{groups['minute']}"
        found.append(_DateMatch(made[0], made[1], m.start(), m.end(), time))
    return found


def _find_dates(text: str) -> list[_DateMatch]:
    """Every date expression in *text*, longest first where they overlap, in text order."""
    if not _YEAR_HINT.search(text):
        return []  # every form has a four-digit year: skip the costly patterns (indexing speed)
    found: list[_DateMatch] = []
    for pattern in (_ISO, _NUMERIC_DMY, _TEXT_DMY, _TEXT_MDY, _TEXT_MY):
        found.extend(_matches_of(pattern, text))
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    result: list[_DateMatch] = []
    for match in found:
        if not result or match.start >= result[-1].end:
            result.append(match)
    return result


def _parse_time(m: re.Match[str]) -> str | None:
    """"12:05", "12.05 Uhr", "3:05 p.m.", "12 Uhr" -> "HH:MM" (24-hour clock)."""
    hour = int(m["hour"])
    minute = m["min"] or m["dmin"] or "00"
    suffix = (m["suffix"] or m["bare"] or "").lower().replace(".", "").replace(" ", "")
    if suffix in ("am", "pm"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    return f"{hour:02d}:{minute}"


def _first_time(text: str) -> str | None:
    """The first clock time stated in *text*, if any."""
    for m in _TIME.finditer(text):
        parsed = _parse_time(m)
        if parsed:
            return parsed
    return None


# --------------------------------------------------------------------------
# Stamp lines: what may surround a date on a line that states only a date
# --------------------------------------------------------------------------

_PUBLISHED_LABEL = (
    r"Zuerst\s+veröffentlicht|Veröffentlicht|Erstveröffentlichung|Erstellt|Erschienen"
    r"|Publiziert|Datum|First\s+published|Published|Posted|Date"
)
_STAND_LABEL = r"Stand"
_UPDATED_LABEL = (
    r"Zuletzt\s+aktualisiert|Aktualisiert|Letzte\s+Aktualisierung|Last\s+updated|Updated"
    r"|Last\s+modified|Geändert"
)
_LABEL = re.compile(
    rf"(?<!\w)(?P<label>(?P<pub>{_PUBLISHED_LABEL})|(?P<stand>{_STAND_LABEL})|(?P<upd>{_UPDATED_LABEL}))"
    r"(?:\s+(?P<prep>am|on|um|at|vom))?\b\s*:?",
    re.IGNORECASE,
)
# A label counts only where stamps live: at the start of a line or after a
# separator. "The study, published January 11, 2021, found" is prose.
_LABEL_POSITION = re.compile(r"(?:^|[|•·/;,–—]|\s-)\s*$")
_FILLER = re.compile(
    rf"\b(?:{_WEEKDAY_ALT}|mo|di|mi|do|fr|sa|so|mon|tue|tues|wed|thu|thurs|fri|sat|sun)\b\.?"
    rf"|\b(?:{_PUBLISHED_LABEL}|{_STAND_LABEL}|{_UPDATED_LABEL})\b"
    r"|\b(?:am|um|at|on|vom|uhr|mez|mesz|cet|cest|utc|gmt|et|est|edt|ct|cst|pt|pst|pdt|bst|z)\b"
    r"|\b(?:lesezeit|lesedauer)\b\s*:?\s*(?:ca\.\s*)?\d+\s*min(?:uten|\.)?"
    r"|\b\d+\s*min(?:uten|utes?|\.)?(?:\s*(?:lesezeit|read))?"
    r"|\bvor\s+\d+\s+(?:minuten|stunden|tagen)\b|\b\d+\s+(?:minutes?|hours?|days?)\s+ago\b"
    r"|[+-]\d{2}:?\d{2}\b",
    re.IGNORECASE,
)
_PREPOSITION_START = re.compile(r"^\s*(?:am|um|on|at|vom|seit|bis|ab|bereits)\b", re.IGNORECASE)
_BYLINE_START = re.compile(r"^\s*(?:by|von)\b", re.IGNORECASE)
_CONTINUATION = re.compile(r"^\s*[|•·,;(/–—-]")


def _residue(text: str, dates: list[_DateMatch] | None = None) -> str:
    """What is left of *text* after removing dates, times, labels and filler words."""
    chars = list(text)
    for d in dates if dates is not None else _find_dates(text):
        chars[d.start:d.end] = " " * (d.end - d.start)
    rest = "".join(chars)
    rest = _TIME.sub(" ", rest)
    rest = _FILLER.sub(" ", rest)
    return re.sub(r"[\W_]+", " ", rest).strip()


def _is_stamp_line(line: str, dates: list[_DateMatch]) -> bool:
    """True when a line states dates and nothing else (times, labels, weekdays may go with them)."""
    if _PREPOSITION_START.match(line):
        return False  # "Am 3. Feber 2021" is the start of a sentence, not a stamp
    return bool(dates) and len(line.strip()) <= 120 and not _residue(line, dates)


def _is_filler(text: str) -> bool:
    """True when *text* holds nothing but stamp filler (times, weekdays, labels, punctuation)."""
    return not _residue(text)


# --------------------------------------------------------------------------
# Candidates
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    """A publication-date hint: a PubDate, its rank, and whether its line is all stamp."""

    pub: PubDate
    rank: int  # lower is better
    date_start: int  # absolute offset of the date expression itself
    is_update: bool = False
    stamp_line: tuple[int, int] | None = None  # the whole line, when it states only dates


_RANKS = {
    "dateline": 0,
    "published": 1,
    "stand": 2,
    "credit": 3,
    "iso": 4,
    "updated": 5,
    "marker": 6,
}

# News agencies by the lower-case spellings credits use -> how they write themselves.
# Shared with metadata.py, which reads agencies from bylines and credits.
AGENCIES: dict[str, str] = {
    "dpa": "dpa", "apa": "APA", "afp": "AFP", "reuters": "Reuters", "ap": "AP", "kna": "KNA",
    "epd": "epd", "sid": "SID", "dts": "dts", "ddp": "ddp", "afx": "AFX", "dpa-afx": "dpa-AFX",
    "sda": "SDA", "keystone-sda": "Keystone-SDA", "ats": "ATS", "ansa": "ANSA", "efe": "EFE",
    "anp": "ANP", "belga": "Belga", "upi": "UPI", "xinhua": "Xinhua", "tass": "TASS",
    "kyodo": "Kyodo", "yonhap": "Yonhap", "bloomberg": "Bloomberg", "kathpress": "Kathpress",
    "associated press": "AP", "agence france-presse": "AFP", "deutsche presse-agentur": "dpa",
    "austria presse agentur": "APA", "thomson reuters": "Reuters",
}


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str
    index: int  # 0-based line number


def _lines(text: str) -> list[_Line]:
    """The lines of *text* with their absolute offsets."""
    lines = []
    pos = 0
    for number, line in enumerate(text.split("\n")):
        lines.append(_Line(pos, pos + len(line), line, number))
        pos += len(line) + 1
    return lines


def _strip_span(line: _Line) -> tuple[int, int]:
    """Offsets of the line without surrounding whitespace."""
    stripped = line.text.strip()
    lead = len(line.text) - len(line.text.lstrip())
    return line.start + lead, line.start + lead + len(stripped)


def _pub(
    text: str, start: int, end: int, match: _DateMatch, origin: str, time: str | None
) -> PubDate:
    return PubDate(match.value, match.precision, time, origin, text[start:end], (start, end))


def _label_candidates(text: str, line: _Line, dates: list[_DateMatch]) -> list[_Candidate]:
    """Candidates from labels such as "Veröffentlicht am", "Published", "Stand:", "Updated"."""
    found = []
    for m in _LABEL.finditer(line.text):
        if not m["label"][0].isupper() or not _LABEL_POSITION.search(line.text[: m.start()]):
            continue
        after = [d for d in dates if d.start >= m.end()]
        if not after:
            continue
        date = after[0]
        gap = line.text[m.end():date.start]
        if not _is_filler(gap):
            continue
        end = _stamp_end(line.text, date, after[1:])
        if end is None:
            continue
        time = _first_time(gap) or _first_time(line.text[date.end:end]) or date.time
        kind = "published" if m["pub"] else "stand" if m["stand"] else "updated"
        origin = "Stand line" if kind == "stand" else f"{_label_words(m['label'], m['prep'])} line"
        pub = _pub(text, line.start + m.start(), line.start + end, date, origin, time)
        found.append(_Candidate(pub, _RANKS[kind], line.start + date.start, kind == "updated"))
    return found


def _label_words(label: str, preposition: str | None) -> str:
    """How an origin names a label: "Veröffentlicht am", "Erstellt am", "Published".

    German labels keep their "am" (that is how the stamp reads); English
    prepositions ("Published on") are dropped.
    """
    words = " ".join(label.split())
    if words.lower() == "veröffentlicht" or (preposition or "").lower() == "am":
        return f"{words} am"
    return words


def _stamp_end(line: str, date: _DateMatch, later: list[_DateMatch]) -> int | None:
    """End offset of a labelled stamp (date plus a trailing time), or None if prose follows.

    After the date there may be a time and filler, then the end of the line, a
    separator, another label or a byline; anything else means the label word
    began a sentence ("Veröffentlicht am 13.01.2021 wurde …") and is no stamp.
    """
    limit = later[0].start if later else len(line)
    tail = line[date.end:limit]
    end = date.end
    time = _TIME.search(tail)
    if time and _is_filler(tail[: time.start()]):
        end = date.end + time.end()
        zone = re.match(r"[ \u00a0]*(?:MEZ|MESZ|CET|CEST|UTC|GMT|ET|EST|EDT|PT|PST|PDT|BST)\b",
                        line[end:])
        if zone:
            end += zone.end()
    rest = line[end:]
    if _is_filler(rest[: limit - end] if later else rest):
        return end
    if _CONTINUATION.match(rest) or _BYLINE_START.match(rest) or _LABEL.match(rest.lstrip()):
        return end
    return None


def _dateline_candidate(
    text: str, line: _Line, dates: list[_DateMatch], labelled: set[int]
) -> _Candidate | None:
    """A line that states only a date (and time, Stand, weekday): the page's dateline."""
    if not dates or dates[0].start + line.start in labelled:
        return None
    first = dates[0]
    limit = dates[1].start if len(dates) > 1 else len(line.text)
    time = _first_time(line.text[:first.start]) or _first_time(line.text[first.end:limit])
    start, end = _strip_span(line)
    origin = "ISO timestamp" if first.time else "dateline"
    pub = _pub(text, start, end, first, origin, time or first.time)
    return _Candidate(pub, _RANKS["dateline"], line.start + first.start)


# --------------------------------------------------------------------------
# Credits closing a paragraph, datelines opening the first one
# --------------------------------------------------------------------------

# The date of a credit: day.month.year with optional single spaces, a
# two-digit year ("13.02.16"), a month name, or ISO. Anchored at the end of the
# credit's text (after any trailing time).
_CREDIT_DATE = re.compile(
    r"(?:(?P<day>\d{1,2})\.[ \u00a0]?(?P<mon>\d{1,2})\.[ \u00a0]?(?P<year>\d{4}|\d{2})"
    rf"|(?P<tday>\d{{1,2}})\.?[ \u00a0]+{_MONTH}[ \u00a0]+(?P<tyear>\d{{4}})"
    r"|(?P<iyear>\d{4})-(?P<imon>\d{2})-(?P<iday>\d{2}))"
    r"(?P<tail>(?:,?[ \u00a0]*\d{1,2}[:.]\d{2}(?:[ \u00a0]*Uhr)?)?)"
    r"[ \u00a0]*$",
    re.IGNORECASE,
)
# A parenthesis closing a line, its closer possibly mistyped ("=") or missing.
_CREDIT_PAREN = re.compile(r"\((?P<body>[^()\n]{4,90}?)[ \u00a0]*(?P<close>\)|=|\]|)[ \t.]*$")
_CREDIT_SEPARATOR = re.compile(r"[ \u00a0]*(?:[,;]|[–—-]{1,2})?[ \u00a0]*$")
# Staff initials look like short lower-case words: these short words are not initials.
_NOT_INITIALS = frozenset("""
der die das den dem des und oder von vom zum zur aus bei mit nach seit bis ab am im um an
auf für ist war sind wie als auch nur noch so zu in es er sie wir ihr was wer vgl zit
siehe laut via the and of for at on by from see was are per ca etwa rund mio mrd dort hier
neu neue alt alte gut sehr fast kaum mehr nie oft nun dann wann denn doch ganz weit hoch tief
also bzw usw ihm ihn ihre sein man kein eins zwei drei vier elf null plus ohne über unter
vor hin her weg bald früh spät heim frei voll leer this that with into over just only
""".split())
_INITIALS = re.compile(r"[a-zäöü]{2,4}")
_ROLE_LABEL = re.compile(
    r"(?:Text|Texte|Video|Videos|Foto|Fotos|Bild|Bilder|Interview|Recherche|Grafik|Mitarbeit"
    r"|Übersetzung|Moderation|Kamera|Schnitt|Produktion|Redaktion)[ \u00a0]*:[ \u00a0]*(?P<rest>.+)"
)
_NAME_WORD = re.compile(r"[A-ZÄÖÜ][\w'’.-]*")
_NAME_PARTICLES = frozenset("von van de der den da di du zu la le y bin ben al el".split())
# Words of media names: a credit that names only a medium cites it ("(Berliner
# Zeitung, 23.4.2005)"), it does not credit the article.
_MEDIUM_WORDS = frozenset("""
zeitung zeitungen times post journal magazin magazine rundschau kurier presse spiegel
tagesspiegel allgemeine guardian telegraph blick krone profil falter nzz faz sz taz orf zdf
ard bbc cnn tagesschau heute welt bild stern focus express anzeiger nachrichten news
standard derstandard.at kleine salzburger wiener tiroler volksblatt herald tribune
gazette chronicle economist reuters.com
""".split())
_OWN_MEDIUM = re.compile(r"^(?:DER[ \u00a0]+STANDARD|derStandard\.at|STANDARD)$")
# How much text may follow a credit that names a person or stands alone as a
# date: a fact box, a results table, a correction note, not another article.
_CLOSING_TAIL = 2500


def _credit_part_kind(part: str) -> str | None:
    """"agency", "initials", "own", "person" or "medium" for one part of a credit,
    None when the part is prose (then the parenthesis is no credit)."""
    p = " ".join(part.split())
    low = p.lower()
    if low in AGENCIES:
        return "agency"
    if _OWN_MEDIUM.match(p):
        return "own"
    if low in _MEDIUM_WORDS:
        return "medium"  # "(taz, 3.4.2016)": a paper, not a reporter's initials
    if _INITIALS.fullmatch(p) and low not in _NOT_INITIALS:
        return "initials"
    role = _ROLE_LABEL.fullmatch(p)
    if role:
        return "person" if _is_name(role["rest"]) else None
    head, sep, place = p.partition(" aus ")
    if sep and _is_name(head) and _is_name(place, max_words=3, min_words=1):
        return "person"
    words = low.split()
    if words and all(w in _MEDIUM_WORDS or w in ("der", "die", "das", "the") for w in words):
        return "medium"
    if any(w.strip(".") in _MEDIUM_WORDS for w in words) and _is_name(p, min_words=1):
        return "medium"
    return "person" if _is_name(p) else None


def _is_name(text: str, *, max_words: int = 4, min_words: int = 2) -> bool:
    """A person's name: capitalized words (particles like "von" allowed), or the
    one word of a place after "aus"."""
    words = text.split()
    if not min_words <= len(words) <= max_words:
        return False
    caps = [w for w in words if w.lower() not in _NAME_PARTICLES]
    return bool(caps) and all(_NAME_WORD.fullmatch(w) for w in caps) and bool(
        _NAME_WORD.fullmatch(words[0]) or words[0].lower() in _NAME_PARTICLES)


def _split_credit_parts(credit: str) -> list[str]:
    return [p for p in re.split(r"[ \u00a0]*[,;/][ \u00a0]*", credit.strip()) if p.strip()]


def _credit_date(m: re.Match[str]) -> _DateMatch | None:
    """The date of a credit's date match (two-digit years read as 20xx/19xx)."""
    if m["iyear"]:
        made = _make_date(int(m["iyear"]), int(m["imon"]), int(m["iday"]))
    elif m["tyear"]:
        month = _month_number(m["month"])
        made = _make_date(int(m["tyear"]), month, int(m["tday"])) if month else None
    else:
        year = int(m["year"])
        if len(m["year"]) == 2:
            year += 2000 if year <= (datetime.date.today().year % 100) + 1 else 1900
        made = _make_date(year, int(m["mon"]), int(m["day"]))
    if made is None or made[1] != "day":
        return None
    return _DateMatch(made[0], made[1], m.start(), m.end())


def _credit_candidate(text: str, line: _Line) -> _Candidate | None:
    """An agency, staff or author credit closing a paragraph: "(APA, 21.1.2021)",
    "(APA, red, 25.7.2015)", "(ste, kub, 4.2.2016)", "(Name, DER STANDARD, 5.8.2015)",
    "(APA; 18.8.2015)", "(red – 29.7. 2015)", "(APA 4.9.2015)", a date alone
    "(7.9.2015)"; a mistyped or missing closing bracket is tolerated.

    Credits with an agency or staff initials close a paragraph anywhere (live
    reports carry several); credits that only name a person, and dates alone,
    must close the article: at most a fact box or a table may follow. Two-digit
    years and unclosed brackets are only trusted with an agency or initials.
    """
    m = _CREDIT_PAREN.search(line.text)
    if not m:
        return _inline_credit(text, line)
    parsed = _parse_credit(m["body"])
    if parsed is None:
        return None
    dm, date, kinds = parsed
    strong = bool({"agency", "initials", "own"} & set(kinds))
    before = line.text[: m.start()].rstrip()
    after_sentence = not before or before[-1] in ".!?…\"“”»«)"
    if strong and not after_sentence and not _closes_article(text, line):
        return None  # "wie berichtet (APA, 3.4.2014)" inside the text cites a report
    if not strong:
        if kinds and "person" not in kinds:
            return None  # only a medium: a citation
        two_digit = bool(dm["year"]) and len(dm["year"]) == 2
        if two_digit or m["close"] != ")" or not _closes_article(text, line):
            return None
        if not after_sentence:
            return None  # "Premiere ist am Freitag (7.9.2015).": a date in the sentence
        if (not kinds or not before) and text[line.end:].strip():
            # A date alone, or a credit on a line of its own ("Termine:\n(Wiener
            # Konzerthaus, 14.10.2017)" is a listing), must be the article's very end.
            return None
    start, end = line.start + m.start(), line.start + m.end()
    expression = text[start:end].rstrip(" \t.")
    end = start + len(expression)
    origin = "agency credit" if "agency" in kinds else "credit line" if kinds else "closing date"
    time = _first_time(dm["tail"]) if dm["tail"] else None
    pub = PubDate(date.value, date.precision, time, origin, expression, (start, end))
    return _Candidate(pub, _RANKS["credit"], line.start + m.start("body") + dm.start())


def _parse_credit(body: str) -> tuple[re.Match[str], _DateMatch, list[str]] | None:
    """The date match, date and part kinds of a credit's text, None if it is no credit."""
    body = body.rstrip()
    dm = _CREDIT_DATE.search(body)
    if not dm:
        return None
    date = _credit_date(dm)
    if date is None:
        return None
    credit = body[: dm.start()]
    if credit.strip():
        sep = _CREDIT_SEPARATOR.search(credit)
        if sep is None or not (sep.group().strip() or credit[-1:].isspace()):
            return None  # "Version4.3.16": glued to a word
        credit = credit[: sep.start()]
    parts = _split_credit_parts(credit)
    kinds = [_credit_part_kind(p) for p in parts]
    if None in kinds or len(parts) > 4:
        return None
    return dm, date, [k for k in kinds if k]


_CREDIT_INLINE = re.compile(r"\((?P<body>[^()\n]{4,90}?)\)(?=[ \t]+[A-ZÄÖÜ0-9])")


def _inline_credit(text: str, line: _Line) -> _Candidate | None:
    """An agency credit after the last sentence with a box glued to the same line
    ("… gewonnen. (APA, 2.8.2015) Ergebnisse: Rapid - Ried 2:1"): only with an agency
    or initials, and only where what follows is short enough to be a box."""
    for m in reversed(list(_CREDIT_INLINE.finditer(line.text))):
        parsed = _parse_credit(m["body"])
        if parsed is None:
            continue
        dm, date, kinds = parsed
        before = line.text[: m.start()].rstrip()
        if not ({"agency", "initials", "own"} & set(kinds)) or not before or (
                before[-1] not in ".!?…\"“”»«"):
            return None
        start, end = line.start + m.start(), line.start + m.end()
        rest = text[end:].strip()
        if len(rest) > _CLOSING_TAIL or len(rest) >= start:
            return None
        origin = "agency credit" if "agency" in kinds else "credit line"
        time = _first_time(dm["tail"]) if dm["tail"] else None
        pub = PubDate(date.value, date.precision, time, origin, text[start:end], (start, end))
        return _Candidate(pub, _RANKS["credit"], line.start + m.start("body") + dm.start())
    return None


def _closes_article(text: str, line: _Line) -> bool:
    """True when only a short box (table, fact box, correction) follows *line*."""
    rest = text[line.end:].strip()
    return len(rest) <= _CLOSING_TAIL and len(rest) < line.end


_PLACE = r"[A-ZÄÖÜ][\w.'’-]*(?:[ /-][A-ZÄÖÜ][\w.'’-]*){0,3}"
_DATELINE_OPEN = re.compile(
    rf"^(?:(?P<place>{_PLACE}),[ \u00a0]*)?(?P<date>[^()–—\n]{{6,40}}?)"
    r"(?:[ \u00a0]*\((?P<agency>[^()\n]{2,30})\))?[ \u00a0]+[–—-]{1,2}[ \u00a0]+"
    # The first sentence of the article follows: "– so nah war …" continues a lead.
    r"(?=[A-ZÄÖÜ0-9\"„“»'])"
)
_DATELINE_LINES = 6


def _opening_dateline(text: str, line: _Line) -> _Candidate | None:
    """"Wien, 3. Jänner 2016 (APA) – Der …", "LONDON, Jan 5, 2021 – The …",
    "2021-03-02 – …": a place (or nothing) and a full date opening a paragraph."""
    m = _DATELINE_OPEN.match(line.text)
    if not m:
        return None
    if m["place"]:
        words = re.split(r"[ /-]", m["place"].lower())
        if any(w in _PLACE_STOPWORDS for w in words):
            return None
    dates = _find_dates(m["date"])
    if len(dates) != 1 or dates[0].precision != "day" or not _is_filler(m["date"]):
        return None
    if not m["place"] and not _ISO.fullmatch(m["date"].strip()):
        return None  # a bare "3. Jänner 2016 – " is a list item or a heading
    start = line.start + m.start()
    end = line.start + m.end("agency") + 1 if m["agency"] else line.start + m.end("date")
    pub = _pub(text, start, end, dates[0], "dateline", None)
    return _Candidate(pub, _RANKS["dateline"], line.start + m.start("date") + dates[0].start)


_PLACE_STOPWORDS = frozenset("""
der die das den dem des ein eine am im um an auf bei mit nach seit bis ab vom zum zur
und oder aber wie als auch noch so heute gestern morgen the a an on in at by of and but
""".split())


_MARKER = re.compile(
    r"(?<![\w-])(?P<key>date|datum|pubdate|published)\s*[:=]?\s*"
    r"(?P<value>\d{4}(?:-\d{2}(?:-\d{2})?)?)(?![\d-])",
    re.IGNORECASE,
)


def _marker_candidates(text: str, line: _Line) -> list[_Candidate]:
    """Scraper residue such as " date 2021-02 " glued into the text: a weak hint."""
    found = []
    for m in _MARKER.finditer(line.text):
        parsed = parse_date_value(m["value"])
        if parsed is None:
            continue
        value, precision = parsed
        start, end = line.start + m.start(), line.start + m.end()
        pub = PubDate(value, precision, None, "date marker", text[start:end], (start, end))
        found.append(_Candidate(pub, _RANKS["marker"], line.start + m.start("value")))
    return found


def _iso_candidates(text: str, line: _Line, dates: list[_DateMatch]) -> list[_Candidate]:
    """Full ISO timestamps (with a time of day) anywhere: machine-written, so trusted."""
    found = []
    for d in dates:
        if d.time is None:
            continue
        start, end = line.start + d.start, line.start + d.end
        pub = _pub(text, start, end, d, "ISO timestamp", d.time)
        found.append(_Candidate(pub, _RANKS["iso"], start))
    return found


_PROSE_END = ".!?…\"“”»«)"
# A stamp may follow the lead (the first line of running text) by this many lines.
_AFTER_LEAD = 2


def _is_prose(line: str) -> bool:
    """A line of running text: eight words or more, ending a sentence."""
    stripped = line.strip()
    return len(stripped.split()) >= 8 and stripped[-1:] in _PROSE_END


def _dateline_lines(lines: list[_Line]) -> tuple[set[int], int]:
    """Where a bare date line is the page's dateline: the head (up to the first line of
    running text and the two lines after it: a lead may precede the stamp) and, ranked
    as low as a credit, the
    very last line after a finished sentence ("… sagte er.\n\n13.01.2021"). A date
    line after a heading or a label near the end ("Konzert:\n14. Oktober 2017") is an
    event. Returns (head line indexes, tail line index or -1)."""
    non_blank = [ln for ln in lines if ln.text.strip()]
    prose_at = [i for i, ln in enumerate(non_blank) if _is_prose(ln.text)]
    head: set[int] = set()
    after_prose = -1  # non-blank lines seen since the first line of running text
    for i, ln in enumerate(non_blank[:_HEAD_LINES]):
        if after_prose >= 0:
            after_prose += 1
            if after_prose > _AFTER_LEAD or _is_prose(ln.text):
                break
            if not any(p > i for p in prose_at):
                break  # after the lead, a stamp opens the body: none follows at the end
        elif _is_prose(ln.text):
            after_prose = 0
        head.add(ln.index)
    for before, ln in zip(non_blank, non_blank[1:], strict=False):
        if before.text.rstrip().endswith(":"):
            head.discard(ln.index)  # "Termin:\n14. Oktober 2017": the label says what it is
    tail = -1
    if len(non_blank) >= 2 and non_blank[-1].index not in head:
        if non_blank[-2].text.rstrip()[-1:] in _PROSE_END:
            tail = non_blank[-1].index
    return head, tail


def _candidates(text: str) -> list[_Candidate]:
    """Every publication-date hint in *text*, in text order."""
    lines = _lines(text)
    head, tail = _dateline_lines(lines)
    opening = {ln.index for ln in lines if ln.text.strip()}
    opening = set(sorted(opening)[:_DATELINE_LINES])
    found: list[_Candidate] = []
    for line in lines:
        if not line.text.strip():
            continue
        found.extend(_line_candidates(text, line, line.index in head, line.index == tail))
        if line.index in opening:
            dateline = _opening_dateline(text, line)
            if dateline and not _overlaps_taken(dateline, found):
                found.append(dateline)
    latest = datetime.date.today() + datetime.timedelta(days=_FUTURE_DAYS)
    # A publication date after tomorrow is a typo or an announcement, never a stamp.
    return [c for c in found if c.pub.value <= latest]


def _line_candidates(
    text: str, line: _Line, dateline_allowed: bool, tail: bool = False
) -> list[_Candidate]:
    """The hints on one line; a date expression yields at most one hint."""
    dates = _find_dates(line.text)
    found = _label_candidates(text, line, dates)
    stamp_only = _is_stamp_line(line.text, dates)
    stamp = _strip_span(line) if stamp_only else None
    found = [_with_stamp(c, stamp) for c in found]
    taken = {c.date_start for c in found}
    if stamp_only and (dateline_allowed or tail):
        dateline = _dateline_candidate(text, line, dates, taken)
        if dateline and not dateline_allowed:
            dateline = _Candidate(dateline.pub, _RANKS["credit"], dateline.date_start)
        if dateline:
            found.append(_with_stamp(dateline, stamp))
            taken.add(dateline.date_start)
    for extra in (
        [_credit_candidate(text, line)],
        _iso_candidates(text, line, dates),
        _marker_candidates(text, line),
    ):
        for cand in extra:
            if cand and not _overlaps_taken(cand, found):
                found.append(_with_stamp(cand, stamp))
    return found


def _with_stamp(cand: _Candidate, stamp: tuple[int, int] | None) -> _Candidate:
    return _Candidate(cand.pub, cand.rank, cand.date_start, cand.is_update, stamp)


def _overlaps_taken(cand: _Candidate, taken: list[_Candidate]) -> bool:
    """True when *cand* covers text another hint on the line already stands for."""
    start, end = cand.pub.span
    return any(start < t.pub.span[1] and t.pub.span[0] < end for t in taken)


# --------------------------------------------------------------------------
# Choosing
# --------------------------------------------------------------------------


def _compatible(a: PubDate, b: PubDate) -> bool:
    """True when the coarser of two dates contains the finer one (2021-01 and 13.01.2021)."""
    order = {"year": 0, "month": 1, "day": 2}
    level = min(order[a.precision], order[b.precision])
    if a.value.year != b.value.year:
        return False
    if level >= 1 and a.value.month != b.value.month:
        return False
    return level < 2 or a.value.day == b.value.day


def format_date(value: datetime.date, precision: str) -> str:
    """A date as people write it in a note: 13.01.2021, 2021-01, 2021."""
    if precision == "day":
        return value.strftime("%d.%m.%Y")
    if precision == "month":
        return value.strftime("%Y-%m")
    return str(value.year)


def _line_number(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _conflict_notes(text: str, best: _Candidate, others: list[_Candidate]) -> tuple[str, ...]:
    """One note for each ignored hint that disagrees with the chosen date.

    A later "Updated"/"Stand" date is not a conflict: pages are updated after
    they are published.
    """
    notes = []
    for other in others:
        if _compatible(best.pub, other.pub):
            continue
        later = other.pub.value > best.pub.value
        if later and (other.is_update or other.pub.origin == "Stand line"):
            continue
        notes.append(
            f'ignored "{other.pub.expression}" at line {_line_number(text, other.pub.span[0])}: '
            f"conflicts with {best.pub.origin} "
            f"{format_date(best.pub.value, best.pub.precision)}"
        )
    if len(notes) > _MAX_NOTES:
        notes = notes[:_MAX_NOTES] + [f"... and {len(notes) - _MAX_NOTES} more conflicting dates"]
    return tuple(notes)


def find_publication_date(text: str) -> tuple[PubDate | None, tuple[str, ...]]:
    """Best publication date stated in the text, plus notes about other, conflicting hints.

    The hint with the best rank wins (dateline, then explicit publication
    labels, Stand lines, agency credits, ISO timestamps, update labels, stray
    markers); among equals the earliest in the text. Returns ``(None, ())`` for
    an undated text: file times or event dates are never used instead.
    """
    candidates = _candidates(text)
    if not candidates:
        return None, ()
    best = min(candidates, key=lambda c: (c.rank, c.pub.span[0]))
    others = [c for c in candidates if c is not best]
    return best.pub, _conflict_notes(text, best, others)


def stamp_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of date stamps that are page furniture, sorted.

    Whole lines that state only dates (datelines, "Stand:", "Published …"
    lines; leading/trailing blanks excluded) and stray ``date 2021-02``
    markers. Dates inside sentences are not included: they are article text.
    """
    spans: set[tuple[int, int]] = set()
    lines = _lines(text)
    head, tail = _dateline_lines(lines)
    for line in lines:
        if not line.text.strip():
            continue
        dates = _find_dates(line.text)
        if (line.index in head or line.index == tail) and _is_stamp_line(line.text, dates):
            spans.add(_strip_span(line))
        for marker in _marker_candidates(text, line):
            spans.add(marker.pub.span)
    return _merge(sorted(spans))


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


# --------------------------------------------------------------------------
# Values from front matter and sidecar files
# --------------------------------------------------------------------------

_YEAR_ONLY = re.compile(r"^\d{4}$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date_value_with_time(value: object) -> tuple[datetime.date, str, str | None] | None:
    """Like :func:`parse_date_value`, plus the time of day ("12:05") when the value has one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, datetime.date) and not _MIN_YEAR <= value.year <= _MAX_YEAR:
        return None  # YAML reads "9999-12-31" as a date: implausible all the same
    if isinstance(value, datetime.datetime):
        return value.date(), "day", value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return value, "day", None
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return None
    return _parse_date_string(" ".join(value.split()))


def _parse_date_string(text: str) -> tuple[datetime.date, str, str | None] | None:
    """Dates written as strings in YAML: ISO forms, German and English forms, RFC 2822."""
    if not text:
        return None
    if _YEAR_ONLY.match(text):
        year = int(text)
        return (datetime.date(year, 1, 1), "year", None) if _MIN_YEAR <= year <= _MAX_YEAR else None
    compact = _COMPACT.match(text)
    if compact:
        made = _make_date(int(compact[1]), int(compact[2]), int(compact[3]))
        return (made[0], made[1], None) if made else None
    dates = _find_dates(text)
    if len(dates) == 1 and not _residue(text, dates):
        date = dates[0]
        time = date.time or _first_time(text[: date.start] + " " + text[date.end:])
        return date.value, date.precision, time
    return _parse_rfc2822(text)


def _parse_rfc2822(text: str) -> tuple[datetime.date, str, str | None] | None:
    """"Wed, 13 Jan 2021 12:05:00 +0100", as RSS feeds write dates."""
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None or not _MIN_YEAR <= parsed.year <= _MAX_YEAR:
        return None
    return parsed.date(), "day", parsed.strftime("%H:%M")


def parse_date_value(value: object) -> tuple[datetime.date, str] | None:
    """A date from front matter / sidecar YAML, as ``(date, precision)``, or None.

    Accepts what YAML produces (``datetime.date``/``datetime`` objects, ints
    such as ``2021``) and strings: ``2021-01-13``, ``2021-01``, ``2021``,
    ``13.01.2021``, ``21. Jänner 2021``, ``January 11, 2021``, ISO timestamps
    ``2021-01-13T12:05:00+01:00``. Anything else (lists, "next tuesday",
    31.02.2021) is None, so the caller can warn and fall back.
    """
    parsed = parse_date_value_with_time(value)
    return (parsed[0], parsed[1]) if parsed else None
