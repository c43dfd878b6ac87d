"""Nothing outside the corpus is read, and no file can hang, exhaust or stop a build.

dossier is served over SSH to readers who cannot read the owner's files; a
symlink in the corpus must not make those files searchable. And one odd file
(a FIFO, a device, a huge sparse file, a folder nobody can list) is one skip
reason, never a hang, a MemoryError or silently lost articles.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from index import corpus as corpus_mod
from index.build import build_index
from index.corpus import MAX_FILE_BYTES, SkipFile, SourceFile, read_article
from index.search import Index

ARTICLE = "Gericht weist Klage ab\n\nDas Gericht hat die Klage am Montag abgewiesen.\n"
SECRET = "OPENSSH PRIVATE KEY geheimschluessel root:x:0:0"


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _hits(index_dir: Path, query: str) -> int:
    ix = Index(index_dir)
    try:
        return ix.search(query).total
    finally:
        ix.close()


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the corpus holding a "secret" an SSH reader must never see."""
    out = tmp_path / "private"
    _write(out, "id_ed25519.txt", f"Schluessel\n\n{SECRET}\n")
    _write(out, "shadow", f"{SECRET}\n")
    _write(out, "meta.yaml", "title: geheimschluessel aus dem Sidecar\nsource: root\n")
    _write(out, "folder/leak.txt", f"Ordner\n\n{SECRET}\n")
    return out


# --- item 1: symlinks out of the corpus ---------------------------------------------------------

def test_symlinks_out_of_the_corpus_are_never_read(tmp_path: Path, outside: Path) -> None:
    corpus = tmp_path / "c"
    _write(corpus, "ok.txt", ARTICLE)
    _write(corpus, "real.txt", "Echter Artikel\n\nEin Zebrafink im Park.\n")
    os.symlink(outside / "id_ed25519.txt", corpus / "leak.txt")       # file link out
    os.symlink(outside / "shadow", corpus / "shadow.md")                # file link out
    os.symlink(outside / "meta.yaml", corpus / "ok.yaml")               # sidecar link out
    os.symlink(outside / "folder", corpus / "sub")                      # folder link out
    os.symlink("../c/real.txt", corpus / "inside.txt")                  # link inside: fine
    os.symlink("loop-b.txt", corpus / "loop-a.txt")                     # a link loop
    os.symlink("loop-a.txt", corpus / "loop-b.txt")

    report = build_index([corpus], tmp_path / "ix")

    skipped = dict(report.skipped)
    assert skipped["leak.txt"] == corpus_mod.OUTSIDE
    assert skipped["shadow.md"] == corpus_mod.OUTSIDE
    assert skipped["sub/"] == corpus_mod.OUTSIDE
    assert skipped["ok.yaml"] == f"sidecar: {corpus_mod.OUTSIDE}"
    assert skipped["loop-a.txt"] == skipped["loop-b.txt"] == "cannot stat: symlink loop"
    assert report.added == 3  # ok.txt (without its sidecar), real.txt, inside.txt
    for word in ("geheimschluessel", "OPENSSH", "root", "Ordner", "Schluessel"):
        assert _hits(tmp_path / "ix", word) == 0, word
    assert _hits(tmp_path / "ix", "Zebrafink") == 2  # the link inside the corpus is followed


