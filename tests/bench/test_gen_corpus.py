"""Checks of the benchmark corpus generator, on a tiny fake word list (no wngerman needed).

Not collected by the normal test run (tests/bench is excluded); run it directly:
``.venv/bin/pytest tests/bench/test_gen_corpus.py -q -p no:cacheprovider``.
"""

from __future__ import annotations

import gzip
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

HERE = Path(__file__).resolve().parent


def _load(name: str) -> ModuleType:
    """Import a sibling module by path: tests/bench is no package on sys.path under
    pytest's importlib mode. Registered in sys.modules first, as dataclasses require."""
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen_corpus = _load("gen_corpus")
queries = _load("queries")

_SYLLABLES = ("ber", "lin", "hau", "sen", "gar", "ten", "wal", "dung", "kla", "ge", "stra",
              "ße", "mün", "chen", "recht", "tag", "zei", "tung", "rat", "haus")


def _fake_words() -> list[str]:
    """~800 German-looking words, nouns capitalized, a few abbreviations."""
    words = []
    for i, a in enumerate(_SYLLABLES):
        for j, b in enumerate(_SYLLABLES):
            word = a + b
            words.append(word.capitalize() if (i + j) % 2 else word)
            words.append(word + "en")
    return words + ["ABC", "EU", "NATO", "UNO"]


def _articles(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".txt", ".md"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("bench") / "a"
    return out, gen_corpus.generate(200, out, seed=7, wordlist=_fake_words())


def test_same_seed_gives_identical_files(corpus: tuple[Path, dict],
                                         tmp_path: Path) -> None:
    first, stats = corpus
    second = tmp_path / "b"
    again = gen_corpus.generate(200, second, seed=7, wordlist=_fake_words())
    files = _articles(first)
    assert [p.relative_to(first) for p in files] == [
        p.relative_to(second) for p in _articles(second)]
    for p in files:
        assert p.read_bytes() == (second / p.relative_to(first)).read_bytes(), p
    manifest = gen_corpus.MANIFEST_FILE
    assert (first / manifest).read_bytes() == (second / manifest).read_bytes()
    stats = {k: v for k, v in stats.items() if k != "timing"}
    assert stats == {k: v for k, v in again.items() if k != "timing"}


def test_other_seed_differs(corpus: tuple[Path, dict], tmp_path: Path) -> None:
    first, _ = corpus
    gen_corpus.generate(200, tmp_path / "c", seed=8, wordlist=_fake_words())
    a = b"".join(p.read_bytes() for p in _articles(first))
    b = b"".join(p.read_bytes() for p in _articles(tmp_path / "c"))
    assert a != b


def test_counts_formats_and_dates(corpus: tuple[Path, dict]) -> None:
    out, stats = corpus
    files = _articles(out)
    assert len(files) == 200
    md = [p for p in files if p.suffix == ".md"]
    assert stats["formats"]["md"] == len(md) and 10 <= len(md) <= 60
    assert all(p.read_text(encoding="utf-8").startswith("---\ntitle: ") for p in md)
    assert stats["dirs"]["max_files"] <= gen_corpus.FILES_PER_DIR

    with gzip.open(out / gen_corpus.MANIFEST_FILE, "rt", encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh][1:]
    assert len(rows) == 200
    undated = [r for r in rows if not r[1]]
    assert undated and len(undated) == stats["dates"]["undated"]
    # An undated article carries no dateline, agency date or front-matter date.
    date_re = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}|^date:", re.M)
    for row in undated:
        assert not date_re.search((out / row[0]).read_text(encoding="utf-8")), row[0]
    # A dated one carries its date in one of the three styles.
    for rel, iso, *_ in rows[:40]:
        if iso:
            y, m, d = (int(x) for x in iso.split("-"))
            text = (out / rel).read_text(encoding="utf-8")
            assert (f"{d:02d}.{m:02d}.{y} | Stand:" in text or f", {d}.{m}.{y})" in text
                    or f"date: {iso}" in text), rel
    assert "2018-01-01" <= stats["dates"]["first"] <= stats["dates"]["last"] <= "2024-12-31"


def test_stats_feed_the_query_mix(corpus: tuple[Path, dict]) -> None:
    out, stats = corpus
    assert queries.load_stats(out)["tokens"] == stats["tokens"] > 0
    mix = queries.query_mix(stats, seed=3)
    assert [q["kind"] for q in mix] == [k for k in queries.KINDS for _ in range(3)]
    assert mix == queries.query_mix(stats, seed=3)
    for q in mix:
        assert set(q) == {"kind", "query", "since", "until", "sort", "terms"}
        assert q["terms"] and all(q["terms"])
    text = " ".join(p.read_text(encoding="utf-8") for p in _articles(out))
    for q in mix:
        if q["kind"] in ("common", "rare", "phrase", "and"):
            words = q["terms"]
            needles = [" ".join(words)] if q["kind"] == "phrase" else words
            assert all(n in text for n in needles), q


def test_missing_wordlist_says_how_to_install(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(gen_corpus.WordListMissingError):
        gen_corpus.load_wordlist(missing)
    gen_corpus.NGERMAN, saved = missing, gen_corpus.NGERMAN
    try:
        assert gen_corpus.main(["--n", "10", "--out", str(tmp_path / "o")]) == 2
    finally:
        gen_corpus.NGERMAN = saved
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "apt-get install -y wngerman" in err


def test_refuses_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        gen_corpus.generate(5, tmp_path, seed=1, wordlist=_fake_words(), force=True)
    assert (tmp_path / "keep.txt").exists()
