"""Property-based fuzzing of the two doors strangers' input comes through.

1. The query parser: whatever a user types, ``Index.search`` returns a result
   or raises :class:`QueryError` whose message is one line. Any other
   exception would be a traceback in the TUI or the CLI.
2. Article reading: ``decode``, ``split_front_matter``, ``load_yaml_mapping``,
   ``read_article`` and ``extract_metadata`` never raise on any bytes or
   YAML-ish values except the documented :class:`SkipFile`. One odd file must
   never stop a build.
3. ``sanitize`` (and ``display_path``) never let a control character through.

Example counts are fixed so that one CI run fuzzes several thousand cases
(the total is printed in the "dossier robustness figures" summary).
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.build import build_index
from index.corpus import (
    SkipFile,
    SourceFile,
    decode,
    load_yaml_mapping,
    read_article,
    split_front_matter,
)
from index.metadata import extract_metadata
from index.query import QueryError
from index.results import SearchResult, Timeline
from index.search import Index
from index.text import display_path, sanitize, sanitize_line

# Cases per property in one default run (about 5,500 in all, ~20 s here). For a
# longer hunt multiply them: DOSSIER_FUZZ_SCALE=10 pytest tests/robust/test_fuzz.py
SCALE = max(1.0, float(os.environ.get("DOSSIER_FUZZ_SCALE", "1")))


def _n(cases: int) -> int:
    return int(cases * SCALE)


PARSER_CASES = _n(1500)
FAST = settings(
    deadline=None,
    # In CI the cases are fixed (a green run stays green: a red main lands nothing);
    # on a developer's machine every run explores new ones.
    derandomize=bool(os.environ.get("CI")),
    database=None if os.environ.get("CI") else settings.default.database,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def seed_ix(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One index of the bundled seeds for all parser cases (read-only use)."""
    index_dir = tmp_path_factory.mktemp("fuzz") / "index"
    build_index([ROOT / "seeds"], index_dir)
    ix = Index(index_dir)
    yield ix
    ix.close()


def _is_bad(c: str) -> bool:
    return unicodedata.category(c) == "Cc" and c not in "\n\t"


# --- 1. the query parser ---------------------------------------------------------------------

WORDS = ["Parler", "Amazon", "kapitol", "Trump", "Einschränkung", "Redefreiheit", "AWS",
         "Straße", "2021", "x", "ä", "Klage", "der", "ein"]
OPERATORS = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "and", "or", "+", "-", "&&", "||", "!"]
FIELDS = ["title:", "body:", "source:", "agency:", "lang:", "date:", "path:", "id:", "day:",
          "words:", "TITLE:", "foo:", "title_de:", "doc_id:", "meta:", "text:", ":"]
DATES = ["2021", "2021-01", "2021-01-13", "13.01.2021", "2021-13", "2021-02-30", "0000",
         "9999-12-31", "undated", "[2021-01-01 TO 2021-02]", "[2021 to]", "[TO 2021]",
         "{2021 TO 2022}", "[2022 TO 2021]", "[]", "[TO]", ">2021-01-01", "<=2021-03",
         ">=2021", "<2021", ">", "<=", "[2021-01 TO 2021-01 TO 2021]", "2021-1-1", "-1"]
PUNCT = ['"', "(", ")", "[", "]", "{", "}", "*", "?", "~", "~2", "^", "^2", "\\", "'", "/",
         ":", "TO", " to ", "\t", "\n", "*~", "~*", "\x1b", "\u202e", "\x00"]


def _word() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(WORDS),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=8),
        st.builds(lambda w, s: w + s, st.sampled_from(WORDS),
                  st.sampled_from(["*", "?", "~", "~1", "~3", "^3", "*x", "**", "-", ":",
                                   # every suffix form Whoosh's own parser accepts
                                   "^0", "^0.5", "^-1", "^", "^1e9", "^.5", "~0", "~2/1",
                                   "~/3", "~1/9", "~99", "~2/", "~1/0", "^2~1", "~1^2"])),
    )


