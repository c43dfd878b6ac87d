"""Keyword in context: one line per match (or per group of close matches)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cli.main import main
from index.kwic import context_lines, kwic
from index.search import Index

TEXT = ("Titel\n\nDer Parler-Dienst wurde am Montag abgeschaltet. Amazon sagte, Parler habe "
        "gegen Regeln verstoßen. " + "Füllwort " * 30 + "Parler Ende.\nNeue Zeile mit Parler.")


def _spans(word: str, text: str = TEXT) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(word, text)]


def test_every_match_in_its_line_with_offsets_back() -> None:
    rows = context_lines(TEXT, _spans("Parler"), width=60)
    assert [r.line for r in rows] == [3, 3, 3, 4]
    for r in rows:
        assert "\n" not in r.text and len(r.text) <= 62  # width plus the two ellipses
        assert TEXT[r.start:r.end] == "Parler"
        assert [r.text[a:b] for a, b in r.spans] == ["Parler"] * len(r.spans)
    assert rows[0].text.startswith("Der Parler")  # the line's start: no ellipsis
    assert rows[1].text.startswith("…") and rows[2].text.endswith("Ende.")
    assert rows[3].text == "Neue Zeile mit Parler."


def test_close_matches_share_a_line_and_limit() -> None:
    text = "a Parler b Parler c\n" * 5
    rows = context_lines(text, _spans("Parler", text), width=80)
    assert len(rows) == 5 and all(len(r.spans) == 2 for r in rows)
    assert [r.line for r in rows] == [1, 2, 3, 4, 5]
    assert len(context_lines(text, _spans("Parler", text), limit=2)) == 2


def test_words_are_not_cut_and_tabs_become_spaces() -> None:
    text = "Anfang\tund " + "lange Wörter " * 20 + "ZIEL " + "weitere Wörter " * 20
    (row,) = context_lines(text, _spans("ZIEL", text), width=40)
    inner = row.text.strip("…")
    words = set(text.replace("\t", " ").split())
    assert all(w in words for w in inner.split())
    assert "\t" not in row.text


def test_kwic_over_an_index(seed_index: Index) -> None:
    found = kwic(seed_index, "Amazon", per_article=100)
    assert len(found) == 3
    for art in found:
        body = seed_index.article(art.hit.doc_id).text
        assert sum(len(line.spans) for line in art.lines) == art.matches
        for line in art.lines:
            assert body[line.start:line.end].lower().startswith("amazon")
            assert all(line.text[a:b].lower().startswith("amazon") for a, b in line.spans)
    one = found[0].hit.doc_id
    assert [a.hit.doc_id for a in kwic(seed_index, "Amazon", ids={one})] == [one]


def test_cli_kwic(seed_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    where = ["--corpus", str(seed_corpus)]
    assert main(["kwic", "Kapitol", "--json", *where]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert rows and all(r["text"][a:b].lower().startswith("kapitol")
                        for r in rows for a, b in r["spans"])
    assert main(["kwic", "Kapitol", *where]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^\s+\d+: .*Kapitol", out, re.M) and "\x1b" not in out
    for bad in (["kwic", '"Kapitol'], ["kwic", "x", "--width", "5"]):
        assert main([*bad, *where]) == 2
        assert capsys.readouterr().err.count("\n") == 1
