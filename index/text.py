"""Sanitizing untrusted text: the one policy, used at ingest and when rendering.

Article files come from anywhere: they may carry ESC/CSI/OSC sequences, C1
controls, NUL or DEL. Any of those that reaches the terminal can recolour it,
move the cursor or worse. Invisible characters are attacks too: bidi overrides
make text display in another order than it is stored ("Trojan Source"),
zero-width and tag characters hide text inside words and file names, and
private-use or noncharacters draw as boxes or nothing. So every string that is
indexed or shown passes through :func:`sanitize` once, at ingest, and the TUI
applies the same policy again (:func:`sanitize_same_length`) to anything it shows.
Offsets into the sanitized text are the only offsets the project ever hands out.

The policy:

- line ends: CRLF and CR, and the other characters that end a line (vertical
  tab, form feed, NEL U+0085, LINE/PARAGRAPH SEPARATOR U+2028/2029) become
  ``\\n``: "dritte\\x85vierte" is two lines, not "drittevierte";
- removed: every ``Cc`` character but newline and tab; every ``Cf`` (format)
  character: zero-width space/joiners, soft hyphen, bidi marks, overrides and
  isolates, word joiner and invisible operators, BOM, interlinear annotation
  U+FFF9-FFFB, tag characters U+E0000-E0FFF; private-use characters, lone
  surrogates and noncharacters; variation selectors, emoji skin-tone modifiers
  and the Hangul fillers that draw as blanks.

Removing joiners, variation selectors and modifiers is also what makes cell
widths agree between terminals: an emoji ZWJ sequence (``👨‍👩‍👧``) or ``❤️`` is
one glyph of 2 cells in some terminals and several glyphs (or 1 cell) in others
(xterm, tmux), which shifted every column after it. What is left has one width,
character by character, wherever it is drawn.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Written out rather than computed at import: scanning all code points cost every
# `dossier` start 0.1-0.4 s. tests/index/test_text.py checks them against unicodedata.
_LINE_SEPARATORS = "\x0b\x0c\x85\u2028\u2029"
#: Cc except \t \n \x0b \x0c \r \x85 (those are line ends, handled first).
_CONTROLS = "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
#: Every Cf (format) character of Unicode 14, plus 13439-1343F (Cf since Unicode 15).
_FORMAT = ("\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
           "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
           "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
           "\U0001d173-\U0001d17a\U000e0000-\U000e0fff")
#: Private use (Co), surrogates (Cs) and noncharacters.
_UNASSIGNED_USE = ("\ue000-\uf8ff\U000f0000-\U0010ffff\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                   + "".join(f"{chr(p * 0x10000 + 0xfffe)}{chr(p * 0x10000 + 0xffff)}"
                             for p in range(1, 16)))
#: Variation selectors, the combining grapheme joiner, emoji skin-tone modifiers,
#: Mongolian free variation selectors and Hangul fillers (blank, default-ignorable).
_INVISIBLE = ("\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u3164\ufe00-\ufe0f\uffa0"
              "\U0001f3fb-\U0001f3ff")
_REMOVE_CLASS = _CONTROLS + _FORMAT + _UNASSIGNED_USE + _INVISIBLE

_REMOVE_RE = re.compile(f"[{_REMOVE_CLASS}]")
_SEPARATOR_RE = re.compile(f"[{_LINE_SEPARATORS}]")
#: Anything :func:`sanitize` changes (for escaping in :func:`display_path`).
_UNSAFE_RE = re.compile(f"[\r\n\t{_LINE_SEPARATORS}{_REMOVE_CLASS}]")


def sanitize(text: str) -> str:
    """*text* with line ends made ``\\n`` and invisible/control characters removed.

    Keeps newline and tab. Line ends are normalized first so that a lone CR (old
    Mac files) or a vertical tab (a line break in Word) becomes a line break
    instead of vanishing. Idempotent.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _SEPARATOR_RE.search(text):
        text = _SEPARATOR_RE.sub("\n", text)
    return _REMOVE_RE.sub("", text)


def sanitize_same_length(text: str) -> str:
    """The same policy, one character for one, for text whose offsets must stay valid
    (highlight spans): line ends become ``\\n``, removed characters a space.

    Text from the index is already sanitized and comes back unchanged."""
    text = _SEPARATOR_RE.sub("\n", text.replace("\r", "\n"))
    return _REMOVE_RE.sub(" ", text)


def sanitize_line(text: str) -> str:
    """Like :func:`sanitize`, but for one-line values (titles, sources): newlines and
    tabs become spaces and runs of whitespace collapse."""
    return " ".join(sanitize(text).split())


def is_clean(text: str) -> bool:
    """True when :func:`sanitize` would leave *text* as it is (CRs aside)."""
    return _SEPARATOR_RE.search(text) is None and _REMOVE_RE.search(text) is None


def display_path(rel: str) -> str:
    """A file name made safe to store, search and print, on one line.

    Names are bytes on POSIX: ``os.walk`` hands undecodable ones back with
    surrogate escapes (which cannot be encoded to UTF-8 for the index or a
    terminal), and a name may hold newlines, ESC, bidi marks or zero-width
    characters. Undecodable bytes become ``\\xff``; controls, separators and
    invisible characters are shown escaped (``\\n``, ``\\x1b``, ``\\u202e``,
    ``\\u200b``), so two names that look alike can be told apart. Only for showing
    and searching: the real name stays the key of the article.
    """
    try:
        raw = rel.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # surrogates os.fsdecode never makes
        raw = rel.encode("utf-8", "backslashreplace")
    text = raw.decode("utf-8", "backslashreplace")
    if _UNSAFE_RE.search(text) is None:
        return text

    def escape(m: re.Match[str]) -> str:
        c = m.group(0)
        if ord(c) < 0x100:
            return repr(c)[1:-1]
        return f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"

    return _UNSAFE_RE.sub(escape, text)


def mask_furniture(text: str, spans: Sequence[Sequence[int]]) -> str:
    """Blank out furniture spans (same length, newlines kept) so they are not
    indexed while every offset into the shown text stays valid. Here because the
    build indexes this text and the search re-analyzes it for match spans."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(max(0, start), min(len(chars), end)):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)