def _atom() -> st.SearchStrategy[str]:
    return st.one_of(
        _word(),
        st.sampled_from(OPERATORS),
        st.sampled_from(PUNCT),
        st.builds(lambda f, w: f + w, st.sampled_from(FIELDS), _word()),
        st.builds(lambda d: "date:" + d, st.sampled_from(DATES)),
        st.builds(lambda ws: '"' + " ".join(ws) + '"', st.lists(_word(), max_size=4)),
        st.builds(lambda ws: "(" + " ".join(ws) + ")", st.lists(_word(), max_size=3)),
        st.builds(lambda a, b: f"[{a} TO {b}]", _word(), _word()),
        st.builds(lambda f, a, b, o, c: f"{f}{o}{a} TO {b}{c}", st.sampled_from(FIELDS),
                  st.sampled_from(["", "a", "2021", "Klage"]),
                  st.sampled_from(["", "z", "2022", "Parler"]),
                  st.sampled_from("[{"), st.sampled_from("]}")),
        st.builds(lambda ws, n: '"' + " ".join(ws) + '"~' + n, st.lists(_word(), max_size=3),
                  st.sampled_from(["1", "2", "0", "99", ""])),
        st.builds(lambda f: f + '""', st.sampled_from(FIELDS)),
        st.builds(lambda ws: "'" + " ".join(ws) + "'", st.lists(_word(), max_size=3)),
    )


GRAMMAR = st.builds(
    lambda parts, sep: sep.join(parts),
    st.lists(_atom(), min_size=1, max_size=8),
    st.sampled_from([" ", "", "  "]),
)
QUERIES = st.one_of(st.text(max_size=60), GRAMMAR, GRAMMAR, GRAMMAR)


def _check_search(ix: Index, q: str, sort: str) -> None:
    try:
        res = ix.search(q, limit=5, sort=sort)
    except QueryError as exc:
        msg = str(exc)
        assert msg.strip(), f"empty QueryError for {q!r}"
        assert len(msg.splitlines()) == 1, f"multi-line QueryError for {q!r}: {msg!r}"
        return
    assert isinstance(res, SearchResult)
    assert len({h.doc_id for h in res.hits}) == len(res.hits), q


@settings(FAST, max_examples=PARSER_CASES)
@given(q=QUERIES, sort=st.sampled_from(["relevance", "date", "oldest"]))
def test_search_never_raises_anything_but_query_error(
    seed_ix: Index, tally: ModuleType, q: str, sort: str
) -> None:
    tally.add("fuzz:parser")
    _check_search(seed_ix, q, sort)


@settings(FAST, max_examples=_n(150))
@given(q=GRAMMAR)
def test_timeline_and_spans_parse_the_same_way(seed_ix: Index, tally: ModuleType, q: str) -> None:
    tally.add("fuzz:parser-timeline")
    try:
        tl = seed_ix.timeline(q)
    except QueryError as exc:
        assert len(str(exc).splitlines()) == 1
        return
    assert isinstance(tl, Timeline)
    doc_id = seed_ix.ids()[0]
    assert isinstance(seed_ix.match_spans(doc_id, q), tuple)


# --- 2. article reading --------------------------------------------------------------------

YAML_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
    st.dates(), st.datetimes(), st.binary(max_size=10),
    st.sampled_from(["2021-01-13", "13. Januar 2021", "dpa", "de", "en", "xx", "", "0", "-"]),
)
YAML_VALUES = st.recursive(
    YAML_SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)
KEYS = st.one_of(
    st.sampled_from(["title", "date", "source", "agency", "author", "authors", "language",
                     "lang", "published", "datum", "quelle", "Title", "DATE", "tags", ""]),
    st.text(max_size=10),
)
YAML_DICTS = st.dictionaries(KEYS, YAML_VALUES, max_size=6)
YAML_TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.one_of(
            st.builds(lambda k, v: f"{k}: {v}", KEYS, st.text(max_size=20)),
            st.sampled_from(["- a", "  - b", "x: &a [1]", "y: *a", "!!python/object:os.system",
                             "t: !!python/name:os.system", "[", "{", "? k", ": v", "'", '"',
                             "z: !!binary AAAA", "d: 2021-13-45", "e: 1e9999", "---", "...",
                             "%YAML 1.1", "k: |", "  block", "\t: tab"]),
        ),
        max_size=10,
    ).map("\n".join),
)


