"""The index folder is deleted and rebuilt while the TUI runs.

Before: every search then failed with ``ReaderClosed``, the viewer stayed on
"opening the article…" for ever and quitting printed a traceback. Now the open
searcher answers until a new one opens, then the new one does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from index.build import build_index
from tui.app import DossierApp
from tui.screens.source import SourceScreen
from tui.widgets.source_view import SourceView

KAKAPO = "Kakapo im Park\n\nEin Kakapo wurde im Park gesehen, berichten Ranger.\n"


async def _type(pilot, app, settle, text: str) -> None:  # noqa: ANN001
    await pilot.press("ctrl+a", "ctrl+k", *text)
    await settle(pilot, app)


async def test_index_deleted_and_rebuilt_under_the_tui(corpus_env: dict[str, Path],
                                                      tmp_path: Path, settle) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_env["corpus"], corpus)
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir)
    # read-only: no background update of its own gets in the way
    app = DossierApp([corpus], index_dir, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _type(pilot, app, settle, "quokka")
        main = app.main_screen
        assert main.result is not None and main.result.total >= 3

        shutil.rmtree(index_dir)  # gone: the open searcher keeps answering
        await _type(pilot, app, settle, "quokkas")
        assert main.error is None, main.error
        assert main.result is not None and main.result.total >= 1

        (corpus / "kakapo.txt").write_text(KAKAPO, "utf-8")
        build_index([corpus], index_dir)  # rebuilt: the next search uses it
        await _type(pilot, app, settle, "kakapo")
        assert main.error is None, main.error
        assert main.result is not None and main.result.total == 1

        await pilot.press("enter", "enter")  # the viewer opens the article
        await settle(pilot, app)
        assert isinstance(app.screen, SourceScreen)
        view = app.screen.query_one(SourceView)
        assert view.article is not None and "Kakapo" in view.article.text
        await pilot.press("escape")
        await pilot.pause()
        shutil.rmtree(index_dir)  # gone again while quitting: no traceback
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code in (0, None)


async def test_viewer_says_when_the_article_cannot_be_opened(make_app, settle) -> None:
    """A failed load shows one line in the viewer instead of "opening the article…"."""
    app = make_app("quokka")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        hit = app.main_screen.result.hits[0]

        class Broken:
            def article(self, doc_id: str) -> None:
                raise KeyError(doc_id)

        real, app.index = app.index, Broken()
        try:
            app.push_screen(SourceScreen(hit, "quokka"))
            await settle(pilot, app)
            meta = str(app.screen.query_one("#source-meta").render())
            assert "opening the article failed" in meta, meta
        finally:
            app.index = real
