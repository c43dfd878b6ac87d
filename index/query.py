"""From a query string to a Whoosh query, with errors that say where.

Whoosh's parser is forgiving: an unclosed quote or bracket silently turns
into different results. A search tool must not do that, so the string is
checked first by a small lexer (:func:`validate`), and every problem becomes a
:class:`QueryError` with a character position. Then:

- ``date:`` forms are rewritten to ranges over the ``day`` ordinal column
  (Whoosh 2.7.5 gets ``date:2021-01`` and ``date:>...`` wrong, index/whoosh_notes.md
  pitfall 4): ``date:2021``, ``date:2021-01``, ``date:2021-01-13``,
  ``date:[2021-01-01 TO 2021-02]``, ``date:>2021-01-01``, ``date:<=2021-03``,
  ``date:undated``;
- user field names (``title:``, ``body:``, ``source:``, ``lang:``) are
  expanded to the per-language fields they stand for;
- unfielded words search title (boosted) and body in every language.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
from dataclasses import dataclass

from whoosh import qparser, query
from whoosh.qparser import syntax

from index.analysis import LANGUAGES, fold_for, is_stopword, stopwords
from index.phrase import OffsetPhrase
from index.schema import DEFAULT_FIELDS, FIELD_ALIASES

MIN_PREFIX = 2
USER_FIELDS = ("title", "body", "source", "agency", "author", "lang", "date", "path", "id")


class QueryError(ValueError):
    """A query the user must fix. ``position`` is a 0-based character offset or None."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        if self.position is None:
            return self.message
        return f"{self.message} (at column {self.position + 1})"


@dataclass(frozen=True)
class _Tok:
    kind: str  # word, quote, lparen, rparen, op, field, range
    text: str
    pos: int


_OPS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
# As wide as Whoosh's own field syntax (``\w+:``), so "00:x" is an unknown field here
# instead of a silent Term on a field that does not exist (or a KeyError).
_FIELD_RE = re.compile(r"(\w+):")


def validate(text: str) -> None:
    """Raise :class:`QueryError` for syntax Whoosh would silently misread."""
    if len(text) > 2000:
        raise QueryError("query is too long (more than 2000 characters)", 2000)
    toks = _lex(text)
    depth: list[int] = []
    prev: _Tok | None = None
    for tok in toks:
        if tok.kind == "lparen":
            depth.append(tok.pos)
        elif tok.kind == "rparen":
            if not depth:
                raise QueryError("')' without a matching '('", tok.pos)
            if prev is not None and prev.kind == "lparen":
                raise QueryError("empty parentheses", prev.pos)
            depth.pop()
        elif tok.kind == "op":
            if tok.text in ("AND", "OR", "ANDNOT", "ANDMAYBE") and (
                prev is None or prev.kind in ("op", "lparen", "field")
            ):
                raise QueryError(f"{tok.text} needs a term before it", tok.pos)
        elif tok.kind == "field":
            name = tok.text[:-1].lower()
            if name not in USER_FIELDS:
                raise QueryError(
                    f"unknown field '{tok.text[:-1]}' (fields: {', '.join(USER_FIELDS)})", tok.pos
                )
        elif tok.kind == "word":
            _check_wildcards(tok)
            _check_suffixes(tok)
        elif tok.kind == "range":
            if (prev is None or prev.kind != "field" or prev.text[:-1].lower() != "date"
                    or prev.pos + len(prev.text) != tok.pos):
                raise QueryError("a range works only on dates, e.g. date:[2021-01 TO 2021-03]",
                                 tok.pos)
        elif tok.kind == "quote":
            _check_suffixes(tok)
        if prev is not None and prev.kind == "op" and prev.text == "NOT" and tok.kind == "op":
            raise QueryError("NOT needs a term after it", prev.pos)
        if prev is not None and prev.kind == "field" and tok.kind in ("op", "rparen"):
            raise QueryError(f"nothing to search after '{prev.text}'", prev.pos)
        if (prev is not None and prev.kind == "field" and tok.kind in ("word", "quote")
                and prev.pos + len(prev.text) == tok.pos and prev.text[:-1].lower() != "date"
                and not any(c.isalnum() for c in tok.text)):
            raise QueryError(f"'{prev.text}' needs a word to search for", tok.pos)
        prev = tok
    if depth:
        raise QueryError("'(' is never closed", depth[-1])
    if prev is not None:
        if prev.kind == "op":
            raise QueryError(f"{prev.text} needs a term after it", prev.pos)
        if prev.kind == "field":
            raise QueryError(f"nothing to search after '{prev.text}'", prev.pos)


