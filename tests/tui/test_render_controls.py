"""render.py applies index.text's one sanitizing policy to everything it draws, even
text that did not come through the index (issue 12: render had a narrower set of its
own, without the bidi marks). Hits and articles are built here directly, so the
index's ingest-time cleaning cannot hide a gap in render."""

from __future__ import annotations

import datetime as dt

import pytest

from index.results import Article, Hit
from tui.render import article_header, hit_prompt, one_line

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "txt.exe" shows as "exe.txt"
ZWJ = "\u200d"  # ZERO WIDTH JOINER
#: Besides the two of the issue: a bidi isolate, a zero-width space, ESC, C1 NEL and
#: the line separator (a line break inside what must stay one line).
UNSAFE = (RLO, ZWJ, "\u2066", "\u200b", "\x1b", "\x85", "\u2028")


def _hit(title: str, path: str) -> Hit:
    return Hit(doc_id="d1", path=path, corpus="c", title=title, title_spans=((0, 3),),
               date=dt.date(2021, 1, 20), date_precision="day", date_origin="metadata",
               source="Blatt", agency=None, language="de", score=1.0, rank=1,
               snippets=(), spans=())


def _article(title: str, path: str) -> Article:
    return Article(doc_id="d1", path=path, corpus="c", title=title, title_origin=None,
                   date=dt.date(2021, 1, 20), date_precision="day", date_time=None,
                   date_origin=None, date_expression=None, date_notes=(), source="Blatt",
                   source_origin=None, agency=None, agency_origin=None, author=None,
                   language="de", language_origin=None, encoding=None, text="Text.",
                   furniture=())


@pytest.mark.parametrize("char", UNSAFE, ids=lambda c: f"U+{ord(c):04X}")
def test_no_control_or_invisible_character_reaches_a_rendered_line(char: str) -> None:
    title = f"Evil{char}txt.exe{char}Titel"
    path = f"ordner/rech{char}nung{char}fdp.txt"
    rendered = [
        hit_prompt(_hit(title, path)).plain,
        article_header(_article(title, path)).plain,
        one_line(title), one_line(path),
    ]
    for text in rendered:
        assert char not in text, (char, text)
    assert "Eviltxt.exe" in rendered[0] or "Evil txt.exe" in rendered[0]  # text kept
    assert "rechnungfdp.txt" in rendered[0] or "rech nung" in rendered[0]
