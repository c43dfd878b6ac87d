"""A real index over a tiny corpus (the seeds plus a few files written here), built
once per test session, and helpers to drive the app with Pilot."""

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


@pytest.fixture
def make_app(corpus_env: dict[str, Path]):
    """A factory for a DossierApp over the test index (optionally with a query)."""
    from tui.app import DossierApp

    def make(query: str = "", index_dir: Path | None = None) -> DossierApp:
        return DossierApp([corpus_env["corpus"]], index_dir or corpus_env["index"], query)

    return make


async def _workers_done(app) -> None:  # noqa: ANN001
    """Wait for every worker. ``Worker.wait()`` raises ``WorkerCancelled`` for a worker
    that a newer one replaced while we waited (exclusive search workers do that as
    results arrive): that is the normal course, so wait for the rest again."""
    from textual.worker import WorkerCancelled

    for _ in range(20):
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


async def _settle(pilot, app) -> None:  # noqa: ANN001
    """Let debounce timers fire and every worker finish, three times over (a finished
    search starts the timeline and the preview)."""
    for _ in range(3):
        await pilot.pause(0.15)
        await _workers_done(app)
    await pilot.pause()


@pytest.fixture
def settle():
    """``await settle(pilot, app)``: wait until the app is idle."""
    return _settle
