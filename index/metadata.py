"""Article metadata: title, date, source, agency, author, language and page furniture.

Every value says where it came from, because a reader deciding whether to
trust "21.01.2021" wants to know if a sidecar file, the front matter or a
credit at the end of the text said so. Precedence is sidecar > front matter >
text: people write sidecars to correct what the file says.

Articles are often pasted from web pages together with their *furniture*:
share bars, reading times, image credits, consent notices for embedded
videos, bylines, editor tags, datelines. Those lines are found here (as
character spans of whole lines) so the indexer can keep them out of titles,
leads and ranking. Precision matters more than recall: a real paragraph
marked as furniture would vanish from search, so every rule is anchored to a
whole, short line and to wording that articles do not use in prose.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from index.dates import (
    AGENCIES,
    PubDate,
    find_publication_date,
    format_date,
    parse_date_value_with_time,
    stamp_spans,
)
from index.text import sanitize_line

__all__ = ["Metadata", "detect_language", "extract_metadata", "find_furniture"]

_TITLE_MAX = 150  # longer first lines are paragraphs, not headlines
_TITLE_WORDS = 25
_LEAD_MAX = 300


@dataclass(frozen=True)
class Metadata:
    """Everything the indexer stores about an article besides its text."""

    title: str
    title_origin: str  # "sidecar" | "front matter" | "headline" | "lead" | "filename"
    date: datetime.date | None
    date_precision: str | None
    date_time: str | None
    date_origin: str | None  # "sidecar" | "front matter" | PubDate.origin
    date_expression: str | None
    date_notes: tuple[str, ...]
    source: str | None
    source_origin: str | None
    agency: str | None
    agency_origin: str | None
    author: str | None
    language: str  # "de" | "en"
    language_origin: str  # "sidecar" | "front matter" | "detected"
    furniture: tuple[tuple[int, int], ...]
    lead: str


# --------------------------------------------------------------------------
# Lines
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()


def _lines(text: str) -> list[_Line]:
    """The lines of *text* with absolute offsets (``end`` excludes the newline)."""
    lines = []
    pos = 0
    for line in text.split("\n"):
        lines.append(_Line(pos, pos + len(line), line))
        pos += len(line) + 1
    return lines


# --------------------------------------------------------------------------
# Agencies
# --------------------------------------------------------------------------

_AGENCY_ALT = "|".join(sorted((re.escape(a) for a in AGENCIES), key=len, reverse=True))


def _agency_name(word: str) -> str | None:
    """Canonical agency name for a credit word ("dpa", "APA", "Reuters"), else None."""
    return AGENCIES.get(" ".join(word.lower().split()))


def _agencies_in(parts: Iterable[str]) -> list[str]:
    """The agencies among credit parts, canonical and without repeats, in order."""
    found: list[str] = []
    for part in parts:
        name = _agency_name(part.strip(" .•·-–*"))
        if name and name not in found:
            found.append(name)
    return found


def _split_credit(text: str) -> list[str]:
    """"APA/dpa", "red, APA", "Jane Doe and Reuters" -> the credited names."""
    return [p for p in re.split(r"\s*(?:[/,;|•·&]|\bund\b|\band\b)\s*", text) if p.strip()]


# --------------------------------------------------------------------------
# Furniture rules (each applies to one stripped line)
# --------------------------------------------------------------------------

_I = re.IGNORECASE

_READING_TIME = [
    re.compile(
        r"^(?:Lesezeit|Lesedauer|Reading time|Read time)\s*:?\s*(?:ca\.|etwa|about|rund)?\s*"
        r"\d+(?:\s*[-–]\s*\d+)?\s*(?:Min\.?|Minuten|minutes?|mins?\.?)$",
        _I,
    ),
    re.compile(r"^(?:ca\.\s*)?\d+\s*(?:Min\.?|Minuten)\s*(?:Lesezeit|Lesedauer)$", _I),
    re.compile(r"^\d+(?:\s*[-–]\s*\d+)?\s*(?:min|mins|minutes?)\.?\s+read$", _I),
]

_SHARE_WORDS = frozenset(
    """teilen share shares shared tweet tweeten drucken druckansicht vorlesen anhören
    speichern merken gemerkt print printen email e-mail mail facebook twitter x whatsapp
    linkedin xing pinterest reddit telegram messenger flipboard threads bluesky mastodon
    pocket in on auf via per bei link links kopieren copy save saved bookmark kommentare
    kommentar kommentieren comments comment artikel beitrag versenden senden schriftgröße
    listen audio artikels""".split()
)
_SHARE_ACTIONS = frozenset(
    """teilen share tweet tweeten drucken druckansicht vorlesen anhören speichern merken
    print kopieren copy save bookmark versenden kommentieren""".split()
)

_CONSENT = re.compile(
    r"^(?:"
    r"Empfohlener redaktioneller Inhalt"
    r"|Mit Ihrer Zustim+ung wird hier (?:ein|eine|der|die|das)\b"
    r"|Ich bin (?:damit )?einverstanden, dass (?:mir )?(?:externe|Inhalte|Drittinhalte)"
    r"|Mehr dazu in unserer Datenschutzerkl"
    r"|(?:Ich kann|Sie können) (?:meine|Ihre) (?:Einwilligung|Zustimmung) jederzeit"
    r"|An dieser Stelle (?:finden Sie|ist|wird|sehen Sie|steht) (?:einen |ein |eine )?"
    r"(?:externen? |eingebetteten? )?(?:Inhalt|Inhalte|Video|Beitrag|Tweet|Post|Element)"
    r"|Um (?:diesen|den|externe|eingebettete|die) \w+ (?:zu sehen|anzuzeigen|zu laden)"
    r"|(?:Wir|We) (?:benötigen|brauchen|need) (?:Ihre|your) (?:Zustimmung|Einwilligung|consent)"
    r"|This (?:content|video|embed|element|iframe) (?:is|may be|cannot be|can't be) "
    r"(?:hosted|provided|displayed|shown|loaded)"
    r"|To (?:view|see|display|watch|load) this (?:content|video|embed|tweet|post|element)"
    r"|(?:Click|Tap) (?:here )?to (?:accept|load|consent|enable|view|show)"
    r"|(?:Accept|Allow|Manage) (?:all )?cookies"
    r")",
    _I,
)
_CONSENT_SHORT = re.compile(
    r"^(?:Externer? Inhalte?|Externes Video|Eingebetteter Inhalt|Inhalt (?:jetzt )?"
    r"(?:laden|anzeigen|entsperren)|(?:Alle )?(?:externen? )?Inhalte? (?:akzeptieren|zulassen|"
    r"laden|anzeigen)|Video (?:laden|abspielen)|Load (?:content|video)|Third-party content)"
    r"[.!:]?$",
    _I,
)

_IMAGE_CREDIT = re.compile(
    r"^[(\[]?\s*(?:Bild|Bilder|Foto|Fotos|Grafik|Illustration|Titelbild|Symbolbild|Bildquelle"
    r"|Fotoquelle|Aufmacherbild|Beitragsbild|Image|Images|Photo|Photos|Picture|Credit|Credits"
    r"|Photograph|Video)\s*:\s*\S.{0,110}$",
    _I,
)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)\s|Copyright\s)\s*.{1,80}$", _I)
_SOURCE_LINE = re.compile(r"^(?:Quelle|Quellen|Source|Sources)\s*:\s*(?P<value>\S.{0,79})$", _I)
_DPA_FOOTER = re.compile(r"^(?:©\s*)?dpa-infocom\b|^dpa:\d{6}-\d{2}-\d+", _I)
_EDITOR_TAG = re.compile(
    rf"^\(\s*(?:[a-zäöü]{{2,6}}|(?i:{_AGENCY_ALT}))"
    rf"(?:\s*[/,]\s*(?:[a-zäöü]{{2,6}}|(?i:{_AGENCY_ALT})))*\s*\)$"
)
_RELATED = re.compile(
    r"^(?:Mehr zum Thema|Mehr zu diesem Thema|Lesen Sie (?:auch|mehr|hier)|Auch interessant"
    r"|Das könnte Sie (?:auch )?interessieren|Weitere (?:Artikel|Nachrichten|Themen|Meldungen)"
    r"|Zum Thema|Verwandte Artikel|Empfehlungen(?: der Redaktion)?|Related(?: articles"
    r"| stories| coverage| content)?|Read (?:more|also|next)|More (?:on this(?: story)?"
    r"|from [\w ]{1,30})|See also|Recommended(?: for you)?|You may also like)"
    r"\s*(?:$|[:|»>→]\s*\S.{0,150}$)",
    _I,
)
_ADS = re.compile(
    r"^(?:(?:Anzeige|Werbung|Advertisement|Sponsored(?: content)?|Gesponsert(?:er Inhalt)?"
    r"|Promotion|Ad)[.:]?$"
    r"|(?:Jetzt |Hier )?(?:[\w-]+[- ])?Newsletter(?: abonnieren| bestellen| anmelden)?\s*[!.:]?$"
    r"|(?:Abonnieren|Bestellen|Abonniere) (?:Sie )?(?:jetzt )?(?:unseren|den|unsere|unser) "
    r".{0,60}(?:Newsletter|Podcast)"
    r"|Melden Sie sich .{0,80}Newsletter"
    r"|(?:Sign up|Subscribe|Register)\b.{0,80}\bnewsletter\b"
    r"|Get (?:our|the) .{0,40}newsletter"
    r"|Hier (?:geht'?s|gelangen Sie) zu(?:m|r)? .{0,40}(?:Newsletter|Abo)"
    r"|Zur Startseite|Zurück zur Startseite|Nach oben|Back to top|Zum Seitenanfang)",
    _I,
)
_FURNITURE_MAX = 200  # no single-line rule but consent notices applies to a longer line
_CONSENT_MAX = 500

_BYLINE_ALONE = re.compile(r"^(?:Von|By)\s*:?$", _I)
_NAME_WORD = r"(?:[A-ZÄÖÜ][\w'’.-]*|(?i:" + _AGENCY_ALT + r"))"
_NAMES = rf"{_NAME_WORD}(?:(?:\s+|\s*,\s*|\s+(?:und|and|&)\s+|\s*/\s*){_NAME_WORD}){{0,7}}"
_BYLINE = re.compile(
    rf"^(?:Von|By)\s+(?P<names>{_NAMES})(?:\s*[,|•·]\s*(?P<rest>[^.]{{0,60}}))?$"
)
_BYLINE_NAME = re.compile(rf"^[•·*\-–]?\s*(?P<names>{_NAMES})$")


def _is_share_bar(line: str) -> bool:
    """"In Pocket speichern vorlesen Druckansicht", "Share on Twitter Share on Facebook"."""
    words = re.findall(r"[\w-]+", line.lower())
    if not words or len(words) > 25:
        return False
    rest = [w for w in words if w not in _SHARE_WORDS and not w.isdigit()]
    return not rest and any(w in _SHARE_ACTIONS for w in words)


def _single_line_rule(line: str) -> str | None:
    """The kind of furniture a stripped line is on its own, or None for article text."""
    if not line or len(line) > _CONSENT_MAX:
        return None
    if len(line) > _FURNITURE_MAX:  # only consent notices run this long
        return "consent notice" if _CONSENT.match(line) else None
    checks: list[tuple[str, bool]] = [
        ("reading time", any(p.match(line) for p in _READING_TIME)),
        ("share bar", _is_share_bar(line)),
        ("consent notice", bool(_CONSENT.match(line) or _CONSENT_SHORT.match(line))),
        ("image credit", bool(_IMAGE_CREDIT.match(line) or _COPYRIGHT.match(line))),
        ("source line", bool(_SOURCE_LINE.match(line) or _DPA_FOOTER.match(line))),
        ("editor tag", bool(_EDITOR_TAG.match(line))),
        ("related links", bool(_RELATED.match(line))),
        ("ads", bool(_ADS.match(line))),
        ("byline", bool(_BYLINE.match(line))),
    ]
    return next((kind for kind, hit in checks if hit), None)


@dataclass(frozen=True)
class _Byline:
    """A byline: the lines it covers and the names it credits."""

    first: int
    last: int
    names: tuple[str, ...]


def _bylines(lines: list[_Line]) -> list[_Byline]:
    """Bylines: "Von Max Muster, dpa" on one line, or "Von" followed by "• dpa" lines."""
    found = []
    index = 0
    while index < len(lines):
        text = lines[index].stripped
        single = _BYLINE.match(text)
        if single:
            names = _split_credit(single["names"]) + _split_credit(single["rest"] or "")
            found.append(_Byline(index, index, tuple(names)))
        elif _BYLINE_ALONE.match(text):
            block = _byline_block(lines, index)
            if block:
                found.append(block)
                index = block.last
        index += 1
    return found


def _byline_block(lines: list[_Line], start: int) -> _Byline | None:
    """A "Von" line and the name lines right below it (bullets allowed)."""
    names: list[str] = []
    last = start
    for index in range(start + 1, min(start + 4, len(lines))):
        m = _BYLINE_NAME.match(lines[index].stripped)
        if not m:
            break
        names.extend(_split_credit(m["names"]))
        last = index
    return _Byline(start, last, tuple(names)) if names else None


def find_furniture(text: str) -> tuple[tuple[int, int], ...]:
    """Sorted, non-overlapping spans of web-page furniture in *text*.

    Mostly whole lines (from line start to line end); stray date markers
    glued into a line ("date 2021-02") are the one sub-line span.
    """
    lines = _lines(text)
    spans: list[tuple[int, int]] = []
    stamps = set(stamp_spans(text))
    for line in lines:
        stripped = line.stripped
        if not stripped:
            continue
        lead = len(line.text) - len(line.text.lstrip())
        whole_stamp = (line.start + lead, line.start + lead + len(stripped))
        if whole_stamp in stamps or _single_line_rule(stripped):
            spans.append((line.start, line.end))
            stamps.discard(whole_stamp)
    for byline in _bylines(lines):
        spans.extend((ln.start, ln.end) for ln in lines[byline.first:byline.last + 1])
    spans.extend(stamps)  # markers inside a line of text
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


# --------------------------------------------------------------------------
# Blocks of text (paragraphs without furniture), headline and lead
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Block:
    """Consecutive lines of article text (furniture cut out), joined by spaces."""

    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.lines).split())


def _visible(line: _Line, furniture: tuple[tuple[int, int], ...]) -> str:
    """The line with furniture spans inside it removed."""
    parts = []
    pos = line.start
    for start, end in furniture:
        if end <= line.start or start >= line.end:
            continue
        parts.append(line.text[pos - line.start:max(start, pos) - line.start])
        pos = max(pos, min(end, line.end))
    parts.append(line.text[pos - line.start:])
    return " ".join("".join(parts).split())


def _blocks(text: str, furniture: tuple[tuple[int, int], ...]) -> list[_Block]:
    """Paragraph blocks: blank lines and furniture lines separate them."""
    blocks: list[_Block] = []
    current: list[str] = []
    for line in _lines(text):
        visible = _visible(line, furniture)
        if visible:
            current.append(visible)
        elif current:
            blocks.append(_Block(tuple(current)))
            current = []
    if current:
        blocks.append(_Block(tuple(current)))
    return blocks


_STOPWORDS_DE = frozenset(
    """der die das und ist nicht ein eine einen einem einer eines des dem den zu mit sich
    auf für von im ist auch es als bei nach wird wurde werden hat haben sind noch wie aber
    oder dass nur aus zum zur sein seine ihre ihr er sie wir kann können mehr schon über
    durch gegen unter vom seit sei habe hatte wurden diese dieser dieses wenn bis""".split()
)
_STOPWORDS_EN = frozenset(
    """the and of to is that for it with as were be by at this from have has had are not
    but or which their they he she we his her its would been said there who what when
    will can than about into after over more also one all out up these those an""".split()
)

_PLACE_DATELINE = re.compile(
    r"^(?P<place>[A-ZÄÖÜ][\w.'’-]*(?:[ /][A-ZÄÖÜ][\w.'’-]*){0,3})"
    r"(?:\s*\((?P<agency>[^()]{2,30})\))?\s+[–—-]{1,2}\s+(?=[A-ZÄÖÜ\"„“»'])"
)


def _place_dateline(paragraph: str) -> re.Match[str] | None:
    """"Washington/Seattle – " or "Berlin (dpa) - " opening a paragraph, else None.

    German capitalizes nouns, so "Die Regierung – " would look like a place:
    places made of function words are refused.
    """
    m = _PLACE_DATELINE.match(paragraph)
    if not m:
        return None
    words = re.split(r"[ /]", m["place"].lower())
    if any(w in _STOPWORDS_DE or w in _STOPWORDS_EN for w in words):
        return None
    return m


def _is_real_paragraph(text: str) -> bool:
    """Long enough, or a finished sentence: not a subheading or kicker."""
    return len(text.split()) >= 8 or bool(re.search(r"[.!?…\"“”»«]$", text))


def _lead_block(blocks: list[_Block], skip_first: bool) -> str:
    """Text of the first real paragraph, place dateline removed."""
    candidates = blocks
    if skip_first and blocks:
        rest = blocks[0].lines[1:]  # a headline right above its paragraph shares the block
        candidates = ([_Block(rest)] if rest else []) + blocks[1:]
    chosen = next((b for b in candidates if _is_real_paragraph(b.text)), None)
    if chosen is None:
        chosen = candidates[0] if candidates else None
    if chosen is None:
        return ""
    text = chosen.text
    m = _place_dateline(text)
    return text[m.end():] if m else text


def _shorten(text: str, limit: int) -> str:
    """*text* cut at a word boundary to at most *limit* characters, with "…" if cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:–—-") + "…"


