"""A hostile corpus, made on the spot in a temporary folder.

dossier indexes folders nobody cleaned, on servers others share, and shows
them in a terminal. Every file here is an attack on one of those: terminal
markup and escape sequences that would recolour or take over the screen,
encodings and YAML that break naive readers, file system oddities that hang
or loop a walker, and sizes that exhaust memory. :func:`make_hostile_corpus`
writes them and returns what a correct build must do with each one, so the
tests check outcomes, not just "no exception".
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

# Bidi overrides/isolates/marks: they make text display in another order than stored.
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")

# Every article that should be indexed carries this word, so one query lists them all.
MARKER = "Zebrafinkenkolonie"

MARKUP = "[/b] [@click=app.quit]x[/] [$var] [link=https://x]y[/link] [bold red]laut[/]"
ESCAPES = "\x1b[2J\x1b[H \x1b]52;c;ZWNobyBwd25lZA==\x07 \x1b]8;;https://evil.example\x1b\\hier\x1b]8;;\x1b\\"
C1 = "\x9b31m \x85 \x90 \x9d"
BIDI_TEXT = "admin\u202e txt.exe \u2066isoliert\u2069 \u200fmark"
PWNED_NAME = "dossier-hostile-pwned"


@dataclass
class HostileCorpus:
    """The corpus folder and the expectations of a correct build."""

    root: Path
    # rel names (as found on disk, decoded with surrogateescape) that must be indexed
    indexed: set[str] = field(default_factory=set)
    # rel name -> a word that must appear in the skip reason
    skipped: dict[str, str] = field(default_factory=dict)
    # rel name -> texts the stored article must contain literally
    contains: dict[str, list[str]] = field(default_factory=dict)
    # rel name -> expected encoding label
    encodings: dict[str, str] = field(default_factory=dict)
    # a file a YAML tag would create if objects were constructed
    pwned: Path | None = None
    # an unreadable file, and whether this process can really not read it
    unreadable: str | None = None
    unreadable_effective: bool = False


def bad_chars(text: str) -> list[str]:
    """Characters that must never reach the index or the terminal: every ``Cc``
    except newline and tab, and the bidi controls. Returned as reprs for messages."""
    return [
        repr(c) for c in text
        if (unicodedata.category(c) == "Cc" and c not in "\n\t") or c in BIDI
    ]


def bad_chars_line(text: str) -> list[str]:
    """Like :func:`bad_chars` for one-line values (paths): newline and tab are bad too."""
    return bad_chars(text) + [repr(c) for c in text if c in "\n\t"]


def _body(extra: str = "") -> str:
    return (
        f"Die {MARKER} am Stadtrand wächst weiter, berichten Ornithologen. {extra}\n\n"
        "Die Vögel brüten seit Jahren in den Hecken des Parks und werden jedes Frühjahr "
        "gezählt. Fachleute sehen darin ein gutes Zeichen für die Artenvielfalt.\n"
    )


def _write(root: Path, rel: str | bytes, data: bytes | str, encoding: str = "utf-8") -> str:
    """Write *data* under *root*; returns the rel name as ``discover`` will see it."""
    raw = data.encode(encoding) if isinstance(data, str) else data
    rel_b = rel if isinstance(rel, bytes) else os.fsencode(rel)
    path = os.path.join(os.fsencode(root), rel_b)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(raw)
    return os.fsdecode(rel_b)


def make_hostile_corpus(root: Path, *, big_file: bool = True) -> HostileCorpus:
    """Write the hostile corpus into *root* (created) and return its expectations."""
    root.mkdir(parents=True, exist_ok=True)
    hc = HostileCorpus(root=root)

    def ok(rel: str | bytes, data: bytes | str, encoding: str = "utf-8",
           contains: list[str] | None = None) -> str:
        name = _write(root, rel, data, encoding)
        hc.indexed.add(name)
        if contains:
            hc.contains[name] = contains
        return name

    def skip(rel: str | bytes, data: bytes | str, reason: str) -> str:
        name = _write(root, rel, data)
        hc.skipped[name] = reason
        return name

    # -- terminal markup and control sequences -------------------------------------------------
    ok("markup.md", f"---\ntitle: \"{MARKUP}\"\nsource: \"[red]Quelle[/red]\"\n---\n"
       + _body(MARKUP), contains=["[/b]", "[@click=app.quit]x[/]", "[$var]",
                                  "[link=https://x]y[/link]"])
    ok("markup-plain.txt", f"Titel {MARKUP}\n\n" + _body(MARKUP))
    ok("escapes.txt", f"Schlagzeile {ESCAPES} Ende\n\n" + _body(ESCAPES * 3))
    ok("escapes-fm.md", "---\ntitle: \"Titel \\e[31mrot \\e]52;c;eA==\\a\"\n"
       "source: \"\\e]8;;https://x\\e\\\\Link\"\nauthor: \"\\x9b2J Mallory\"\n---\n"
       + _body(ESCAPES))
    ok("c1.txt", f"Titel mit C1 {C1}\n\n" + _body(C1 * 4))
    ok("del.txt", "Titel mit\x7f DEL\x7f\n\n" + _body("gelöscht\x7f\x7f Zeichen"))
    ok("bidi.txt", f"Titel {BIDI_TEXT}\n\n" + _body(BIDI_TEXT * 2))
    ok("crlf.txt", ("Titel mit CRLF\r\n\r\n" + _body("Zeile\rneue Zeile")).replace("\n", "\r\n"))
    ok("mixed-all.md", f"---\ntitle: \"\\x1b[2J{MARKUP}\\u202e\\0\"\n---\n"
       + _body(ESCAPES + C1 + BIDI_TEXT + "\x7f\x01\x02\x03\x04\x08\x0b\x0c"))
    skip("nul.txt", "Titel\n\n" + _body("ein NUL \x00 im Text"), "binary")
    skip("junk.txt", bytes(range(256)) * 64, "binary")
    skip("empty.txt", b"", "empty")
    skip("blank.txt", b"  \n\t\n  ", "empty")

    # -- sizes ---------------------------------------------------------------------------------
    words = ("Wort " * 40 + MARKER + " ") * 4700  # about 1 MB on one line
    ok("longline.txt", "Lange Zeile\n\n" + words[: 1024 * 1024] + "\n")
    if big_file:
        # 50 MB, sparse: a real text head, then a hole. Skipped by size before any read.
        name = "huge50mb.txt"
        with open(root / name, "wb") as fh:
            fh.write(_body().encode())
            fh.truncate(50 * 1024 * 1024)
        hc.skipped[name] = "larger than"

    # -- YAML ----------------------------------------------------------------------------------
    deep = "[" * 10_000 + "]" * 10_000
    ok("yaml-deep.md", f"---\ntitle: Tief\nx: {deep}\n---\nTief verschachtelt\n\n" + _body())
    huge = "".join(f"k{i}: {'v' * 60}\n" for i in range(40_000))  # ~2.7 MB
    ok("yaml-huge.md", f"---\n{huge}---\nRiesige Kopfdaten\n\n" + _body())
    hc.pwned = root.parent / PWNED_NAME
    ok("yaml-tags.md",
       f"---\ntitle: !!python/object/apply:os.system [\"touch {hc.pwned}\"]\n"
       f"date: !!python/name:os.system\nsource: !!python/object/new:os.system [\"id\"]\n---\n"
       "Böse Tags\n\n" + _body())
    bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    for i, prev in zip("bcdefghi", "abcdefgh", strict=True):
        bomb += f"{i}: &{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
    ok("yaml-bomb.md", f"---\n{bomb}title: Bombe\n---\nAlias-Bombe\n\n" + _body())
    ok("yaml-list.md", "---\n- eins\n- zwei\n---\nListe statt Mapping\n\n" + _body())
    ok("yaml-broken.md", "---\ntitle: [unclosed\n  : : :\n---\nKaputt\n\n" + _body())
    ok("yaml-unclosed.md", "---\ntitle: offen\n\nKein Ende der Kopfdaten\n\n" + _body())
    ok("sidecar.txt", "Mit Sidecar\n\n" + _body())
    _write(root, "sidecar.yaml",
           f"title: !!python/object/apply:os.system [\"touch {hc.pwned}\"]\n{bomb}")
    ok("sidecar2.txt", "Mit Steuerzeichen im Sidecar\n\n" + _body())
    _write(root, "sidecar2.yaml", "title: \"Side\\e[2Jcar \\u202e[/b]\"\nsource: \"\\x9bQ\"\n")

    # -- encodings -----------------------------------------------------------------------------
    legacy = "Straße in Köln: „Zitat“ – 20 € für Größe\n\n" + _body("Grüße aus Düsseldorf")
    name = ok("cp1252.txt", legacy, "cp1252", contains=["Straße", "€", "„Zitat“"])
    hc.encodings[name] = "cp1252"
    latin = "Straße in Köln, Größe und Maß\n\n" + _body("Grüße aus Düsseldorf, ÄÖÜ äöü ß")
    name = ok("latin1.txt", latin, "latin-1", contains=["Straße", "Größe"])
    hc.encodings[name] = "cp1252"  # latin-1 text is read as its superset cp1252
    name = ok("utf16.txt", "UTF-16 mit BOM: Größe\n\n" + _body(), "utf-16",
              contains=["Größe"])
    hc.encodings[name] = "utf-16"
    ok("utf8bom.txt", "\ufeffMit BOM\n\n" + _body(), contains=["Mit BOM"])
    # cp1252 leaves 0x81/0x8d/0x8f/0x90/0x9d undefined: latin-1 maps them to C1 controls
    ok("c1-bytes.txt", b"Undefiniert \x81\x8d\x8f\x90\x9d in cp1252, Stra\xdfe\n\n"
       + _body().encode("latin-1"))

    # -- HTML ----------------------------------------------------------------------------------
    ok("page.html",
       "<html><head><title>\x1b[31mRot [b]fett[/b] \u202eKopf</title></head><body>"
       "<article><h1>Überschrift \x1b]52;c;eA==\x07</h1>"
       + "".join(f"<p>{_body(ESCAPES + MARKUP)} Absatz {i}.</p>" for i in range(6))
       + "<script>alert('\x1b[2J')</script></article></body></html>")

    # -- file names ----------------------------------------------------------------------------
    ok(b"bad\xffname.txt", "Kaputter Name\n\n" + _body())
    ok("new\nline.txt", "Zeilenumbruch im Namen\n\n" + _body())
    ok("esc\x1b[31mred\x1b[0m.txt", "Escape im Namen\n\n" + _body())
    ok("osc\x1b]52;c;eA==\x07.txt", "OSC im Namen\n\n" + _body())
    ok("tab\tname.txt", "Tab im Namen\n\n" + _body())
    ok("c1\u009bname.txt", "C1 im Namen\n\n" + _body())
    ok("bidi\u202etxt.exe.txt", "Bidi im Namen\n\n" + _body())
    ok("[bold]markup[@click=app.quit]x[$var].txt", "Markup im Namen\n\n" + _body())
    ok(b"sub\xfe\x01dir/inner.txt", "In kaputtem Ordner\n\n" + _body())

    # -- file system oddities ------------------------------------------------------------------
    ok("loops/real.txt", "Echt\n\n" + _body())
    os.symlink("..", root / "loops" / "up")          # dir symlink to parent: a loop
    os.symlink(".", root / "loops" / "self")         # dir symlink to itself
    os.symlink("missing-target.txt", root / "dangling.txt")
    hc.skipped["dangling.txt"] = "cannot stat"
    os.mkfifo(root / "fifo.txt")                     # reading it would block forever
    hc.skipped["fifo.txt"] = "not a regular file"
    name = _write(root, "unreadable.txt", "Geheim\n\n" + _body())
    os.chmod(root / name, 0)
    hc.unreadable = name
    try:
        with open(root / name, "rb"):
            hc.unreadable_effective = False      # root: chmod 000 does not deny reads
    except PermissionError:
        hc.unreadable_effective = True
    if hc.unreadable_effective:
        hc.skipped[name] = "cannot read"
    else:
        hc.indexed.add(name)
    return hc
