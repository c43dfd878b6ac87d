"""``tui/passage.py``: the passage around a match, its citation, and the text that goes
to the clipboard (sanitized: it is pasted into other programs)."""

from __future__ import annotations

import datetime as dt
import unicodedata

from tui.passage import citation, clipboard_text, passage


def _safe(text: str) -> bool:
    """No control character but newline, no bidi override: safe to paste anywhere."""
    return not any(
        (unicodedata.category(c) == "Cc" and c != "\n") or c in "\u202a\u202b\u202c\u202d"
        "\u202e\u2066\u2067\u2068\u2069" for c in text)


def test_passage_is_the_paragraph_joined() -> None:
    text = "Title\n\nOne line\nwrapped here. Two.\n\nOther paragraph."
    start = text.index("wrapped")
    assert passage(text, start, start + 7) == "One line wrapped here. Two."
    assert passage(text, len(text) - 3) == "Other paragraph."
    assert passage("", 0) == ""


def test_long_paragraph_is_cut_to_sentences_then_a_window() -> None:
    filler = "Filler sentence number one is here. " * 80
    text = f"{filler}The quokka smiled. {filler}"
    start = text.index("quokka")
    out = passage(text, start, start + 6, limit=300)
    assert "The quokka smiled." in out and len(out) <= 300
    assert out.startswith("Filler") or out.startswith("The")  # whole sentences
    one = "x" * 5000
    out = passage(one, 2500, 2501, limit=200)
    assert out.startswith("…") and out.endswith("…") and len(out) <= 203


def test_citation_and_sanitizing() -> None:
    from index.results import Article

    art = Article(
        doc_id="1", path="odd\nname\x1b[2J.txt", corpus="/srv/articles",
        title="Evil \x1b]52;c;cHduZWQ=\x07 title\u202e", title_origin=None,
        date=dt.date(2021, 2, 3), date_precision="day", date_time=None, date_origin=None,
        date_expression=None, date_notes=(), source="[b]Src\x9b[/b]", source_origin=None,
        agency=None, agency_origin=None, author=None, language="de", language_origin=None,
        encoding="utf-8", furniture=(),
        text="Head\n\nA quokka\x1b[31m here \x1b[201~ echo pwned\x00.\n\nEnd.")
    cite = citation(art)
    assert cite.startswith("“Evil ") and "2021-02-03" in cite and "[b]Src[/b]" in cite
    assert "/srv/articles/odd" in cite and "\n" not in cite
    start = art.text.index("quokka")
    out = clipboard_text(art, start, start + 6)
    assert _safe(out), repr(out)
    assert out.splitlines()[0] == "A quokka[31m here [201~ echo pwned."
    assert out.splitlines()[1].startswith("— “Evil")
