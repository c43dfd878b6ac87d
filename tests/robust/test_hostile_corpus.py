"""A hostile corpus goes in; a clean, complete index and clean terminal output come out.

What is checked, and why:

- the build finishes and names a reason for every file it skipped (the user
  must be able to tell a skip from a bug);
- every indexed title, text, snippet and path is free of control characters
  (``Cc`` except newline/tab) and bidi controls: they came from strangers'
  files and would reach a shared terminal;
- terminal markup (``[/b]``, ``[@click=...]``) is stored literally: it is the
  renderer's job to show it as text, and losing it would corrupt the article;
- YAML never constructs objects or expands alias bombs;
- the ``dossier`` CLI (``index``, ``search``, ``show``, ``timeline``, with and
  without ``--json``) prints none of those characters either, including from
  file names with newlines, ESC and undecodable bytes.

The 50 MB file is *skipped* (``larger than 16 MB``): articles are read whole
and stored whole for the viewer, so a cap keeps memory and the index bounded;
real articles are far smaller, and the reason tells the user what happened.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from cli.main import main
from index.build import BuildReport, build_index
from index.search import Index
from index.text import display_path


class Built:
    """A hostile corpus, its expectations, the first build report and the open index."""

    def __init__(self, hc: Any, report: BuildReport, index_dir: Path, ix: Index) -> None:
        self.hc = hc
        self.report = report
        self.index_dir = index_dir
        self.ix = ix


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, hostile: ModuleType) -> Any:
    """Build the hostile corpus once for the whole module (the build is the slow part)."""
    base = tmp_path_factory.mktemp("hostile")
    hc = hostile.make_hostile_corpus(base / "corpus")
    index_dir = base / "index"
    report = build_index([hc.root], index_dir)
    ix = Index(index_dir)
    yield Built(hc, report, index_dir, ix)
    ix.close()


def _strings(value: Any) -> list[str]:
    """Every string inside a JSON-like value (keys too)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _loc(b: Built) -> list[str]:
    return ["--corpus", str(b.hc.root), "--index", str(b.index_dir)]


# --- the build --------------------------------------------------------------------------------

def test_build_skips_only_with_reasons(built: Built) -> None:
    hc = built.hc
    skipped = dict(built.report.skipped)
    assert len(skipped) == len(built.report.skipped), "a file was reported twice"
    for rel, reason in built.report.skipped:
        assert reason and reason.strip() and "\n" not in reason, (rel, reason)
    expected = {display_path(rel): word for rel, word in hc.skipped.items()}
    assert set(skipped) == set(expected)
    for rel, word in expected.items():
        assert word in skipped[rel], (rel, skipped[rel])
    assert built.report.indexed == len(hc.indexed)
    for rel, msg in built.report.warnings:
        assert "\n" not in msg and not any(c in msg for c in "\x1b\x9b\u202e"), (rel, msg)


def test_every_expected_file_is_indexed_once(built: Built) -> None:
    ids = built.ix.ids()
    assert len(ids) == len(set(ids)) == len(built.hc.indexed)
    paths = {built.ix.article(i).path for i in ids}
    assert paths == {display_path(rel) for rel in built.hc.indexed}


def test_yaml_constructs_nothing(built: Built) -> None:
    assert built.hc.pwned is not None and not built.hc.pwned.exists()
    warned = {rel for rel, _ in built.report.warnings}
    for rel in ("yaml-tags.md", "yaml-bomb.md", "yaml-deep.md", "yaml-huge.md", "sidecar.txt"):
        assert rel in warned, f"{rel}: hostile YAML ignored without a warning"


def test_articles_are_clean_and_literal(built: Built, hostile: ModuleType) -> None:
    by_path = {}
    for doc_id in built.ix.ids():
        art = built.ix.article(doc_id)
        record = art.to_json()
        for s in _strings(record):
            assert not hostile.bad_chars(s), (art.path, s[:200], hostile.bad_chars(s)[:5])
        for one_line in (art.path, art.title, art.source or "", art.author or ""):
            assert not hostile.bad_chars_line(one_line), (art.path, one_line)
        by_path[art.path] = art
    for rel, needles in built.hc.contains.items():
        art = by_path[display_path(rel)]
        for needle in needles:
            assert needle in art.title or needle in art.text, (rel, needle)
    assert "[@click=app.quit]x[/]" in by_path["markup.md"].title
    for rel, enc in built.hc.encodings.items():
        assert by_path[display_path(rel)].encoding == enc, rel


