"""Bookmarks and tags: SQLite under the user data folder, tag:/is:bookmarked in queries."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cli.main import main
from index.build import build_index
from index.marks import Marks, MarksUnavailable, marks_path, open_marks, resolve
from index.query import MarkFilter, QueryError, split_marks
from index.search import Index


@pytest.fixture(autouse=True)
def _data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "userdata"
    monkeypatch.setenv("DOSSIER_DATA", str(data))
    return data


# --- the query side ------------------------------------------------------------------------------

def test_split_marks_takes_filters_out_and_keeps_columns() -> None:
    rest, flt = split_marks("Parler tag:Klage is:bookmarked Amazon")
    assert flt == MarkFilter(("klage",), True)
    assert rest.split() == ["Parler", "Amazon"] and rest.index("Amazon") == 31
    assert split_marks("Parler") == ("Parler", MarkFilter())
    assert split_marks("a tag:x NOT b")[0].split() == ["a", "NOT", "b"]
    assert not split_marks("this: that")[1]


@pytest.mark.parametrize(("query", "column", "words"), [
    ("a OR tag:x", 6, "whole query"),
    ("(tag:x b)", 2, "whole query"),
    ("NOT is:bookmarked", 5, "whole query"),
    ('tag:"a b"', 1, "needs a word"),
    ("tag:", 1, "needs a word"),
    ("tag:a!", 5, "not a tag"),
    ("tag:" + "x" * 41, 5, "not a tag"),
    ("is:starred", 4, "bookmarked"),
])
def test_malformed_mark_filters_are_one_line_errors(query: str, column: int, words: str) -> None:
    with pytest.raises(QueryError) as info:
        split_marks(query)
    assert info.value.position == column - 1 and words in info.value.message


def test_resolve_without_marks_says_why() -> None:
    assert resolve("Parler", None) == ("Parler", None)
    with pytest.raises(QueryError, match="off: read-only"):
        resolve("tag:x", None, "read-only")


# --- the store -----------------------------------------------------------------------------------

def test_bookmarks_and_tags(tmp_path: Path) -> None:
    m = Marks(tmp_path / "m.sqlite3")
    assert m.toggle_bookmark("a", content_hash="h1", path="p/a", title="A") is True
    assert m.add_tags("a", ["Klage", "cloud", "klage"]) == ("cloud", "klage")
    assert m.add_tags("b", ["klage"], content_hash="h2", path="p/b", title="B") == ("klage",)
    assert m.ids(MarkFilter(bookmarked=True)) == {"a"}
    assert m.ids(MarkFilter(("klage",))) == {"a", "b"}
    assert m.ids(MarkFilter(("klage", "cloud"))) == {"a"}
    assert m.ids(MarkFilter(("klage",), True)) == {"a"}
    assert m.tag_counts() == [("klage", 2), ("cloud", 1)]
    assert m.tag_counts(["b"]) == [("klage", 1)]
    with pytest.raises(QueryError, match="not a tag"):
        m.add_tags("a", ["two words"])
    assert m.get("a") is not None and m.get("a").tags == ("cloud", "klage")  # type: ignore[union-attr]
    assert m.remove_tags("b", ["klage"]) == ()
    assert m.get("b") is None  # no bookmark, no tag: no row
    assert m.toggle_bookmark("a") is False
    assert m.get("a") is not None and m.get("a").path == "p/a"  # type: ignore[union-attr]
    m.close()
    again = Marks(tmp_path / "m.sqlite3")
    assert [x.doc_id for x in again.marks()] == ["a"]
    assert again._read("PRAGMA journal_mode")[0][0] == "wal"
    again.close()


def test_damaged_database_is_one_line_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    junk = b"this is not a database, but a file someone may want to look at\n" * 40
    path.write_bytes(junk)
    with pytest.raises(MarksUnavailable) as info:
        Marks(path)
    assert "\n" not in str(info.value) and "off" in str(info.value) and str(path) in str(info.value)
    assert path.read_bytes() == junk
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.sqlite3"]


def test_locked_database_is_one_line_not_a_hang(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    Marks(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another process in a long write
    try:
        m = Marks(path, timeout=0.2)
        with pytest.raises(MarksUnavailable, match="locked"):
            m.toggle_bookmark("a")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert m.toggle_bookmark("a") is True  # the lock is gone: it works again
    m.close()


def test_reader_beside_a_writer(tmp_path: Path) -> None:
    """WAL: one connection reads while another is inside a write transaction."""
    path = tmp_path / "m.sqlite3"
    a, b = Marks(path), Marks(path, timeout=0.2)
    a.toggle_bookmark("x")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE articles SET bookmarked = 0")
    try:
        assert b.ids(MarkFilter(bookmarked=True)) == {"x"}  # the committed state
    finally:
        other.execute("ROLLBACK")
        other.close()
    a.close()
    b.close()


_WORKER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from index.marks import Marks
    m = Marks(Path(sys.argv[1]))
    who = sys.argv[2]
    for i in range(60):
        m.add_tags(f"doc{i % 7}", [f"{who}{i}"], content_hash="h", path="p")
        m.toggle_bookmark(f"doc{i % 7}")
    m.close()
""")


