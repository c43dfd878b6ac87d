"""sanitize(): the one gate between untrusted text and the terminal, at ingest and render."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from rich.cells import cell_len

from index.corpus import decode
from index.text import display_path, is_clean, sanitize, sanitize_line, sanitize_same_length

ALL = [chr(c) for c in range(sys.maxunicode + 1)]


def test_every_cc_character_but_newline_and_tab_is_removed() -> None:
    cc = [c for c in ALL if unicodedata.category(c) == "Cc"]
    # \t stays; \n, VT, FF, CR and NEL are line ends
    assert sanitize("".join(cc)) == "\t\n\n\n\n\n"
    assert sanitize("a\u202eb\u2066c") == "abc"
    assert sanitize("Zeile\r\nzwei\rdrei") == "Zeile\nzwei\ndrei"


def test_separators_become_line_breaks() -> None:
    assert sanitize("dritte\x85vierte") == "dritte\nvierte"
    assert sanitize("eins\u2028zwei\u2029drei\x0bvier\x0cfünf") == "eins\nzwei\ndrei\nvier\nfünf"
    assert sanitize_line("dritte\x85vierte") == "dritte vierte"


@pytest.mark.parametrize("category", ["Cf", "Co", "Cs", "Zl", "Zp"])
def test_every_format_private_use_and_surrogate_character_is_handled(category: str) -> None:
    """The written-out ranges cover what unicodedata (Unicode 14 here) says."""
    chars = [c for c in ALL if unicodedata.category(c) == category]
    assert chars
    out = sanitize("".join(chars))
    assert set(out) <= {"\n"}, [hex(ord(c)) for c in out[:10]]


def test_invisible_characters_named_in_the_policy() -> None:
    text = ("a\u200bb\u200cc\u200dd\u2060e\ufeff" "f\u00adg" "\U000e0041\U000e007f"
            "\ufff9h\ufffai\ufffbj" "\ue000\U000f0000" "k\ufe0fl\U000e0100" "\u3164m\ufffe")
    assert sanitize(text) == "abcdefghijklm"
    noncharacters = [c for c in ALL if unicodedata.category(c) == "Cn"
                     and (ord(c) & 0xFFFE == 0xFFFE or 0xFDD0 <= ord(c) <= 0xFDEF)]
    assert len(noncharacters) == 66
    assert sanitize("".join(noncharacters)) == ""


ENGLAND = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"  # tag sequence
EMOJI = ["❤️", "👨‍👩‍👧", "👍🏽", "🏳️‍🌈", ENGLAND, "1️⃣", "🇩🇪", "e\u0301", "中文"]


@pytest.mark.parametrize("text", EMOJI)
def test_cell_width_is_the_same_whatever_the_terminal(text: str) -> None:
    """After sanitizing, every character has its own width: a terminal that draws a
    sequence as one glyph (Rich 15's grapheme-aware ``cell_len``) and one that draws
    it character by character (xterm, tmux: ``wcwidth``) agree on its cells."""
    out = sanitize(text)
    assert out
    assert cell_len(out) == sum(cell_len(c) for c in out), [hex(ord(c)) for c in out]


def test_same_length_variant_keeps_offsets() -> None:
    text = "a\u200bb\x1bc\u2028d\r\ne"
    out = sanitize_same_length(text)
    assert len(out) == len(text)
    assert out == "a b c\nd\n\ne"
    assert sanitize_same_length("schon sauber") == "schon sauber"
    assert is_clean("schon sauber") and not is_clean("a\u200bb")


def test_vertical_tabs_are_text_not_binary() -> None:
    """A Word export uses VT for a manual line break: dozens of them are text."""
    data = ("Zeile\x0b" * 40 + "Ende eines kurzen Textes.").encode("utf-8")
    text, enc = decode(data)
    assert enc == "utf-8"
    assert sanitize(text).count("\n") == 40


def test_file_names_show_invisible_characters_escaped() -> None:
    assert display_path("a\u200bb.txt") == "a\\u200bb.txt"
    assert display_path("tag\U000e0041.txt") == "tag\\U000e0041.txt"
    assert display_path("z\u2028.txt") == "z\\u2028.txt"
    assert display_path("normal-Größe.txt") == "normal-Größe.txt"