def test_search_hits_and_snippets_are_clean(built: Built, hostile: ModuleType) -> None:
    n = len(built.hc.indexed)
    for q in (hostile.MARKER, "Zebrafinken*", "click OR link OR var", "Ornithologen Hecken",
              "title:Titel", "path:markup.md", '"am Stadtrand"'):
        res = built.ix.search(q, limit=n + 10)
        assert res.total >= 1, q
        for hit in res.hits:
            for s in _strings(hit.to_json()):
                assert not hostile.bad_chars(s), (q, hit.path, s[:200])
            assert not hostile.bad_chars_line(hit.path)
            for sn in hit.snippets:
                assert "\n" not in sn.text
    assert built.ix.search(hostile.MARKER, limit=n + 10).total == n


def test_reindex_is_stable(built: Built, tmp_path: Path) -> None:
    """The manifest round-trips odd file names: a second build changes nothing."""
    report = build_index([built.hc.root], built.index_dir)
    assert (report.added, report.updated, report.removed) == (0, 0, 0)
    assert report.unchanged == len(built.hc.indexed)


def test_unreadable_file(built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         hostile: ModuleType) -> None:
    """An unreadable file is skipped with a reason.

    Tests often run as root, where ``chmod 000`` denies nothing; then the read
    is made to fail the way it would for a normal user (``PermissionError``
    from opening it), which is the code path the skip depends on.
    """
    if built.hc.unreadable_effective:
        assert "cannot read" in dict(built.report.skipped)[built.hc.unreadable]
        return
    root = tmp_path / "c"
    root.mkdir()
    (root / "ok.txt").write_text("Lesbar\n\nEin lesbarer Artikel über Finken.\n")
    (root / "secret.txt").write_text("Geheim\n\nEin geheimer Artikel über Finken.\n")
    real = os.open

    def deny(path: object, flags: int, *args: object) -> int:
        if os.path.basename(os.fspath(path)) == "secret.txt":  # type: ignore[arg-type]
            raise PermissionError(13, os.strerror(13), str(path))
        return real(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    report = build_index([root], tmp_path / "ix")
    assert report.skipped == [("secret.txt", "cannot read: Permission denied")]
    assert report.indexed == 1


# --- the command line -------------------------------------------------------------------------

def _assert_clean_output(hostile: ModuleType, *texts: str) -> None:
    for text in texts:
        bad = hostile.bad_chars(text)
        assert not bad, bad[:10]


def test_cli_index_output_is_clean(built: Built, capsys: pytest.CaptureFixture[str],
                                   hostile: ModuleType) -> None:
    code, out, err = _cli(capsys, "index", *_loc(built))
    assert code == 0
    _assert_clean_output(hostile, out, err)
    lines = err.splitlines()
    assert sum(1 for x in lines if x.startswith("skipped ")) == len(built.hc.skipped)
    assert all(x.startswith(("skipped ", "warning ")) for x in lines), lines


def test_cli_search_json_is_clean(built: Built, capsys: pytest.CaptureFixture[str],
                                  hostile: ModuleType) -> None:
    n = len(built.hc.indexed)
    code, out, err = _cli(capsys, "search", hostile.MARKER, "--json", "--limit", str(n + 5),
                          *_loc(built))
    assert code == 0
    _assert_clean_output(hostile, out, err)
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == n
    for row in rows:
        for s in _strings(row):
            assert not hostile.bad_chars(s), (row["path"], s[:200])
        assert not hostile.bad_chars_line(row["path"])
    assert {r["path"] for r in rows} == {display_path(rel) for rel in built.hc.indexed}
    # the plain-text form, too (not a tty here, so no colour escapes of our own)
    code, out, err = _cli(capsys, "search", hostile.MARKER, "--limit", str(n + 5), *_loc(built))
    assert code == 0
    _assert_clean_output(hostile, out, err)


def test_cli_show_is_clean(built: Built, capsys: pytest.CaptureFixture[str],
                           hostile: ModuleType) -> None:
    for doc_id in built.ix.ids():
        code, out, err = _cli(capsys, "show", doc_id, "--json", "--query", hostile.MARKER,
                              *_loc(built))
        assert code == 0, err
        _assert_clean_output(hostile, out, err)
        record = json.loads(out)
        for s in _strings(record):
            assert not hostile.bad_chars(s), (record["path"], s[:200])
        assert not hostile.bad_chars_line(record["path"])
        code, out, err = _cli(capsys, "show", doc_id, *_loc(built))
        assert code == 0
        _assert_clean_output(hostile, out, err)


def test_cli_timeline_is_clean(built: Built, capsys: pytest.CaptureFixture[str],
                               hostile: ModuleType) -> None:
    for extra in ([], ["--json"]):
        code, out, err = _cli(capsys, "timeline", hostile.MARKER, *extra, *_loc(built))
        assert code == 0
        _assert_clean_output(hostile, out, err)