def _looks_like_headline(line: str) -> bool:
    """Short, no final period, some letters: what headlines look like."""
    if not 3 <= len(line) <= _TITLE_MAX or len(line.split()) > _TITLE_WORDS:
        return False
    if re.search(r"[.,;:]$", line) and not line.endswith("..."):
        return False
    if _place_dateline(line):
        return False
    return len(re.findall(r"[^\W\d_]", line)) >= 3


def _headline(blocks: list[_Block]) -> str | None:
    """The first line of text when it is a headline.

    In hard-wrapped text the first line of a paragraph is also short and
    without a period; a headline is alone in its block, or clearly shorter
    than the line below it.
    """
    if not blocks:
        return None
    first = blocks[0]
    line = first.lines[0]
    if not _looks_like_headline(line):
        return None
    if len(first.lines) == 1:
        return line
    longest_below = max(len(x) for x in first.lines[1:])
    return line if len(line) < 0.6 * longest_below else None


_SENTENCE_END = re.compile(r"(?<=[a-zäöüß0-9\"“”)][.!?])\s+(?=[A-ZÄÖÜ\"„“»])")


def _title_from_lead(lead: str) -> str:
    """A title made from the lead: its first sentence, whole (the lead is at most
    ``_LEAD_MAX`` characters, so a sentence running past that ends in "…").

    Cutting it to fit a list row is the display's job: JSON and citations carry the
    whole sentence, and a row cut here would be cut again, differently, by the list.
    """
    first = _SENTENCE_END.split(lead, maxsplit=1)[0]
    return first if first.endswith(("...", "…")) else first.rstrip(".")