def _check_wildcards(tok: _Tok) -> None:
    word = tok.text
    star = min((i for i in (word.find("*"), word.find("?")) if i >= 0), default=-1)
    if star < 0:
        return
    head = word[:star]
    rest = word.strip("*?")
    if not head and rest.isalpha():
        # Closed compounds are indexed by their parts: the plain word already finds them.
        raise QueryError(
            f"a word cannot start with a wildcard: search '{rest}' alone (compounds are "
            f"indexed by their parts, so it finds them too)",
            tok.pos,
        )
    if len(re.sub(r"\W", "", head)) < MIN_PREFIX:
        raise QueryError(
            f"type at least {MIN_PREFIX} letters before a wildcard ('{word}')", tok.pos + star
        )


_BOOST_RE = re.compile(r"\^([^\s()]*)$")
_FUZZY_RE = re.compile(r"~(\d*)(?:/(\d*))?$")
MAX_BOOST = 100.0


def _check_suffixes(tok: _Tok) -> None:
    """Boosts (``^2``) and fuzzy marks (``~2``, ``~1/3``) as Whoosh reads them, checked
    here because out of range they crash or run for a minute inside Whoosh."""
    text = tok.text
    m = _BOOST_RE.search(text)
    if m:
        where = tok.pos + m.start()
        try:
            boost = float(m.group(1))
        except ValueError:
            raise QueryError(f"a boost needs a number after ^ (like ^2), not '{m.group(0)}'",
                             where) from None
        if not 0 < boost <= MAX_BOOST:
            raise QueryError(f"a boost must be above 0 and at most {MAX_BOOST:g}", where)
        text = text[:m.start()]
    if tok.kind != "word":
        return
    if text.count("~") > 1:
        raise QueryError("one ~ per word (like Klage~2)", tok.pos + text.index("~"))
    if "~" in text and any(c in text for c in "*?"):
        raise QueryError("a word is either a prefix (*) or fuzzy (~), not both",
                         tok.pos + text.index("~"))
    m = _FUZZY_RE.search(text)
    if not m:
        if "~" in text:
            raise QueryError("~ goes at the end of a word: Klage~ or Klage~2 or Klage~1/3",
                             tok.pos + text.index("~"))
        return
    where = tok.pos + m.start()
    edits = int(m.group(1)) if m.group(1) else 1
    if not 1 <= edits <= MAX_EDITS:
        raise QueryError(f"fuzzy matching allows 1 or {MAX_EDITS} edits (~1, ~2)", where)
    word = text[:m.start()]
    if m.group(2) is not None:
        if not m.group(2):
            raise QueryError("a fuzzy prefix needs a number after / (like ~1/2)", where)
        letters = sum(c.isalnum() for c in word)
        if int(m.group(2)) == 0:
            raise QueryError("a fixed fuzzy prefix is 1 letter or more (~1/1), or left out",
                             where)
        if int(m.group(2)) >= letters:
            raise QueryError(f"the fixed prefix /{m.group(2)} must be shorter than "
                             f"'{word}'", where)


#: Names before a colon that are query syntax, though not fields of the index.
MARK_FIELDS = ("tag", "is")


def _is_field(m: re.Match[str], text: str) -> bool:
    """Is ``name:`` at *m* a field? A known field always is; any other name only when
    its value follows right after the colon (``titel:x`` is a typo worth an error). A
    colon in prose (``Redefreiheit: Parler``, ``Stand: 12:05 Uhr``) is punctuation."""
    name = m.group(1)
    if name.lower() in USER_FIELDS or name.lower() in MARK_FIELDS:
        return True
    return name[0].isalpha() and m.end() < len(text) and not text[m.end()].isspace()