def test_two_processes_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    Marks(path).close()
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, str(path), who],
                              stderr=subprocess.PIPE) for who in ("a", "b")]
    for p in procs:
        _out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    m = Marks(path)
    tags = {t for mark in m.marks() for t in mark.tags}
    assert tags == {f"{w}{i}" for w in "ab" for i in range(60)}
    # 120 toggles spread over 7 documents, 60 each side: the parities add up.
    toggles = [sum(1 for i in range(60) if i % 7 == d) * 2 for d in range(7)]
    expected = {f"doc{d}" for d in range(7) if toggles[d] % 2}
    assert m.ids(MarkFilter(bookmarked=True)) == expected
    m.close()


# --- next to a real index ------------------------------------------------------------------------

def _ids(ix: Index) -> dict[str, str]:
    res = ix.search("", limit=100, facets=False)
    return {h.path: h.doc_id for h in res.hits}


def test_marks_survive_a_rebuild_and_follow_a_moved_file(seed_corpus: Path,
                                                         tmp_path: Path) -> None:
    from index.marks import article_key

    index_dir = tmp_path / "index"
    build_index([seed_corpus], index_dir)
    ix = Index(index_dir)
    first = sorted(_ids(ix).items())[0]
    marks = open_marks([seed_corpus], index_dir)
    key = article_key(ix, index_dir, first[1])
    assert key["content_hash"] and key["path"].endswith(first[0])
    marks.toggle_bookmark(first[1], **key)
    marks.add_tags(first[1], ["klage"], **key)
    marks.close()
    ix.close()

    build_index([seed_corpus], index_dir, rebuild=True)
    marks = open_marks([seed_corpus], index_dir)
    assert marks.ids(MarkFilter(("klage",), True)) == {first[1]}
    marks.close()

    (seed_corpus / first[0]).rename(seed_corpus / "moved.txt")
    build_index([seed_corpus], index_dir)
    ix = Index(index_dir)
    moved_id = _ids(ix)["moved.txt"]
    assert moved_id != first[1]
    marks = open_marks([seed_corpus], index_dir)
    assert marks.ids(MarkFilter(("klage",), True)) == {moved_id}
    rest, ids = resolve("tag:klage Parler", marks)
    res = ix.search(rest, ids=ids)
    assert [h.doc_id for h in res.hits] == [moved_id] and res.total == 1
    assert ix.timeline(rest, ids=ids).total_hits == 1
    marks.close()
    ix.close()


