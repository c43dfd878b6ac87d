"""sanitize(): the one gate between untrusted text and the terminal."""

from __future__ import annotations

import sys
import unicodedata

from index.text import sanitize


def test_every_cc_character_but_newline_and_tab_is_removed() -> None:
    cc = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cc"]
    assert sanitize("".join(cc)) == "\t\n\n"  # the CR becomes a line end
    assert sanitize("a\u202eb\u2066c") == "abc"
    assert sanitize("Zeile\r\nzwei\rdrei") == "Zeile\nzwei\ndrei"