# --------------------------------------------------------------------------
# Language
# --------------------------------------------------------------------------


_UMLAUT_RE = re.compile(r"[äöüß]")


def detect_language(text: str) -> str:
    """"de" or "en" by which stop words are more frequent; "de" when it is a toss-up.

    Counting function words works for texts of a dozen words; umlauts and ß
    count for German too, since English words do not have them.
    """
    words = re.findall(r"[^\W\d_]+", text[:20_000].lower())
    german: float = sum(1 for w in words if w in _STOPWORDS_DE)
    german += 0.5 * sum(1 for w in words if not w.isascii() and _UMLAUT_RE.search(w))
    english = sum(1 for w in words if w in _STOPWORDS_EN)
    return "en" if english > german else "de"


_LANGUAGE_NAMES = {
    "de": "de", "deu": "de", "ger": "de", "german": "de", "deutsch": "de",
    "en": "en", "eng": "en", "english": "en", "englisch": "en",
}


def _language_value(value: str) -> str | None:
    """"de-AT", "German", "en_US" -> "de"/"en"; other languages are not supported."""
    code = re.split(r"[-_\s]", value.strip().lower())[0]
    return _LANGUAGE_NAMES.get(code)


# --------------------------------------------------------------------------
# YAML values
# --------------------------------------------------------------------------