def test_a_changed_file_keeps_its_marks_and_a_copy_takes_none(seed_corpus: Path,
                                                              tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index([seed_corpus], index_dir)
    ix = Index(index_dir)
    path, doc_id = sorted(_ids(ix).items())[0]
    marks = open_marks([seed_corpus], index_dir)
    from index.marks import article_key

    marks.add_tags(doc_id, ["keep"], **article_key(ix, index_dir, doc_id))
    marks.close()
    ix.close()
    with open(seed_corpus / path, "a", encoding="utf-8") as fh:
        fh.write("\nNachtrag.\n")
    data = (seed_corpus / path).read_bytes()
    (seed_corpus / path).rename(seed_corpus / "a.txt")
    (seed_corpus / "b.txt").write_bytes(data)  # two files with the moved content
    build_index([seed_corpus], index_dir)
    marks = open_marks([seed_corpus], index_dir)
    # The text changed and there are two candidates: the mark stays where it was.
    assert marks.ids(MarkFilter(("keep",))) == {doc_id}
    marks.close()


def test_search_ids_filter_with_dates_and_empty_query(seed_index: Index) -> None:
    all_hits = seed_index.search("", limit=10, facets=False).hits
    one = all_hits[0].doc_id
    res = seed_index.search("", ids={one})
    assert [h.doc_id for h in res.hits] == [one] and res.total == 1
    assert res.facets is not None and sum(n for _, n in res.facets.languages) == 1
    assert seed_index.search("Parler", ids=set()).total == 0
    assert seed_index.search("Parler", ids={"no-such-id"}).total == 0
    dated = [h for h in all_hits if h.date]
    if dated:
        d = dated[0]
        assert seed_index.search("", ids={d.doc_id}, since=d.date, until=d.date).total == 1
        before = d.date.replace(year=d.date.year - 5)
        assert seed_index.search("", ids={d.doc_id}, until=before).total == 0


# --- the command line ----------------------------------------------------------------------------

def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_mark_search_export_and_list(seed_corpus: Path, _data: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    where = ["--corpus", str(seed_corpus)]
    code, out, _ = _run(capsys, "search", "Parler", "--json", *where)
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert _run(capsys, "marks", *where)[:2] == (0, "")
    assert not marks_path([seed_corpus.resolve()]).exists()  # listing created nothing
    code, out, err = _run(capsys, "mark", ids[0], "--bookmark", "--tag", "Klage", *where)
    assert code == 0 and out == f"{ids[0]}: bookmarked; tags: klage\n", err
    assert marks_path([seed_corpus.resolve()]).is_relative_to(_data)
    _run(capsys, "mark", ids[1], "--tag", "klage", "--tag", "cloud", *where)
    code, out, _ = _run(capsys, "search", "tag:klage", "--json", *where)
    assert sorted(json.loads(x)["id"] for x in out.splitlines()) == sorted(ids[:2])
    code, out, _ = _run(capsys, "search", "is:bookmarked Parler", "--json", *where)
    assert [json.loads(x)["id"] for x in out.splitlines()] == [ids[0]]
    code, out, _ = _run(capsys, "export", "tag:cloud", "--format", "json", *where)
    assert [r["id"] for r in json.loads(out)] == [ids[1]]
    code, out, _ = _run(capsys, "timeline", "tag:klage", "--json", *where)
    assert json.loads(out)["total_hits"] == 2
    code, out, _ = _run(capsys, "marks", "--json", *where)
    listed = [json.loads(x) for x in out.splitlines()]
    assert listed[0]["id"] == ids[0] and listed[0]["bookmarked"] is True
    assert {m["id"]: m["tags"] for m in listed} == {ids[0]: ["klage"],
                                                    ids[1]: ["cloud", "klage"]}
    code, out, _ = _run(capsys, "mark", ids[1], "--untag", "cloud", *where)
    assert out == f"{ids[1]}: not bookmarked; tags: klage\n"


@pytest.mark.parametrize("command", ["search", "export", "timeline"])
def test_cli_mark_filter_without_marks_creates_nothing(command: str, seed_corpus: Path,
                                                       _data: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    """The README: the database is created with the first mark, not by a search."""
    # (Which hits come back is index.search's business: an empty id set there is
    # currently no filter at all; here only that nothing is created.)
    fmt = {"search": ["--json"], "export": ["--format", "json"], "timeline": ["--json"]}
    for query in ("tag:klage", "is:bookmarked Parler"):
        code, out, err = _run(capsys, command, query, *fmt[command],
                              "--corpus", str(seed_corpus))
        assert code == 0, err
        if command == "timeline":
            assert json.loads(out)["total_hits"] == 0
    assert not marks_path([seed_corpus.resolve()]).exists()
    assert not (_data / "corpora").exists()  # not even its folder


def test_cli_mark_bad_input(seed_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    where = ["--corpus", str(seed_corpus)]
    assert _run(capsys, "index", *where)[0] == 0
    for argv in (["mark", "nope", "--bookmark"], ["mark", "x", "--tag", "two words"],
                 ["search", "tag:x OR Parler"], ["search", "is:read"],
                 ["export", "(tag:x)"]):
        code, out, err = _run(capsys, *argv, *where)
        assert code == 2 and out == "" and err.count("\n") == 1, (argv, err)


def test_cli_damaged_database_fails_in_one_line(seed_corpus: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = marks_path([seed_corpus.resolve()])
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00garbage" * 100)
    assert _run(capsys, "index", "--corpus", str(seed_corpus))[0] == 0
    code, out, err = _run(capsys, "search", "tag:x", "--corpus", str(seed_corpus))
    assert code == 1 and out == "" and err.count("\n") == 1 and "off" in err
    assert path.read_bytes() == b"\x00garbage" * 100
    code, _, _ = _run(capsys, "search", "Parler", "--corpus", str(seed_corpus))
    assert code == 0  # searching without marks is not affected


def test_matching_ids_counts_marked_articles_among_matches(seed_index: Index) -> None:
    hits = seed_index.search("", limit=10, facets=False).hits
    ids = {h.doc_id for h in hits}
    dated = {h.doc_id for h in hits if h.date}
    assert seed_index.matching_ids("Parler", ids) == frozenset(ids)
    assert seed_index.matching_ids("Quantenphysik", ids) == frozenset()
    assert seed_index.matching_ids("", ids | {"gone"}) == frozenset(ids)
    some = sorted(ids)[:1]
    assert seed_index.matching_ids("", ids, ids=some) == frozenset(some)
    first = min(h.date for h in hits if h.date)
    assert seed_index.matching_ids("", ids, since=first) == frozenset(dated)


def test_id_filter_follows_an_index_update_in_the_same_process(seed_corpus: Path,
                                                               tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index([seed_corpus], index_dir)
    ix = Index(index_dir)
    path, doc_id = sorted(_ids(ix).items())[0]
    assert ix.search("", ids={doc_id}).total == 1
    (seed_corpus / path).unlink()
    (seed_corpus / "new.txt").write_text("Neu\n\nEin Quokka.\n", "utf-8")
    build_index([seed_corpus], index_dir)
    assert ix.search("", ids={doc_id}).total == 0  # gone: the remembered docnum is not reused
    new_id = _ids(ix)["new.txt"]
    assert ix.search("", ids={new_id}).total == 1
    assert ix.matching_ids("Quokka", {doc_id, new_id}) == {new_id}
    ix.close()