def _article_bytes() -> st.SearchStrategy[bytes]:
    text_like = st.builds(
        lambda fm, body, enc: (("---\n" + fm + "\n---\n") if fm is not None else "") + body,
        st.one_of(st.none(), YAML_TEXT),
        st.text(max_size=300),
        st.just("utf-8"),
    )
    return st.one_of(
        st.binary(max_size=600),
        text_like.map(lambda s: s.encode("utf-8", "surrogatepass")),
        text_like.map(lambda s: s.encode("utf-16", "surrogatepass")),
        text_like.map(lambda s: s.encode("cp1252", "replace")),
        st.builds(lambda b, t: b + t.encode("utf-8", "surrogatepass"),
                  st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"---\n", b""]),
                  st.text(max_size=100)),
    )


@settings(FAST, max_examples=_n(1000))
@given(data=_article_bytes())
def test_decode_and_split_never_raise(tally: ModuleType, data: bytes) -> None:
    tally.add("fuzz:decode")
    try:
        text, enc = decode(data)
    except SkipFile as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(text, str) and enc
    fm, body = split_front_matter(text)
    assert isinstance(body, str)
    if fm is not None:
        mapping, warnings = load_yaml_mapping(fm, "front matter")
        assert isinstance(mapping, dict)
        assert all("\n" not in w for w in warnings)


@settings(FAST, max_examples=_n(1000))
@given(source=YAML_TEXT)
def test_load_yaml_mapping_never_raises(tally: ModuleType, source: str) -> None:
    tally.add("fuzz:yaml")
    mapping, warnings = load_yaml_mapping(source, "front matter")
    assert isinstance(mapping, dict) and isinstance(warnings, list)
    assert all(isinstance(w, str) and len(w.splitlines()) <= 1 for w in warnings), warnings


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the files of ``read_article`` cases (rewritten per case)."""
    return tmp_path_factory.mktemp("fuzzread")


@settings(FAST, max_examples=_n(400))
@given(data=_article_bytes(), side=st.one_of(st.none(), YAML_TEXT, st.binary(max_size=80)),
       suffix=st.sampled_from([".txt", ".md", ".txt", ".md", ".html"]))
def test_read_article_raises_only_skipfile(
    scratch: Path, tally: ModuleType, data: bytes, side: str | bytes | None, suffix: str
) -> None:
    tally.add("fuzz:read_article")
    path = scratch / f"a{suffix}"
    path.write_bytes(data)
    sidecar = scratch / "a.yaml"
    if side is None:
        sidecar.unlink(missing_ok=True)
    else:
        sidecar.write_bytes(side if isinstance(side, bytes) else side.encode("utf-8", "replace"))
    st_ = os.stat(path)
    sf = SourceFile(scratch, path, path.name, st_.st_size, st_.st_mtime_ns,
                    sidecar if side is not None else None, "")
    try:
        raw = read_article(sf)
    except SkipFile as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert not any(_is_bad(c) for c in raw.text)
    md, warns = extract_metadata(raw.text, raw.front_matter, raw.sidecar, path.name)
    assert isinstance(md.title, str) and all(isinstance(w, str) for w in warns)


@settings(FAST, max_examples=_n(300))
@given(text=st.text(max_size=400).map(sanitize), front=YAML_DICTS, side=YAML_DICTS,
       name=st.text(min_size=1, max_size=20))
def test_extract_metadata_never_raises(
    tally: ModuleType, text: str, front: dict, side: dict, name: str
) -> None:
    tally.add("fuzz:metadata")
    md, warns = extract_metadata(text, front, side, name)
    assert isinstance(md.title, str)
    assert md.date is None or isinstance(md.date, dt.date)
    assert all(isinstance(w, str) for w in warns)


# --- 3. sanitizing -----------------------------------------------------------------------

@settings(FAST, max_examples=_n(1000))
@given(text=st.text(alphabet=st.characters(codec=None), max_size=200))
def test_sanitize_leaves_no_control_characters(
    tally: ModuleType, hostile: ModuleType, text: str
) -> None:
    tally.add("fuzz:sanitize")
    out = sanitize(text)
    assert not any(_is_bad(c) for c in out)
    assert not hostile.bad_chars(out)
    assert sanitize(out) == out
    line = sanitize_line(text)
    assert not hostile.bad_chars_line(line)
    shown = display_path(text)
    assert not hostile.bad_chars_line(shown)
    shown.encode("utf-8")  # printable on any UTF-8 terminal: no lone surrogates
