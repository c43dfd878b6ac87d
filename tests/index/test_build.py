"""Building the index: odd files, incremental updates, atomicity, the lock."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.build import build_index
from index.search import Index
from index.store import BuildLocked, build_lock


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


ARTICLE = "Gericht weist Klage ab\n\nDas Gericht hat die Klage am Montag abgewiesen.\n"


def test_odd_files_are_read_or_skipped_with_a_reason(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    _write(corpus, "bom.txt", "\ufeff" + ARTICLE.replace("Klage", "Bomklage"))
    _write(corpus, "crlf.txt", ARTICLE.replace("\n", "\r\n").replace("Klage", "Crlfklage"))
    _write(corpus, "legacy.txt", "Größere Einschränkung für Bürger\n\nDie Maßnahme gilt.".encode(
        "cp1252"))
    _write(corpus, "utf16.txt", "Überschrift\n\nUtf16wort im Text.".encode("utf-16"))
    _write(corpus, "binary.txt", b"\x00\x01\x02\x03PNG\x00" * 50)
    _write(corpus, "empty.txt", b"   \n")
    _write(corpus, "ctrl.txt", "Titel\x1b[31m rot\n\nText mit \x07Glocke und \x9bC1.")
    _write(corpus, "broken.md", "---\ntitle: [unclosed\n---\nBrokenfront Text hier.\n")
    _write(corpus, "laughs.md", "---\na: &a [x, x]\nb: [*a, *a]\n---\nLaughs Text.\n")
    _write(corpus, "tagged.md", "---\ntitle: !!python/object/apply:os.system ['true']\n---\n"
                                "Tagged Text.\n")
    _write(corpus, "image.jpg", b"\xff\xd8\xff")
    report = build_index([corpus], tmp_path / "ix")
    skipped = dict(report.skipped)
    assert skipped["binary.txt"] == "binary file"
    assert skipped["empty.txt"] == "empty file"
    assert "image.jpg" not in skipped
    warned = {rel for rel, _ in report.warnings}
    assert {"broken.md", "laughs.md", "tagged.md"} <= warned
    assert report.added == 8
    ix = Index(tmp_path / "ix")
    try:
        for word in ("Bomklage", "Crlfklage", "Einschränkung", "Utf16wort", "Brokenfront",
                     "Laughs", "Tagged"):
            assert ix.search(word).total == 1, word
        legacy = ix.article(ix.search("Maßnahme").hits[0].doc_id)
        assert "Größere" in legacy.text
        ctrl = ix.article(ix.search("Glocke").hits[0].doc_id)
        assert not any(ord(c) < 32 and c not in "\n\t" for c in ctrl.text)
        assert "\x9b" not in ctrl.text and "\x1b" not in ctrl.text
        crlf = ix.article(ix.search("Crlfklage").hits[0].doc_id)
        assert "\r" not in crlf.text
    finally:
        ix.close()


def test_incremental_add_change_delete(seed_corpus: Path, tmp_path: Path) -> None:
    ix_dir = tmp_path / "ix"
    first = build_index([seed_corpus], ix_dir)
    assert (first.added, first.rebuilt) == (3, True)
    again = build_index([seed_corpus], ix_dir)
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 3)
    new = _write(seed_corpus, "sub/new.txt", ARTICLE.replace("Klage", "Neuklage"))
    changed = seed_corpus / "002_5aad8fb847d5ca23.txt"
    changed.write_text(changed.read_text("utf-8") + "\nZusatzwort am Ende.\n", "utf-8")
    (seed_corpus / "000_73fe919e8720b275.txt").unlink()
    touched = seed_corpus / "001_eeb2f33ffeffe27b.txt"
    os.utime(touched, ns=(time.time_ns(), time.time_ns()))  # same content, new mtime
    upd = build_index([seed_corpus], ix_dir)
    assert (upd.added, upd.updated, upd.removed, upd.unchanged) == (1, 1, 1, 1)
    ix = Index(ix_dir)
    try:
        assert ix.doc_count() == 3
        assert ix.search("Neuklage").total == 1
        assert ix.search("Zusatzwort").total == 1
        assert ix.search("Redefreiheit").total == 1  # 000 is gone, 001 remains
        assert ix.search("Parler").total == 2
    finally:
        ix.close()
    new.unlink()


def test_sidecar_overrides_and_change_is_noticed(seed_corpus: Path, tmp_path: Path) -> None:
    ix_dir = tmp_path / "ix"
    build_index([seed_corpus], ix_dir)
    _write(seed_corpus, "000_73fe919e8720b275.yaml", "title: Sidecar Titel\nsource: heise\n")
    report = build_index([seed_corpus], ix_dir)
    assert report.updated == 1
    ix = Index(ix_dir)
    try:
        hit = ix.search("source:heise").hits[0]
        assert hit.title == "Sidecar Titel"
        assert hit.source == "heise"
    finally:
        ix.close()
    original = (Path(__file__).parents[2] / "seeds" / "000_73fe919e8720b275.txt").read_bytes()
    assert (seed_corpus / "000_73fe919e8720b275.txt").read_bytes() == original


def test_killed_build_leaves_previous_index_usable(seed_corpus: Path, tmp_path: Path) -> None:
    ix_dir = tmp_path / "ix"
    build_index([seed_corpus], ix_dir)
    for i in range(300):
        _write(seed_corpus, f"bulk/{i:03d}.txt", f"Massenartikel {i}\n\n" + ARTICLE * 20)
    script = (
        "import sys, os, signal\n"
        "from index.build import build_index\n"
        "def progress(done, total, path):\n"
        "    if done == 150: os.kill(os.getpid(), signal.SIGKILL)\n"
        f"build_index([{str(seed_corpus)!r}], {str(ix_dir)!r}, progress=progress)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert proc.returncode == -9
    ix = Index(ix_dir)
    try:
        assert ix.doc_count() == 3
        assert ix.search("Massenartikel").total == 0
    finally:
        ix.close()
    report = build_index([seed_corpus], ix_dir)
    assert report.added == 300
    ix = Index(ix_dir)
    try:
        assert ix.doc_count() == 303
        ids = ix.ids()
        assert len(ids) == len(set(ids))
    finally:
        ix.close()


def test_second_builder_is_told(tmp_path: Path, seed_corpus: Path) -> None:
    ix_dir = tmp_path / "ix"
    with build_lock(ix_dir):
        with pytest.raises(BuildLocked, match="another dossier is indexing"):
            build_index([seed_corpus], ix_dir)


def test_schema_change_triggers_rebuild(seed_corpus: Path, tmp_path: Path) -> None:
    ix_dir = tmp_path / "ix"
    build_index([seed_corpus], ix_dir)
    version = ix_dir / "dossier-version.json"
    version.write_text('{"schema": -1}', "utf-8")
    report = build_index([seed_corpus], ix_dir)
    assert report.rebuilt and report.added == 3


def test_missing_corpus_is_a_clear_error(tmp_path: Path) -> None:
    from index.store import BuildError

    with pytest.raises(BuildError, match="corpus folder not found"):
        build_index([tmp_path / "nope"], tmp_path / "ix")


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    page = Path(__file__).parent / "data" / "page.html"
    (corpus / "page.html").write_bytes(page.read_bytes())
    build_index([corpus], tmp_path / "ix")
    ix = Index(tmp_path / "ix")
    try:
        res = ix.search("Seattle")
        assert res.total == 1
        hit = res.hits[0]
        assert hit.title == "Parler verliert vor Gericht"
        assert hit.source == "Beispielzeitung"
        assert hit.date is not None and hit.date.isoformat() == "2021-01-21"
        art = ix.article(hit.doc_id)
        assert "Impressum" not in art.text and "<p>" not in art.text
        assert ix.search("Impressum").total == 0
    finally:
        ix.close()