def _lex(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == '"':
            j = text.find('"', i + 1)
            if j < 0:
                raise QueryError('unclosed quote "', i)
            toks.append(_Tok("quote", text[i:j + 1], i))
            i = j + 1
        elif c == "(":
            toks.append(_Tok("lparen", c, i))
            i += 1
        elif c == ")":
            toks.append(_Tok("rparen", c, i))
            i += 1
        elif c in "[{":
            close = "]" if c == "[" else "}"
            j = text.find(close, i + 1)
            alt = text.find("]" if close == "}" else "}", i + 1)
            if j < 0 and alt < 0:
                raise QueryError(f"range '{c}' is never closed", i)
            j = j if j >= 0 else alt
            toks.append(_Tok("range", text[i:j + 1], i))
            i = j + 1
        elif c in "]}":
            raise QueryError(f"'{c}' without a matching opening bracket", i)
        else:
            m = _FIELD_RE.match(text, i)
            if m and (i == 0 or not text[i - 1].isalnum()) and _is_field(m, text):
                toks.append(_Tok("field", m.group(0), i))
                i = m.end()
                continue
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"[]{}':
                j += 1
            word = text[i:j]
            if word.startswith(("+", "-")) and len(word) == 1:
                raise QueryError(f"'{word}' needs a term right after it", i)
            kind = "op" if word in _OPS else "word"
            toks.append(_Tok(kind, word, i))
            i = j
    return toks


def field_term(field: str, value: str) -> str | None:
    """The query term that keeps only *value* of *field* (a facet the user picked):
    ``source:heise``, ``source:"Perth Herald"``; quoted whenever it is not a plain
    word or reads as an operator (``source:"OR"``). None when the value has no word
    to search for (``+++``): the caller says so instead of adding an empty filter."""
    value = " ".join(value.replace('"', " ").split())
    if not any(c.isalnum() for c in value):
        return None
    if re.fullmatch(r"\w[\w.-]*", value) and value.upper() not in _OPS:
        return f"{field}:{value}"
    return f'{field}:"{value}"'


# --- tag: and is:bookmarked --------------------------------------------------------------------

#: A tag is one word: letters and digits, ``-`` and ``_`` inside, at most 40 characters.
TAG_RE = re.compile(r"[^\W_](?:[\w-]{0,38}[^\W_])?")


@dataclass(frozen=True)
class MarkFilter:
    """What ``tag:NAME`` and ``is:bookmarked`` in a query ask for (all of it, AND)."""

    tags: tuple[str, ...] = ()
    bookmarked: bool = False

    def __bool__(self) -> bool:
        return bool(self.tags) or self.bookmarked


def check_tag(name: str, pos: int | None = None) -> str:
    """The tag *name* in its stored form (case-folded); :class:`QueryError` when it is
    not one word."""
    if not TAG_RE.fullmatch(name):
        raise QueryError(f"not a tag: '{name}' (one word: letters, digits, - and _, "
                         "at most 40 characters)", pos)
    return name.casefold()


def split_marks(text: str) -> tuple[str, MarkFilter]:
    """Take ``tag:NAME`` and ``is:bookmarked`` out of *text*: the rest and the filter.

    They select articles by what the user marked, which the index does not hold, so
    they are not terms: each narrows the whole query, and stands at its top level
    (not in parentheses, not joined by AND/OR/NOT). The rest keeps every other
    character where it was, so a later error's column still points into *text*."""
    low = text.lower()
    if "tag:" not in low and "is:" not in low:
        return text, MarkFilter()
    toks = _lex(text)
    depth = 0
    tags: list[str] = []
    bookmarked = False
    rest = list(text)
    for i, tok in enumerate(toks):
        depth += (tok.kind == "lparen") - (tok.kind == "rparen")
        name = tok.text[:-1].lower()
        if tok.kind != "field" or name not in ("tag", "is"):
            continue
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is None or nxt.kind != "word" or nxt.pos != tok.pos + len(tok.text):
            raise QueryError(f"'{name}:' needs a word right after it "
                             "(tag:NAME, is:bookmarked)", tok.pos)
        prev = toks[i - 1] if i else None
        after = toks[i + 2] if i + 2 < len(toks) else None
        if depth or (prev is not None and prev.kind == "op") or (
                after is not None and after.kind == "op" and after.text != "NOT"):
            raise QueryError(f"{name}: applies to the whole query: write it outside "
                             "parentheses and without AND/OR/NOT", tok.pos)
        if name == "is":
            if nxt.text.lower() != "bookmarked":
                raise QueryError(f"is: takes 'bookmarked', not '{nxt.text}'", nxt.pos)
            bookmarked = True
        else:
            tag = check_tag(nxt.text, nxt.pos)
            if tag not in tags:
                tags.append(tag)
        for k in range(tok.pos, nxt.pos + len(nxt.text)):
            rest[k] = " "
    return "".join(rest), MarkFilter(tuple(tags), bookmarked)


# --- date: rewriting ---------------------------------------------------------------------------

_DATE_RE = re.compile(r"(?<![\w:])date:(\[[^\]]*\]|\{[^}]*\}|(?:[<>]=?)?[^\s()]+)", re.IGNORECASE)


def _period(value: str, pos: int) -> tuple[dt.date, dt.date]:
    """First and last day of ``2021``, ``2021-01``, ``2021-01-13`` (or ``13.01.2021``)."""
    v = value.strip()
    try:
        if re.fullmatch(r"\d{4}", v):
            y = int(v)
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", v)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            return dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1])
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", v)
        if m:
            d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return d, d
        m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", v)
        if m:
            d = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            return d, d
    except ValueError:
        pass
    raise QueryError(f"not a date: '{v}' (use 2021, 2021-01 or 2021-01-13)", pos)


def parse_period(value: str) -> tuple[dt.date, dt.date]:
    """Public form of the date-period parser for ``--since``/``--until``."""
    return _period(value, 0)


def rewrite_dates(text: str) -> str:
    """Replace ``date:`` terms by numeric ranges over the ``day`` ordinal field."""

    def repl(m: re.Match[str]) -> str:
        arg = m.group(1)
        pos = m.start(1)
        if arg.lower() == "undated":
            # A range, not the term day:0: a numeric term's bytes are not UTF-8 and
            # broke the match-span code that decodes the query's terms.
            return "day:[0 TO 0]"
        if arg[0] in "[{":
            inner = arg[1:-1]
            parts = re.split(r"\s+to\s+", " " + inner + " ", flags=re.IGNORECASE)
            if len(parts) != 2:
                raise QueryError("a date range needs the form [FROM TO UNTIL]", pos)
            lo_s, hi_s = parts[0].strip(), parts[1].strip()
            lo = _period(lo_s, pos)[0].toordinal() if lo_s else 1
            hi = _period(hi_s, pos)[1].toordinal() if hi_s else 9_999_999
            if lo > hi:
                raise QueryError("the date range ends before it starts", pos)
            return f"day:[{lo} TO {hi}]"
        op = re.match(r"[<>]=?", arg)
        if op:
            first, last = _period(arg[op.end():], pos + op.end())
            return {
                ">": f"day:[{last.toordinal() + 1} TO 9999999]",
                ">=": f"day:[{first.toordinal()} TO 9999999]",
                "<": f"day:[1 TO {first.toordinal() - 1}]",
                "<=": f"day:[1 TO {last.toordinal()}]",
            }[op.group(0)]
        first, last = _period(arg, pos)
        return f"day:[{first.toordinal()} TO {last.toordinal()}]"

    return _DATE_RE.sub(repl, text)


# --- the parser ---------------------------------------------------------------------------------

#: A prefix expands to at most this many terms (the most frequent ones): a short
#: prefix at 100k articles otherwise expands to thousands of terms times four fields.
PREFIX_EXPANSION_LIMIT = 256
#: ...chosen among at most this many terms (in term order) of the index.
PREFIX_SCAN_LIMIT = 20_000
#: A word being typed is completed as a prefix from this many letters on.
MIN_COMPLETION = 3
#: Fuzzy matching allows at most this many edits (``~3`` and more expand to nearly
#: every term of the index: 64 s and 446 MB for one query at 10k articles).
MAX_EDITS = 2
#: Weight of the exact word sequence of a plain multi-word query (see :func:`_sequence`).
SEQUENCE_BOOST = 5.0


class BoundedPrefix(query.Prefix):
    """A prefix that expands to the :data:`PREFIX_EXPANSION_LIMIT` terms with the most
    documents: ranking is decided by the words people mean, and a two-letter prefix
    stays a bounded query."""

    def _btexts(self, ixreader):  # type: ignore[no-untyped-def]
        # Scanning is bounded too: one hostile file of 1.5M distinct words made a short
        # prefix expand for a minute before any time budget could apply.
        found = list(itertools.islice(ixreader.expand_prefix(self.fieldname, self.text),
                                      PREFIX_SCAN_LIMIT))
        if len(found) <= PREFIX_EXPANSION_LIMIT:
            return found
        df = ixreader.doc_frequency
        found.sort(key=lambda b: -df(self.fieldname, b))
        return sorted(found[:PREFIX_EXPANSION_LIMIT])


class _LanguageParser(qparser.QueryParser):
    """Whoosh's parser bound to one language's title and body fields.

    A query is parsed once per language and the parts are OR-ed (an article has
    one language): a stop word of German is dropped from the German part only.
    Prefixes are matched on the folded, unstemmed word (``Regier*`` must not become
    ``regi*``), together with the word's own stem (``Regierung*`` finds
    ``Regierung``, whose term is the stem ``regier``).
    """

    def __init__(self, schema, lang: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__(None, schema, group=qparser.AndGroup)
        self.lang = lang
        self.text_fields = {f"title_{lang}", f"body_{lang}"}
        #: The folded word being completed while typing (dropped when it is a stop word).
        self.completing: str | None = None
        #: Keep stop words: set when a query is nothing but stop words of this language.
        self.keep_stops = False
        self.remove_plugin_class(qparser.FieldsPlugin)
        self.add_plugin(qparser.FieldsPlugin(remove_unknown=False))
        self.remove_plugin_class(qparser.PhrasePlugin)
        self.add_plugin(_PositionalPhrasePlugin())
        self.add_plugin(qparser.FuzzyTermPlugin())
        self.add_plugin(_AliasPlugin(lang))
        boosts = {f"title_{lang}": DEFAULT_FIELDS[f"title_{lang}"],
                  f"body_{lang}": DEFAULT_FIELDS[f"body_{lang}"]}
        self.add_plugin(qparser.MultifieldPlugin(list(boosts), fieldboosts=boosts))

    def term_query(  # type: ignore[no-untyped-def]
        self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True
    ):
        if fieldname in self.text_fields and termclass is query.Wildcard:
            body = text[:-1]
            if text.endswith("*") and "*" not in body and "?" not in body:
                return self._prefix(fieldname, body, boost)
            return query.Wildcard(fieldname, fold_for(self.lang, text), boost=boost)
        if self.keep_stops:
            removestops = False
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)

    def multitoken_query(self, spec, texts, fieldname, termclass, boost):  # type: ignore[no-untyped-def]
        """A hyphenated word is searched by its parts: the whole compound's term only
        exists for exactly that spelling (``Cloud-Servern`` must find
        ``AWS-Cloud-Servern`` and ``Cloud Servern``)."""
        parts = [t for t in texts if not any(h in t for h in "-\u2010\u2011")]
        return super().multitoken_query(spec, parts or texts, fieldname, termclass, boost)

    def _prefix(self, fieldname: str, word: str, boost: float) -> query.Query | None:
        folded = fold_for(self.lang, word)
        if folded == self.completing and folded in stopwords(self.lang):
            return None  # "Klage gegen|": the finished stop word, not "gegen*"
        stems = list(self.schema[fieldname].process_text(word, mode="query", removestops=False))
        parts: list[query.Query] = [BoundedPrefix(fieldname, folded, boost=boost)]
        if len(stems) == 1 and stems[0] != folded:
            parts.insert(0, query.Term(fieldname, stems[0], boost=boost))
        return parts[0] if len(parts) == 1 else query.Or(parts)


class _PositionalPhrasePlugin(qparser.PhrasePlugin):
    """Quoted phrases as :class:`index.phrase.OffsetPhrase`: every word at its
    analyzed position, stop words kept."""

    class PhraseNode(qparser.PhrasePlugin.PhraseNode):
        def query(self, parser):  # type: ignore[no-untyped-def]
            fieldname = self.fieldname or parser.fieldname
            field = parser.schema[fieldname] if fieldname in parser.schema else None
            if field is None or field.analyzer is None or not field.format.supports("positions"):
                return super().query(parser)
            text = self.text
            typing = text.endswith(OPEN_PHRASE)
            text = text.rstrip(OPEN_PHRASE)
            last = re.search(r"\w+$", text) if typing else None
            toks = [(t.pos, t.text) for t in field.tokenize(
                text, mode="query", removestops=False, positions=True, chars=True)]
            prefix = None
            if last is not None and toks:
                # The phrase is still being typed: its last word is unfinished.
                prefix = (toks[-1][0], fold_for(getattr(parser, "lang", "de"), last.group(0)))
                toks = toks[:-1]
                if not toks:
                    return qparser.syntax.attach(
                        BoundedPrefix(fieldname, prefix[1], boost=self.boost), self)
            if not toks:
                return None
            if len(toks) == 1 and prefix is None:
                return qparser.syntax.attach(query.Term(fieldname, toks[0][1], boost=self.boost),
                                             self)
            if self.slop > 1 and prefix is None:
                words = [w for _, w in toks]
                return qparser.syntax.attach(
                    query.Phrase(fieldname, words, slop=self.slop, boost=self.boost), self)
            first = toks[0][0]
            if prefix is not None:
                prefix = (prefix[0] - first, prefix[1])
            return qparser.syntax.attach(
                OffsetPhrase(fieldname, [(p - first, w) for p, w in toks], boost=self.boost,
                             prefix=prefix),
                self)

    class PhraseTagger(qparser.PhrasePlugin.PhraseTagger):
        def create(self, parser, match):  # type: ignore[no-untyped-def]
            slopstr = match.group("slop")
            return _PositionalPhrasePlugin.PhraseNode(
                match.group("text"), match.start("text"), int(slopstr) if slopstr else 1)


class _AliasPlugin(qparser.Plugin):
    """Expand user field names to the real fields of one language (after fields are
    applied, at 100): ``title:`` is ``title_de`` in the German part."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def filters(self, parser):  # type: ignore[no-untyped-def]
        return [(self._expand, 105)]

    def _expand(self, parser, group):  # type: ignore[no-untyped-def]
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self._expand(parser, node)
            elif node.has_fieldname and node.fieldname is not None:
                real = FIELD_ALIASES.get(node.fieldname.lower())
                if real is None:
                    continue
                mine = [f for f in real if f in parser.text_fields] or list(real)
                node.set_fieldname(mine[0], override=True)
        return group


def _user_name(fieldname: str) -> str:
    """The name a user typed for a schema field (``title_de`` -> ``title``)."""
    for user, real in FIELD_ALIASES.items():
        if fieldname in real:
            return user
    return fieldname


class QueryParsers:
    """One parser per language (see :class:`_LanguageParser`), built once per index."""

    def __init__(self, schema) -> None:  # type: ignore[no-untyped-def]
        self.schema = schema
        self.by_lang = {lang: _LanguageParser(schema, lang) for lang in LANGUAGES}


def make_parser(schema) -> QueryParsers:  # type: ignore[no-untyped-def]
    """The parsers of an index's schema (reuse them: building one costs a few ms)."""
    return QueryParsers(schema)


#: Marks the end of a phrase that is still being typed (see :func:`parse`); a private-use
#: character, which the analyzers drop and nobody types.
OPEN_PHRASE = "\ue000"


def still_open(text: str) -> str | None:
    """What closes the quote and brackets *text* ends inside of (``"einst`` -> ``"``,
    ``(Klage OR Verf`` -> ``)``), or None when nothing is open or a closer is stray (a
    real error, not unfinished typing). For search while typing only: a submitted
    query is parsed exactly and its error shows."""
    closers = {"(": ")", "[": "]"}
    stack: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif ch in closers:
            stack.append(closers[ch])
        elif ch in ")]":
            if not stack or stack[-1] != ch:
                return None
            stack.pop()
    if not quoted and not stack:
        return None
    return ('"' if quoted else "") + "".join(reversed(stack))


def typing_view(text: str) -> tuple[str, tuple[int, str] | None]:
    """The query as searched while its end is being typed, and the word completed.

    An open quote or bracket at the end is closed; the unfinished last word is
    completed as a prefix, inside a phrase too (``"einstweilige Verf`` finds
    ``einstweilige Verfügung``).
    """
    closers = still_open(text)
    if closers and closers.startswith('"'):
        last = re.search(r"\w+$", text)
        if last is not None and sum(c.isalnum() for c in last.group(0)) < MIN_COMPLETION:
            # One or two letters of the next word: search the words before it.
            if text[:last.start()].rstrip().rstrip('"').strip():
                text = text[:last.start()].rstrip()
            return text + closers, None
        if last is None:
            return text + closers, None
        return text + OPEN_PHRASE + closers, (last.start(), last.group(0))
    text = _trim_unfinished(text)
    closers = still_open(text)
    completing = completion_word(text)
    if completing is not None:
        pos, word = completing
        text = text[:pos] + word + "*" + text[pos + len(word):]
    return text + (closers or ""), completing


def _trim_unfinished(text: str) -> str:
    """Leave out what cannot be searched yet at the end of a query being typed: an
    operator waiting for its term (``(Klage OR``), an empty open bracket
    (``Bloomberg AND (``), one or two letters of the next word (``Klage ge``)."""
    while True:
        try:
            toks = _lex(text)
        except QueryError:
            return text
        if len(toks) < 2:
            return text
        last, before = toks[-1], toks[-2]
        glued = before.kind == "field" and before.pos + len(before.text) == last.pos
        short = (last.kind == "word" and not text[-1].isspace() and not glued
                 and sum(c.isalnum() for c in last.text) < MIN_COMPLETION
                 and last.text.isalnum())
        if last.kind == "op" or last.kind == "lparen" or short:
            text = text[:last.pos].rstrip()
            continue
        return text


def completion_word(text: str) -> tuple[int, str] | None:
    """The word being typed at the end of *text*, if it is completed as a prefix.

    Only a plain word right at the end (no space, quote or bracket after it) of at
    least :data:`MIN_COMPLETION` letters, outside quotes, that is not an operator
    and not the value of a non-text field, is completed; anything else is searched
    as typed. Returns its start offset and the word.
    """
    if not text or text[-1].isspace():
        return None
    try:
        toks = _lex(text)
    except QueryError:
        return None
    if not toks or toks[-1].kind != "word":
        return None
    last = toks[-1]
    word = last.text
    if any(c in word for c in "*?~^/\\:") or not word[-1].isalnum():
        return None
    if sum(c.isalnum() for c in word) < MIN_COMPLETION:
        return None
    if word.startswith(("+", "-")):
        return None
    if len(toks) > 1 and toks[-2].kind == "field":
        name = toks[-2].text[:-1].lower()
        if name not in ("title", "body", "text", "source", "agency", "author"):
            return None
        if last.pos != toks[-2].pos + len(toks[-2].text):
            return None
    return last.pos, word


def stopword_notice(text: str) -> str | None:
    """A hint when every plain word of *text* is a stop word of some language
    (``die der``): such words are ignored unless quoted."""
    try:
        toks = _lex(text)
    except QueryError:
        return None
    words = [t.text for t in toks if t.kind == "word"]
    if not words or len(words) != len(toks) or any(w[0] in "+-" for w in words):
        return None
    plain = [re.sub(r"\W", "", w) for w in words]
    if not all(plain):
        return None
    for lang in LANGUAGES:
        if all(is_stopword(w, lang) for w in plain):
            return (f"only common words: most articles have them; quote them to find the "
                    f"phrase: \"{' '.join(words)}\"")
    return None


def parse(  # type: ignore[no-untyped-def]
    text: str, schema, parsers: QueryParsers | None = None, *, complete_last: bool = False
) -> query.Query | None:
    """Parse a user query; None for an empty one. Raises :class:`QueryError`.

    The query is parsed once per language and the parts are OR-ed. With
    *complete_last* the end of the query is being typed (:func:`typing_view`): an open
    quote or bracket is closed, and the unfinished last word also matches as a prefix.
    """
    if not text.strip():
        return None
    completing = None
    if complete_last:
        text, completing = typing_view(text)
    validate(text.replace(OPEN_PHRASE, ""))
    if not any(c.isalnum() for c in text):
        raise QueryError("nothing to search: type a word (letters or digits)", 0)
    rewritten = rewrite_dates(_defuse(text))
    parsers = parsers or make_parser(schema)
    plain = _plain_words(text, completing)
    parts: list[query.Query] = []
    for lang, parser in parsers.by_lang.items():
        q = _parse_one(parser, rewritten, fold_for(lang, completing[1]) if completing else None)
        if _is_null(q):
            # Nothing but stop words of this language ("So habe es keine"): they are
            # indexed, so search them as words rather than find nothing.
            q = _parse_one(parser, rewritten, None, keep_stops=True)
        _check_leaves(q, schema)
        if _is_null(q):
            continue
        if plain:
            q = _with_sequence_bonus(q, parser, plain)
        if _has_negation(q) or not _has_text_leaf(q, parser.text_fields):
            # A part with no word of its own language left (purely negative, "NOT
            # Klage", or only filters once its stop words went, "date:2021-01 der")
            # would match the articles of the other languages: keep it to its own.
            guard = (query.Term("lang", "en") if lang == "en"
                     else query.Not(query.Term("lang", "en")))
            q = query.And([guard, q]).normalize()
        if q not in parts:
            parts.append(q)
    if not parts:
        return query.NullQuery
    return parts[0] if len(parts) == 1 else query.Or(parts)


def _defuse(text: str) -> str:
    """The query as Whoosh should read it: a colon inside a word that is no field
    (``Redefreiheit:``, ``12:05``) and a question mark ending a word (``Parler?``)
    are punctuation, replaced by spaces (offsets stay as typed)."""
    out = list(text)
    for tok in _lex(text):
        if tok.kind != "word":
            continue
        word = tok.text
        for k, ch in enumerate(word):
            if ch == ":":
                out[tok.pos + k] = " "
        stripped = word.rstrip("?")
        if stripped != word and any(c.isalnum() for c in stripped):
            for k in range(len(stripped), len(word)):
                out[tok.pos + k] = " "
    return "".join(out)


def _plain_words(text: str, completing: tuple[int, str] | None) -> str | None:
    """The words of a query that is nothing but words (no operators, fields, quotes or
    wildcards), without a word being completed; None for any other query."""
    toks = _lex(text)
    if completing is not None:
        toks = [t for t in toks if not t.text.endswith("*")]
    if len(toks) < 2 or any(t.kind != "word" or not _PLAIN.fullmatch(t.text) for t in toks):
        return None
    return " ".join(t.text for t in toks)


_PLAIN = re.compile(r"[\w.,;!?'\u2019-]+")


def _with_sequence_bonus(q: query.Query, parser: _LanguageParser, words: str) -> query.Query:
    """Rank articles that have the words in the typed order, stop words included,
    above those that only have them somewhere.

    A remembered sentence (``die Redefreiheit eingeschränkt zu haben``) is mostly
    common words: ANDed, its two content words match many articles, while the exact
    sequence matches the one the reader means (like ``pf``, the phrase boost of
    Solr's edismax). The sequence is optional: it only adds to the score.
    """
    field = f"body_{parser.lang}"
    toks = [(t.pos, t.text) for t in parser.schema[field].tokenize(
        words, mode="query", removestops=False, positions=True)]
    if len(toks) < 2:
        return q
    first = toks[0][0]
    seq = OffsetPhrase(field, [(p - first, w) for p, w in toks], boost=SEQUENCE_BOOST)
    return query.AndMaybe(q, seq)


def _parse_one(  # type: ignore[no-untyped-def]
    parser: _LanguageParser, text: str, completing: str | None, keep_stops: bool = False
):
    parser.completing, parser.keep_stops = completing, keep_stops
    try:
        return parser.parse(text).normalize()
    except QueryError:
        raise
    except Exception as exc:  # noqa: BLE001 - Whoosh raises assorted types on odd input
        raise QueryError(f"cannot parse the query: {exc}") from exc
    finally:
        parser.completing, parser.keep_stops = None, False


def _is_null(q: query.Query) -> bool:
    return q is query.NullQuery or isinstance(q, query.qcore._NullQuery)


def _has_text_leaf(q: query.Query, fields: set[str]) -> bool:
    """Does *q* search a word of this language's title or body (not only filters)?"""
    leaves = [q] if q.is_leaf() else list(q.leaves())
    return any(getattr(leaf, "fieldname", None) in fields for leaf in leaves)


def _has_negation(q: query.Query) -> bool:
    if isinstance(q, query.Not):
        return True
    return any(_has_negation(c) for c in q.children()) if not q.is_leaf() else False


def _check_leaves(q: query.Query, schema) -> None:  # type: ignore[no-untyped-def]
    for leaf in q.leaves() if q.is_leaf() is False else [q]:
        if isinstance(leaf, query.qcore._NullQuery):
            continue
        if leaf.__class__.__name__ == "Error" or isinstance(leaf, getattr(query, "Error", ())):
            raise QueryError(f"invalid term: {leaf}")
        # Whoosh also reads "x:" after punctuation (":Parler:?") as a field the lexer
        # above never saw; on a field not in the schema the search raises KeyError.
        fname = getattr(leaf, "fieldname", None)
        if fname is not None and fname not in schema:
            raise QueryError(f"unknown field '{fname}' (fields: {', '.join(USER_FIELDS)})")
        # A phrase on a field indexed without positions makes Whoosh raise at search time.
        if (isinstance(leaf, query.Phrase) and fname is not None
                and not schema[fname].format.supports("positions")):
            raise QueryError(f"a phrase can't be searched in the {_user_name(fname)} field")
        # validate() checks a fixed fuzzy prefix against the word as typed, but the
        # analyzer can make the term shorter ("Quokka2heit~1/9" searches "quokka2"):
        # Whoosh then reads past the term's end (IndexError). Fix the whole term instead.
        if isinstance(leaf, query.FuzzyTerm) and leaf.prefixlength > len(leaf.text):
            leaf.prefixlength = len(leaf.text)
