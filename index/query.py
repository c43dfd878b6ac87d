"""From a query string to a Whoosh query, with errors that say where.

Whoosh's parser is forgiving: an unclosed quote or bracket silently turns
into different results. A search tool must not do that, so the string is
checked first by a small lexer (:func:`validate`), and every problem becomes a
:class:`QueryError` with a character position. Then:

- ``date:`` forms are rewritten to ranges over the ``day`` ordinal column
  (Whoosh 2.7.5 gets ``date:2021-01`` and ``date:>...`` wrong, WHOOSH.md
  pitfall 4): ``date:2021``, ``date:2021-01``, ``date:2021-01-13``,
  ``date:[2021-01-01 TO 2021-02]``, ``date:>2021-01-01``, ``date:<=2021-03``,
  ``date:undated``;
- user field names (``title:``, ``body:``, ``source:``, ``lang:``) are
  expanded to the per-language fields they stand for;
- unfielded words search title (boosted) and body in every language.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import re
from dataclasses import dataclass

from whoosh import qparser, query
from whoosh.qparser import syntax

from index.schema import DEFAULT_FIELDS, FIELD_ALIASES

MIN_PREFIX = 2
USER_FIELDS = ("title", "body", "source", "agency", "lang", "date", "path", "id")


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
        if prev is not None and prev.kind == "field" and tok.kind in ("op", "rparen"):
            raise QueryError(f"nothing to search after '{prev.text}'", prev.pos)
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
            if m and (i == 0 or not text[i - 1].isalnum()):
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

class _AliasPlugin(qparser.Plugin):
    """Expand user field names to the real fields (after fields are applied, at 100)."""

    def filters(self, parser):  # type: ignore[no-untyped-def]
        return [(self._expand, 105)]

    def _expand(self, parser, group):  # type: ignore[no-untyped-def]
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self._expand(parser, node)
            elif node.has_fieldname and node.fieldname is not None:
                name = node.fieldname.lower()
                real = FIELD_ALIASES.get(name)
                if real is None:
                    continue
                if len(real) == 1:
                    node.set_fieldname(real[0], override=True)
                    continue
                copies = []
                for fname in real:
                    c = copy.copy(node)
                    c.set_fieldname(fname, override=True)
                    copies.append(c)
                group[i] = syntax.OrGroup(copies)
        return group


def _user_name(fieldname: str) -> str:
    """The name a user typed for a schema field (``title_de`` -> ``title``)."""
    for user, real in FIELD_ALIASES.items():
        if fieldname in real:
            return user
    return fieldname


def make_parser(schema) -> qparser.QueryParser:  # type: ignore[no-untyped-def]
    """A parser with AND between words, fuzzy ``~``, aliases and multi-field words."""
    parser = qparser.QueryParser(None, schema, group=qparser.AndGroup)
    parser.remove_plugin_class(qparser.FieldsPlugin)
    parser.add_plugin(qparser.FieldsPlugin(remove_unknown=False))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(_AliasPlugin())
    parser.add_plugin(qparser.MultifieldPlugin(list(DEFAULT_FIELDS), fieldboosts=DEFAULT_FIELDS))
    return parser


def parse(text: str, schema, parser: qparser.QueryParser | None = None) -> query.Query | None:  # type: ignore[no-untyped-def]
    """Parse a user query; None for an empty one. Raises :class:`QueryError`."""
    if not text.strip():
        return None
    validate(text)
    rewritten = rewrite_dates(text)
    parser = parser or make_parser(schema)
    try:
        q = parser.parse(rewritten)
    except Exception as exc:  # noqa: BLE001 - Whoosh raises assorted types on odd input
        raise QueryError(f"cannot parse the query: {exc}") from exc
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
    if q is query.NullQuery:
        return q
    return q.normalize()