def test_link_into_another_corpus_folder_is_followed(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    _write(a, "eins.txt", ARTICLE)
    _write(b, "zwei.txt", "Zweiter Ordner\n\nEin Quokka im Zoo.\n")
    os.symlink(b / "zwei.txt", a / "link.txt")
    report = build_index([a, b], tmp_path / "ix")
    assert report.skipped == []
    assert _hits(tmp_path / "ix", "Quokka") == 2


def test_file_swapped_for_a_link_after_the_walk_is_not_read(
    tmp_path: Path, outside: Path
) -> None:
    """The check is made again when the file is opened: a file replaced by a symlink
    between the folder walk and the read is refused."""
    corpus = tmp_path / "c"
    path = _write(corpus, "a.txt", ARTICLE)
    st = path.stat()
    sf = SourceFile(corpus, path, "a.txt", st.st_size, st.st_mtime_ns, None, "")
    path.unlink()
    os.symlink(outside / "id_ed25519.txt", path)
    with pytest.raises(SkipFile, match="outside the corpus"):
        read_article(sf)


def test_link_out_that_was_indexed_before_is_removed(tmp_path: Path, outside: Path) -> None:
    """An index built by an older version that followed the link loses the leak on update."""
    corpus = tmp_path / "c"
    _write(corpus, "ok.txt", ARTICLE)
    _write(corpus, "leak.txt", f"Kopie\n\n{SECRET}\n")
    build_index([corpus], tmp_path / "ix")
    assert _hits(tmp_path / "ix", "OPENSSH") == 1
    (corpus / "leak.txt").unlink()
    os.symlink(outside / "id_ed25519.txt", corpus / "leak.txt")
    report = build_index([corpus], tmp_path / "ix")
    assert report.removed == 1
    assert _hits(tmp_path / "ix", "OPENSSH") == 0


def _limit_memory() -> None:
    """1.5 GB of address space for the child: reading /dev/zero whole must end in a
    MemoryError there, not eat the memory of a shared machine."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024**2, 1536 * 1024**2))


# --- item 5: FIFOs, devices, huge files, on the opened descriptor -------------------------------

def test_fifo_sidecar_device_and_huge_files_are_one_skip_each(tmp_path: Path) -> None:
    """Run in a child with a timeout: the FIFO sidecar hung the old build forever, and
    the /dev/zero and 2 GB sidecars ended it with a MemoryError."""
    corpus = tmp_path / "c"
    _write(corpus, "a.txt", ARTICLE.replace("Klage", "Fifoklage"))
    os.mkfifo(corpus / "a.yaml")                                        # FIFO sidecar
    _write(corpus, "b.txt", ARTICLE.replace("Klage", "Zeroklage"))
    os.symlink("/dev/zero", corpus / "b.yaml")                          # device sidecar
    _write(corpus, "c.txt", ARTICLE.replace("Klage", "Sparseklage"))
    with open(corpus / "c.yaml", "wb") as fh:                           # 2 GB sidecar
        fh.truncate(2 * 1024**3)
    with open(corpus / "huge.txt", "wb") as fh:                         # 2 GB article
        fh.truncate(2 * 1024**3)
    os.symlink("/dev/zero", corpus / "zero.txt")                        # device article
    _write(corpus, "d.txt", ARTICLE.replace("Klage", "Normalklage"))
    code = (
        "import sys; from pathlib import Path; from index.build import build_index\n"
        "r = build_index([Path(sys.argv[1])], Path(sys.argv[2]))\n"
        "print(r.added); [print(f'{p}\\t{w}') for p, w in r.skipped + r.warnings]\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(corpus), str(tmp_path / "ix")],
                          capture_output=True, text=True, timeout=30, preexec_fn=_limit_memory)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert lines[0] == "4"
    reasons = dict(line.split("\t", 1) for line in lines[1:])
    assert reasons["a.yaml"] == "sidecar: not a regular file, ignored"
    assert reasons["b.yaml"] == f"sidecar: {corpus_mod.OUTSIDE}"  # /dev is outside
    assert reasons["c.txt"] == "sidecar c.yaml: larger than 64 KB, ignored"
    assert reasons["huge.txt"] == "larger than 16 MB"
    assert reasons["zero.txt"] == corpus_mod.OUTSIDE
    for word in ("Fifoklage", "Zeroklage", "Sparseklage", "Normalklage"):
        assert _hits(tmp_path / "ix", word) == 1, word


def _mknod_zero(path: Path) -> bool:
    """A character device like /dev/zero at *path* (root only); False when not allowed."""
    import stat

    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 5))
    except (PermissionError, AttributeError):
        return False
    return True


def test_device_node_inside_the_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    _write(corpus, "a.txt", ARTICLE)
    if not _mknod_zero(corpus / "zero.txt") or not _mknod_zero(corpus / "a.yaml"):
        pytest.skip("mknod needs root")
    report = build_index([corpus], tmp_path / "ix")
    assert dict(report.skipped) == {"zero.txt": "not a regular file",
                                    "a.yaml": "sidecar: not a regular file, ignored"}
    assert report.added == 1


@pytest.mark.parametrize("swap", ["fifo", "dev-zero", "device", "grown"])
def test_file_replaced_after_the_walk(tmp_path: Path, swap: str) -> None:
    """What the walk saw is not trusted: the read decides on the opened descriptor and
    never reads more than the cap + 1 bytes."""
    corpus = tmp_path / "c"
    path = _write(corpus, "a.txt", ARTICLE)
    st = path.stat()
    sf = SourceFile(corpus, path, "a.txt", st.st_size, st.st_mtime_ns, None, "")
    path.unlink()
    if swap == "fifo":
        os.mkfifo(path)
        expected = "not a regular file"
    elif swap == "dev-zero":
        os.symlink("/dev/zero", corpus / "zero")
        os.rename(corpus / "zero", path)
        expected = corpus_mod.OUTSIDE  # /dev is outside the corpus anyway
    elif swap == "device":
        if not _mknod_zero(path):
            pytest.skip("mknod needs root")
        expected = "not a regular file"
    else:
        with open(path, "wb") as fh:
            fh.truncate(2 * 1024**3)
        expected = "larger than 16 MB"
    with pytest.raises(SkipFile) as info:
        read_article(sf)
    assert str(info.value) == expected


def test_read_is_bounded_even_when_the_size_lies(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that grows after ``fstat`` (simulated: fstat reports it small) is read
    only up to the cap + 1 bytes, then skipped."""
    path = _write(tmp_path, "grow.txt", b"x" * 4096)
    real_fstat = os.fstat
    reads: list[int] = []
    real_read = os.read

    class Small:
        def __init__(self, st: os.stat_result) -> None:
            self.st_mode, self.st_size = st.st_mode, 10

    monkeypatch.setattr(corpus_mod.os, "fstat", lambda fd: Small(real_fstat(fd)))
    monkeypatch.setattr(corpus_mod.os, "read",
                        lambda fd, n: reads.append(n) or real_read(fd, n))
    with pytest.raises(SkipFile, match="larger than 1 KB"):
        corpus_mod.read_bounded(path, 1024, [tmp_path])
    assert sum(reads) <= 1025


# --- item 10: a folder that cannot be listed ----------------------------------------------------

def _deny_listing(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make listing *folder* fail as ``chmod 000`` does for a normal user (tests often
    run as root, which chmod does not stop)."""
    real = os.scandir

    def scandir(path: object = ".") -> object:
        if os.fspath(path) == str(folder):  # type: ignore[arg-type]
            raise PermissionError(13, os.strerror(13), os.fspath(path))  # type: ignore[arg-type]
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)


def _corpus_with_sub(tmp_path: Path) -> Path:
    corpus = tmp_path / "c"
    _write(corpus, "top.txt", ARTICLE)
    for i in range(5):
        _write(corpus, f"sub/s{i}.txt", f"Meldung {i}\n\nEin Kakapo namens Nummer{i}.\n")
    return corpus


def test_unlistable_folder_keeps_its_articles(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus_with_sub(tmp_path)
    build_index([corpus], tmp_path / "ix")
    assert _hits(tmp_path / "ix", "Kakapo") == 5
    _deny_listing(monkeypatch, corpus / "sub")
    report = build_index([corpus], tmp_path / "ix")
    assert report.removed == 0
    skipped = dict(report.skipped)
    assert sorted(skipped) == [f"sub/s{i}.txt" for i in range(5)]
    assert skipped["sub/s0.txt"] == ("cannot read folder: Permission denied (sub); "
                                     "the indexed copy is kept")
    assert _hits(tmp_path / "ix", "Kakapo") == 5
    monkeypatch.undo()
    report = build_index([corpus], tmp_path / "ix")  # readable again: nothing to redo
    assert (report.removed, report.skipped, report.unchanged) == (0, [], 6)


def test_unlistable_folder_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from cli.main import main

    corpus = _corpus_with_sub(tmp_path)
    _deny_listing(monkeypatch, corpus / "sub")
    assert main(["index", "--corpus", str(corpus), "--index", str(tmp_path / "ix")]) == 0
    out, err = capsys.readouterr()
    assert "skipped 'sub/': cannot read folder: Permission denied" in err
    assert "1 added, 0 updated, 0 removed, 0 unchanged, 1 skipped" in out


def _without_dac_override() -> list[str]:
    """A command prefix under which this user's ``chmod 000`` really denies reads.

    Root ignores file modes through two capabilities; ``setpriv`` drops them from the
    bounding set, so the child is root that the mode bits stop. Empty when not root."""
    if os.geteuid() != 0:
        return []
    import shutil

    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root without setpriv: chmod 000 denies root nothing")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]


def test_chmod_000_folder_for_real(tmp_path: Path) -> None:
    """The real thing: ``chmod 000 sub`` and ``dossier index`` (as root, with the
    capabilities that let root read anything dropped)."""
    corpus = _corpus_with_sub(tmp_path)
    index_dir = tmp_path / "ix"
    build_index([corpus], index_dir)
    os.chmod(corpus / "sub", 0)
    try:
        proc = subprocess.run(
            [*_without_dac_override(), sys.executable, "-m", "cli", "index",
             "--corpus", str(corpus), "--index", str(index_dir)],
            capture_output=True, text=True, timeout=120,
        )
    finally:
        os.chmod(corpus / "sub", 0o755)
    assert proc.returncode == 0, proc.stderr
    assert "0 removed, 1 unchanged, 5 skipped" in proc.stdout
    skipped = [line for line in proc.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == 5
    assert all("cannot read folder: Permission denied" in line for line in skipped)
    assert _hits(index_dir, "Kakapo") == 5


def test_unreadable_file_keeps_its_indexed_copy(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "c"
    path = _write(corpus, "a.txt", ARTICLE)
    build_index([corpus], tmp_path / "ix")
    path.write_text(ARTICLE + "Neu.\n")  # changed, so the update reads it
    real_open = os.open

    def deny(p: object, flags: int, *args: object) -> int:
        if os.fspath(p) == str(path):  # type: ignore[arg-type]
            raise PermissionError(13, os.strerror(13), str(p))
        return real_open(p, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(corpus_mod.os, "open", deny)
    report = build_index([corpus], tmp_path / "ix")
    assert report.skipped == [("a.txt", "cannot read: Permission denied; "
                                        "the indexed copy is kept")]
    assert report.removed == 0
    assert _hits(tmp_path / "ix", "Klage") == 1


def test_default_cap_is_what_the_readme_says() -> None:
    assert MAX_FILE_BYTES == 16 * 1024 * 1024


# --- item 11: character references to control characters in HTML -------------------------------

@pytest.mark.parametrize("ref", ["&#11;", "&#27;", "&#65535;", "&#x1B;", "&#0000011;",
                                 "&#99999999999999999999;"])
def test_html_with_a_reference_to_a_control_character_is_read(tmp_path: Path, ref: str) -> None:
    """One such reference made lxml reject the page and the whole article was skipped
    as "no text"; now the reference is dropped and the page is indexed."""
    corpus = tmp_path / "c"
    paras = "".join(f"<p>Absatz {i}: Das Gericht hat die Klage gegen den Betreiber am "
                    "Montag abgewiesen, teilte ein Sprecher mit.</p>" for i in range(4))
    _write(corpus, "page.html",
           f"<html><head><title>Kopf</title></head><body><article>"
           f"<h1>Urteil {ref} gefallen</h1>{paras}&#150;</article></body></html>")
    report = build_index([corpus], tmp_path / "ix")
    assert report.skipped == [] and report.added == 1
    ix = Index(tmp_path / "ix")
    try:
        art = ix.article(ix.search("Betreiber").hits[0].doc_id)
    finally:
        ix.close()
    assert "Urteil  gefallen" in art.text or "Urteil gefallen" in art.text
    assert not any(ord(c) < 32 and c not in "\n\t" for c in art.text)
