"""Pilot tests of the journalist's workflow: export, bookmarks and tags."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tui.commands import DossierCommands
from tui.screens.export import ExportScreen
from tui.screens.main import MainScreen
from tui.widgets.search_bar import SearchBar


async def type_query(pilot, app, text: str, settle) -> None:  # noqa: ANN001
    await pilot.press("slash")
    app.screen.query_one(SearchBar).input.value = ""
    await pilot.press(*list(text))
    await settle(pilot, app)


def notes(app) -> list[str]:  # noqa: ANN001
    return [str(n.message) for n in app._notifications]


async def test_export_key_writes_the_current_results(make_app, settle, tmp_path: Path) -> None:
    app = make_app()
    target = tmp_path / "quokkas.csv"
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, app, "quokka", settle)
        await pilot.press("enter")  # to the results: E is a letter in the search box
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        box = app.screen.query_one("#export-input")
        box.value = str(target)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)
        assert any("3 articles written" in m for m in notes(app)), notes(app)
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8"))))
    assert len(rows) == 3 and all(r["citation"] for r in rows)
    # The hostile title's formula-free, markup-free form made it through intact.
    assert any("[/b]" in r["title"] for r in rows)


async def test_export_dialog_refuses_a_folder_and_asks_before_replacing(
        make_app, settle, tmp_path: Path) -> None:
    app = make_app()
    existing = tmp_path / "old.md"
    existing.write_text("keep", "utf-8")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.main_screen.action_export()
        await pilot.pause()
        box = app.screen.query_one("#export-input")
        box.value = str(tmp_path)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert "it is a folder" in str(app.screen.query_one("#export-hint").render())
        box.value = str(existing)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert "Enter again" in str(app.screen.query_one("#export-hint").render())
        assert existing.read_text("utf-8") == "keep"
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)
    assert existing.read_text("utf-8").startswith("# dossier export")


async def test_palette_offers_export(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        names = [n for n, _cb, _h in DossierCommands(app.main_screen)._commands()]
        assert "Export results…" in names
