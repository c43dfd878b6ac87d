"""The viewer's metadata header shows where the publication date came from and the
words it was read from (issue 11: every date keeps its evidence)."""

from __future__ import annotations

import datetime as dt

from index.results import Article
from tui.render import article_header


def _article(origin: str | None, expression: str | None) -> Article:
    return Article(
        doc_id="x", path="a.txt", corpus="/c", title="Titel", title_origin="first line",
        date=dt.date(2015, 7, 25) if origin else None, date_precision="day" if origin else None,
        date_time=None, date_origin=origin, date_expression=expression, date_notes=(),
        source=None, source_origin=None, agency=None, agency_origin=None, author=None,
        language="de", language_origin=None, encoding="utf-8", text="Text", furniture=(),
    )


def test_header_shows_origin_and_matched_text() -> None:
    header = article_header(_article("agency credit", "(APA, red, 25.7.2015)")).plain
    assert "25.07.2015" in header or "2015-07-25" in header
    assert "agency credit" in header and "(APA, red, 25.7.2015)" in header


def test_header_of_an_undated_article_says_so() -> None:
    assert "no date found" in article_header(_article(None, None)).plain


def test_evidence_is_one_line_and_never_markup() -> None:
    header = article_header(_article("credit line", "(red, [b]x[/b]\n25.7.2015)")).plain
    assert "[b]x[/b]" in header and "\n25.7.2015" not in header
