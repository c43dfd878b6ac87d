"""The TUI tests' corpus: the seeds plus a few files written here (one hostile), its
index built once per test session in the default cache place. ``make_app`` and
``settle`` (tests/conftest.py) use it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
HOSTILE_TITLE = "[/b] [@click=app.quit]x[/] \x1b[31mred\x1b[0m \x1b]0;pwned\x07"

# YAML double quotes: \\e is ESC and \\a is BEL, so the title carries escape sequences too.
_YAML_TITLE = HOSTILE_TITLE.replace("\x1b", "\\e").replace("\x07", "\\a")
HOSTILE = (
    "---\n"
    f'title: "{_YAML_TITLE}"\n'
    "date: 2021-02-03\n"
    'source: "[b]Evil[/b] Source"\n'
    "---\n"
    + HOSTILE_TITLE
    + "\n\nBerlin – Ein Quokka [bold]marschiert[/bold] durch [$accent]die Stadt[/] und\n"
    "\x1b[2J\x1b[H löscht keinen Bildschirm. Das Quokka bleibt [@click=app.quit]harmlos[/].\n"
)

EXTRA = {
    "quokka_en.txt": """---
title: Quokka sightings rise in Perth
date: 2020-11-20
source: Perth Herald
language: en
---
Quokka sightings rise in Perth

PERTH, Nov 20 - Quokka sightings rose sharply this month, rangers said. The quokka is a
small marsupial. Rangers counted more quokkas than ever; one quokka took a selfie.
""",
    "quokka_de.txt": """---
title: Quokkas erobern Rottnest Island
date: 2021-03-15
source: Tagesblatt
---
Quokkas erobern Rottnest Island

Rottnest – Die Quokkas auf der Insel vermehren sich. Ein Quokka wurde beim Frühstück
gesehen. Touristen lieben das Quokka, das immer zu lächeln scheint.
""",
}


@pytest.fixture(scope="session")
def corpus_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Corpus folder, cache folder and built index dir (built with the real builder)."""
    from index.build import build_index
    from index.paths import default_index_dir

    base = tmp_path_factory.mktemp("dossier_tui")
    corpus = base / "corpus"
    shutil.copytree(SEEDS, corpus)
    for name, text in EXTRA.items():
        (corpus / name).write_text(text, "utf-8")
    (corpus / "hostile.txt").write_text(HOSTILE, "utf-8")
    cache = base / "cache"
    old = os.environ.get("DOSSIER_CACHE")
    os.environ["DOSSIER_CACHE"] = str(cache)
    corpora = [corpus.resolve()]
    index_dir = default_index_dir(corpora)
    build_index(corpora, index_dir)
    yield {"corpus": corpus.resolve(), "cache": cache, "index": index_dir}
    if old is None:
        os.environ.pop("DOSSIER_CACHE", None)
    else:
        os.environ["DOSSIER_CACHE"] = old
