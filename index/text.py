"""Sanitizing untrusted text.

Article files come from anywhere: they may carry ESC/CSI/OSC sequences, C1
controls, NUL or DEL. Any of those that reaches the terminal can recolour it,
move the cursor or worse, so every string that is indexed or shown passes
through :func:`sanitize` once, at ingest. Offsets into the sanitized text are
the only offsets the project ever hands out.
"""

from __future__ import annotations

import re

# Every Unicode "Cc" character except newline and tab (Cc is exactly C0, DEL and C1:
# U+0000-U+001F and U+007F-U+009F; a test checks this against unicodedata), plus the
# bidi overrides/isolates (Cf) that can make text display in a different order than
# it is stored ("Trojan Source"). Written out rather than computed at import: scanning
# all code points cost every `dossier` start 0.1-0.4 s.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + "]")


def sanitize(text: str) -> str:
    """Return *text* with CRLF/CR line ends made ``\\n`` and control characters removed.

    Keeps newline and tab; drops every other ``Cc`` character (C0, DEL, C1) and
    the bidi override/isolate marks. Line ends are normalized first so that a
    lone CR (old Mac files) becomes a line break instead of vanishing.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_RE.sub("", text)


def sanitize_line(text: str) -> str:
    """Like :func:`sanitize`, but for one-line values (titles, sources): newlines and
    tabs become spaces and runs of whitespace collapse."""
    return " ".join(sanitize(text).split())


def display_path(rel: str) -> str:
    """A file name made safe to store, search and print, on one line.

    Names are bytes on POSIX: ``os.walk`` hands undecodable ones back with
    surrogate escapes (which cannot be encoded to UTF-8 for the index or a
    terminal), and a name may hold newlines, ESC or bidi marks. Undecodable
    bytes become ``\\xff``, controls and bidi marks ``\\n``/``\\x1b``/``\\u202e``.
    Only for showing and searching: the real name stays the key of the article.
    """
    try:
        raw = rel.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # surrogates os.fsdecode never makes
        raw = rel.encode("utf-8", "backslashreplace")
    text = raw.decode("utf-8", "backslashreplace")
    if text.isprintable():
        return text
    out = []
    for c in text:
        if c in "\n\t" or _CONTROL_RE.match(c):
            out.append(repr(c)[1:-1] if ord(c) < 0x100 else f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return "".join(out)