_KEYS = {
    "title": ("title", "headline"),
    "date": ("date", "published", "pubdate", "datepublished", "publishdate",
             "publicationdate", "publishedat", "publishedon"),
    "source": ("source", "publisher", "outlet", "site", "sitename", "publication"),
    "agency": ("agency",),
    "author": ("author", "authors", "byline"),
    "language": ("lang", "language", "inlanguage"),
}


def _norm_key(key: object) -> str:
    return re.sub(r"[\s_-]+", "", str(key)).lower()


def _yaml_field(mapping: Mapping[str, Any], field: str) -> tuple[bool, Any]:
    """(present, value) of the first alias of *field* found in *mapping*."""
    by_norm = {_norm_key(k): v for k, v in mapping.items()}
    for alias in _KEYS[field]:
        if alias in by_norm:
            return True, by_norm[alias]
    return False, None


def _describe(value: object) -> str:
    """A short, safe rendering of a YAML value for a warning."""
    if isinstance(value, str):
        return f'"{_shorten(sanitize_line(value), 60)}"'
    if value is None:
        return "(empty)"
    return f"({type(value).__name__})"


def _text_value(value: object, allow_numbers: bool = False) -> str | None:
    """A one-line string from a YAML scalar, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) or allow_numbers and isinstance(value, int | float):
        text = sanitize_line(str(value))
        return text or None
    if isinstance(value, Mapping) and isinstance(value.get("name"), str):
        return sanitize_line(value["name"]) or None
    return None


def _names_value(value: object) -> str | None:
    """Authors or agencies: a string, or a list of strings / {name: ...} joined by ", "."""
    if isinstance(value, list | tuple):
        names = [_text_value(v) for v in value]
        if not names or any(n is None for n in names):
            return None
        return ", ".join(n for n in names if n)
    return _text_value(value)


@dataclass(frozen=True)
class _Sources:
    """The two YAML mappings in precedence order, with the names warnings use."""

    layers: tuple[tuple[str, Mapping[str, Any]], ...]

    def pick(
        self, field: str, convert: Callable[[Any], Any], warnings: list[str]
    ) -> tuple[Any, str | None]:
        """First usable value of *field* (sidecar before front matter) and where it came from.

        Unusable values produce a warning and fall through to the next layer.
        """
        for where, mapping in self.layers:
            present, raw = _yaml_field(mapping, field)
            if not present:
                continue
            value = convert(raw)
            if value is not None:
                return value, where
            warnings.append(f"{where}: {field} {_describe(raw)} not understood")
        return None, None


def _layers(
    front_matter: object, sidecar: object, warnings: list[str]
) -> _Sources:
    layers = []
    for where, mapping in (("sidecar", sidecar), ("front matter", front_matter)):
        if isinstance(mapping, Mapping):
            layers.append((where, mapping))
        elif mapping is not None:
            warnings.append(f"{where}: not a mapping ({type(mapping).__name__}), ignored")
    return _Sources(tuple(layers))


# --------------------------------------------------------------------------
# Putting it together
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Date:
    value: datetime.date | None = None
    precision: str | None = None
    time: str | None = None
    origin: str | None = None
    expression: str | None = None
    notes: tuple[str, ...] = ()


def _date(text: str, sources: _Sources, warnings: list[str]) -> _Date:
    """Sidecar date, else front-matter date, else the date the text states."""
    pub, notes = find_publication_date(text)
    parsed, where = sources.pick("date", parse_date_value_with_time, warnings)
    if parsed is None or where is None:
        if pub is None:
            return _Date()
        return _Date(pub.value, pub.precision, pub.time, pub.origin, pub.expression, notes)
    value, precision, time = parsed
    _present, raw = _yaml_field(dict(sources.layers)[where], "date")
    yaml_notes = _yaml_conflict(text, pub, value, precision, where)
    return _Date(value, precision, time, where, sanitize_line(str(raw)), yaml_notes)


def _yaml_conflict(
    text: str, pub: PubDate | None, value: datetime.date, precision: str, where: str
) -> tuple[str, ...]:
    """A note when the text states a date the YAML date contradicts."""
    if pub is None:
        return ()
    yaml_pub = PubDate(value, precision, None, where, "", (0, 0))
    if _same_period(pub, yaml_pub):
        return ()
    line = text.count("\n", 0, pub.span[0]) + 1
    return (
        f'ignored {pub.origin} "{pub.expression}" at line {line}: '
        f"conflicts with {where} {format_date(value, precision)}",
    )


def _same_period(a: PubDate, b: PubDate) -> bool:
    """True when the coarser date contains the finer one."""
    order = {"year": 0, "month": 1, "day": 2}
    level = min(order[a.precision], order[b.precision])
    keys = ((a.value.year, b.value.year), (a.value.month, b.value.month),
            (a.value.day, b.value.day))
    return all(x == y for x, y in keys[: level + 1])


def _agency_from_text(
    lines: list[_Line], bylines: list[_Byline]
) -> tuple[str | None, str | None]:
    """The agency the text credits: byline, then place dateline, then closing credits."""
    for byline in bylines:
        found = _agencies_in(byline.names)
        if found:
            return "/".join(found), "byline"
    for line in lines:
        m = _place_dateline(line.stripped)
        if m and m["agency"]:
            found = _agencies_in(_split_credit(m["agency"]))
            if found:
                return "/".join(found), "dateline"
    for line in lines:
        found = _credit_agencies(line.stripped)
        if found:
            return "/".join(found), "credit"
    return None, None


_CLOSING_PAREN = re.compile(r"\((?P<inner>[^()\n]{1,60})\)[ \t.]*$")


def _credit_agencies(line: str) -> list[str]:
    """Agencies in a credit closing a line ("(APA, 21.1.2021)", "(dpa)") or a source line."""
    source = _SOURCE_LINE.match(line)
    if source:
        return _agencies_in(_split_credit(source["value"]))
    if _DPA_FOOTER.match(line):
        return ["dpa"]
    m = _CLOSING_PAREN.search(line)
    return _agencies_in(_split_credit(m["inner"])) if m else []


def _author_from_text(bylines: list[_Byline]) -> str | None:
    """Names in the first byline that are not agencies."""
    for byline in bylines:
        people = [n for n in byline.names if _agency_name(n) is None]
        if people:
            return ", ".join(people)
    return None


def _source_from_text(lines: list[_Line]) -> str | None:
    """A "Quelle: …" line naming something other than an agency."""
    for line in lines:
        m = _SOURCE_LINE.match(line.stripped)
        if m and not _agencies_in(_split_credit(m["value"])):
            return m["value"].strip()
    return None


@dataclass(frozen=True)
class _Credits:
    source: str | None
    source_origin: str | None
    agency: str | None
    agency_origin: str | None
    author: str | None


def _credits(text: str, sources: _Sources, warnings: list[str]) -> _Credits:
    """Source, agency and author: YAML first, then what bylines and credits say."""
    lines = _lines(text)
    bylines = _bylines(lines)
    source, source_origin = sources.pick("source", _text_value, warnings)
    if source is None:
        source = _source_from_text(lines)
        source_origin = "Quelle line" if source else None
    agency, agency_origin = sources.pick("agency", _names_value, warnings)
    if agency is None:
        agency, agency_origin = _agency_from_text(lines, bylines)
    author, _where = sources.pick("author", _names_value, warnings)
    if author is None:
        author = _author_from_text(bylines)
    return _Credits(source, source_origin, agency, agency_origin, author)


def _title(
    sources: _Sources, headline: str | None, lead: str, filename: str, warnings: list[str]
) -> tuple[str, str]:
    """YAML title, else the headline, else the lead shortened, else the file name."""
    title, where = sources.pick(
        "title", lambda v: _text_value(v, allow_numbers=True), warnings
    )
    if title is not None and where is not None:
        return title, where
    if headline:
        return headline, "headline"
    if lead:
        return _title_from_lead(lead), "lead"
    stem = re.sub(r"\.[^.]+$", "", filename.replace("\\", "/").rsplit("/", 1)[-1])
    return sanitize_line(stem) or "(untitled)", "filename"


def _language(
    text: str, sources: _Sources, warnings: list[str]
) -> tuple[str, str]:
    """YAML language if it is German or English, else detected from the text."""
    code, where = sources.pick(
        "language", lambda v: _language_value(v) if isinstance(v, str) else None, warnings
    )
    if code is not None and where is not None:
        return code, where
    return detect_language(text), "detected"


def extract_metadata(
    text: str, front_matter: Mapping[str, Any], sidecar: Mapping[str, Any], filename: str
) -> tuple[Metadata, list[str]]:
    """Metadata for one article, and warnings about YAML values that were not understood.

    *text* is already sanitized and holds the article body without front
    matter. Precedence: sidecar > front matter > text. Never raises on odd
    YAML values: they are reported as one-line warnings and skipped.
    """
    warnings: list[str] = []
    sources = _layers(front_matter, sidecar, warnings)
    furniture = find_furniture(text)
    blocks = _blocks(text, furniture)
    headline = _headline(blocks)
    lead = _shorten(_lead_block(blocks, skip_first=headline is not None), _LEAD_MAX)
    title, title_origin = _title(sources, headline, lead, filename, warnings)
    date = _date(text, sources, warnings)
    who = _credits(text, sources, warnings)
    body = " ".join(b.text for b in blocks)
    language, language_origin = _language(body, sources, warnings)
    meta = Metadata(
        title=title,
        title_origin=title_origin,
        date=date.value,
        date_precision=date.precision,
        date_time=date.time,
        date_origin=date.origin,
        date_expression=date.expression,
        date_notes=date.notes,
        source=who.source,
        source_origin=who.source_origin,
        agency=who.agency,
        agency_origin=who.agency_origin,
        author=who.author,
        language=language,
        language_origin=language_origin,
        furniture=furniture,
        lead=lead,
    )
    return meta, warnings
