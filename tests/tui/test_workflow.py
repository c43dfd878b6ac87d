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


def record_toasts(app) -> list[str]:  # noqa: ANN001
    """Every toast from now on (the screen shows one at a time: a new one replaces it)."""
    seen: list[str] = []
    notify = app.notify

    def recording(message, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        seen.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = recording
    return seen


def notes(app) -> list[str]:  # noqa: ANN001
    """What the user was told: the toast (warnings and errors, one at a time) and the
    status line's notice (information: state changes are not toasts)."""
    main = app.screen_stack[0]
    told = [str(n.message) for n in app._notifications]
    return told + ([main.notice] if getattr(main, "notice", None) else [])


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


# --- bookmarks and tags ---------------------------------------------------------------

def _row(app, i: int = 0) -> str:  # noqa: ANN001
    from tui.widgets.results_list import ResultsList

    results = app.main_screen.query_one(ResultsList)
    return str(results.get_option_at_index(i).prompt)


def _facet_labels(app) -> list[str]:  # noqa: ANN001
    from tui.widgets.facets import FacetsPane

    pane = app.main_screen.query_one(FacetsPane)
    return [str(pane.get_option_at_index(i).prompt) for i in range(pane.option_count)]


async def test_bookmark_key_marks_row_facet_and_query(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await type_query(pilot, app, "quokka", settle)
        await pilot.press("enter")  # to the results
        first = app.main_screen.selected
        await pilot.press("m")
        await settle(pilot, app)
        assert any(m.startswith("bookmarked: ") for m in notes(app)), notes(app)
        assert _row(app).startswith("* ")
        labels = _facet_labels(app)
        assert "marks" in labels and any(x.strip() == "1 bookmarked" for x in labels), labels
        await type_query(pilot, app, "is:bookmarked", settle)
        assert [h.doc_id for h in app.main_screen.result.hits] == [first.doc_id]
        await pilot.press("enter", "m")  # take it away again
        await settle(pilot, app)
        assert app.main_screen.result.total == 0


async def test_tag_dialog_saves_tags_and_refuses_two_words(make_app, settle) -> None:
    from tui.screens.tags import TagScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, app, "quokka", settle)
        await pilot.press("enter")
        doc = app.main_screen.selected
        await pilot.press("number_sign")
        await pilot.pause()
        assert isinstance(app.screen, TagScreen)
        box = app.screen.query_one("#tags-input")
        box.value = "Klage, cloud act"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TagScreen)
        assert "not a tag: 'cloud act'" in str(app.screen.query_one("#tags-hint").render())
        box.value = "Klage, #cloud"
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)
        assert "#cloud #klage" in _row(app)
        await type_query(pilot, app, "tag:klage", settle)
        assert [h.doc_id for h in app.main_screen.result.hits] == [doc.doc_id]
        await type_query(pilot, app, "tag:klage OR x", settle)
        assert "whole query" in (app.main_screen.error or "")


async def test_viewer_screen_bookmarks_its_article(make_app, settle) -> None:
    from tui.screens.source import SourceScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, app, "quokka", settle)
        await pilot.press("enter", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, SourceScreen)
        doc_id = app.screen.hit.doc_id
        await pilot.press("m")
        await settle(pilot, app)
        await pilot.press("escape")
        await type_query(pilot, app, "is:bookmarked", settle)
        assert [h.doc_id for h in app.main_screen.result.hits] == [doc_id]


async def test_damaged_marks_database_turns_marks_off_in_one_line(make_app, settle,
                                                                  corpus_env) -> None:
    from index.marks import marks_path

    path = marks_path([corpus_env["corpus"]])
    path.parent.mkdir(parents=True, exist_ok=True)
    junk = b"not sqlite at all\n" * 50
    path.write_bytes(junk)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert any(m.startswith("bookmarks and tags are off:") and "\n" not in m
                   for m in notes(app)), notes(app)
        assert app.main_screen.result is not None and app.main_screen.result.total == 6
        app._notifications.clear()  # one toast at a time: the next is m's own
        await pilot.press("tab", "m")
        await settle(pilot, app)
        assert any("off" in m for m in notes(app)), notes(app)
        await type_query(pilot, app, "tag:x", settle)
        assert "off" in (app.main_screen.error or "")
    assert path.read_bytes() == junk
    # No journal beside the damaged file (the history database is its own file).
    assert not [p for p in path.parent.iterdir() if p.name.startswith(path.name + "-")]


async def test_export_bookmarked_from_the_palette_entry(make_app, settle,
                                                        tmp_path: Path) -> None:
    import json

    app = make_app()
    target = tmp_path / "bookmarks.json"
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, app, "quokka", settle)
        await pilot.press("enter", "m")
        await settle(pilot, app)
        doc_id = app.main_screen.selected.doc_id
        await type_query(pilot, app, "Amazon", settle)  # another query is on
        names = {n: cb for n, cb, _h in DossierCommands(app.main_screen)._commands()}
        names["Export bookmarked articles…"]()
        await pilot.pause()
        app.screen.query_one("#export-input").value = str(target)
        await pilot.press("enter")
        await settle(pilot, app)
    assert [r["id"] for r in json.loads(target.read_text("utf-8"))] == [doc_id]


# --- search history ---------------------------------------------------------------------------

async def _submit(pilot, app, text: str, settle) -> None:  # noqa: ANN001
    await type_query(pilot, app, text, settle)
    await pilot.press("enter")  # a query meant: it goes into the history
    await settle(pilot, app)


async def test_enter_records_and_up_down_walk_the_history(make_app, settle,
                                                          corpus_env) -> None:
    from index.history import History, history_path

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _submit(pilot, app, "quokka", settle)
        await _submit(pilot, app, "Amazon  Parler", settle)
        await _submit(pilot, app, "quokka", settle)
        await type_query(pilot, app, "Kap", settle)  # typed, never submitted
        bar = app.main_screen.query_one(SearchBar)
        await pilot.press("up")
        await settle(pilot, app)
        assert bar.value == "quokka" and app.main_screen.result.total == 3
        await pilot.press("up")
        await settle(pilot, app)
        assert bar.value == "Amazon Parler"
        await pilot.press("down", "down")
        await settle(pilot, app)
        assert bar.value == "Kap"  # the draft is back
        assert app.focused is bar.input
        await pilot.press("down")  # not walking: to the results, as before
        await settle(pilot, app)
        assert app.focused is not bar.input
    h = History(history_path([corpus_env["corpus"]]))
    assert h.recent() == ["Kap", "quokka", "Amazon Parler"]
    h.close()


async def test_ctrl_r_finds_an_earlier_query(make_app, settle) -> None:
    from tui.screens.history import HistoryScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _submit(pilot, app, "quokka", settle)
        await _submit(pilot, app, "Amazon", settle)
        await type_query(pilot, app, "", settle)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press(*"quo")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)
        assert app.main_screen.query_one(SearchBar).value == "quokka"
        assert app.main_screen.result.total == 3


async def test_damaged_history_turns_history_off_in_one_line(make_app, settle,
                                                             corpus_env) -> None:
    from index.history import history_path

    path = history_path([corpus_env["corpus"]])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"junk" * 100)
    app = make_app()
    toasts = record_toasts(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("up", "ctrl+r")
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)
        off = [m for m in toasts if m.startswith("search history is off: ")]
        assert len(off) >= 3 and all("\n" not in m for m in off), notes(app)
        await _submit(pilot, app, "quokka", settle)  # searching itself is unaffected
        assert app.main_screen.result.total == 3
    assert path.read_bytes() == b"junk" * 100


# --- saved searches ---------------------------------------------------------------------------

def _palette(app) -> dict:  # noqa: ANN001
    return {n: cb for n, cb, _h in DossierCommands(app.main_screen)._commands()}


async def test_save_run_rename_delete_a_search(make_app, settle) -> None:
    import datetime as dt

    from tui.screens.saved_name import SavedNameScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, app, "quokka", settle)
        main = app.main_screen
        main.set_filter(dt.date(2021, 1, 1), dt.date(2021, 12, 31))
        main.set_sort("oldest")
        await settle(pilot, app)
        await pilot.press("enter", "S")  # from the results
        await pilot.pause()
        assert isinstance(app.screen, SavedNameScreen)
        box = app.screen.query_one("#saved-input")
        assert box.value == "quokka"
        box.value = "bad [name]"
        await pilot.press("enter")
        await pilot.pause()
        assert "not a name" in str(app.screen.query_one("#saved-hint").render())
        box.value = "Quokkas 2021"
        await pilot.press("enter")
        await settle(pilot, app)
        assert any(m.startswith("saved search 'Quokkas 2021'") for m in notes(app))
        # Another state, then the saved one again from the palette.
        main.set_filter(None, None)
        main.set_sort("relevance")
        await type_query(pilot, app, "Amazon", settle)
        _palette(app)["Saved search: Quokkas 2021"]()
        await settle(pilot, app)
        assert main.query_one(SearchBar).value == "quokka"
        assert (main.sort, main.since, main.until) == ("oldest", dt.date(2021, 1, 1),
                                                      dt.date(2021, 12, 31))
        # The 2020 article is filtered out; the two of 2021 come oldest first.
        assert [h.date for h in main.result.hits] == [dt.date(2021, 2, 3), dt.date(2021, 3, 15)]
        _palette(app)["Rename saved search: Quokkas 2021…"]()
        await pilot.pause()
        app.screen.query_one("#saved-input").value = "Q"
        await pilot.press("enter")
        await settle(pilot, app)
        assert [s.name for s in main.saved.searches] == ["Q"]
        _palette(app)["Delete saved search: Q"]()
        await settle(pilot, app)
        assert main.saved.searches == ()
        assert "Saved search: Q" not in _palette(app)


async def test_saving_over_a_name_asks_twice(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, app, "quokka", settle)
        for query in ("quokka", "Amazon"):
            await type_query(pilot, app, query, settle)
            app.main_screen.action_save_search()
            await pilot.pause()
            app.screen.query_one("#saved-input").value = "same"
            await pilot.press("enter")
            await settle(pilot, app)
        from tui.screens.saved_name import SavedNameScreen

        assert isinstance(app.screen, SavedNameScreen)  # the second save waits
        assert "exists" in str(app.screen.query_one("#saved-hint").render())
        await pilot.press("enter")
        await settle(pilot, app)
        assert [(s.name, s.query) for s in app.main_screen.saved.searches] == [("same",
                                                                               "Amazon")]


async def test_palette_help_of_a_saved_query_stays_text(make_app, settle) -> None:
    from index.saved import SavedSearch

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.main_screen.saved.change("save",
                                     SavedSearch("odd", "[$accent]x[/] [@click=app.quit]"))
        helps = {n: h for n, _cb, h in DossierCommands(app.main_screen)._commands()}
        assert "[" not in helps["Saved search: odd"]
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"odd")
        from textual.command import CommandList

        listed: list[str] = []
        for _ in range(500):  # until the palette lists it (a fixed sleep could be too short)
            await pilot.pause(0.01)
            listed = [str(o.prompt) for o in app.screen.query(CommandList).first().options]
            if any("Saved search: odd" in p for p in listed):
                break
        shown = next(p for p in listed if "Saved search: odd" in p)
        assert "($accent)x(/) (@click=app.quit)" in shown, shown  # the help, as text
        await pilot.press("escape")
        assert app.is_running


# --- keyword in context -----------------------------------------------------------------------

async def test_kwic_lists_matches_and_opens_the_article_there(make_app, settle) -> None:
    from tui.screens.kwic import KwicScreen
    from tui.screens.source import SourceScreen
    from tui.widgets.kwic_list import KwicList
    from tui.widgets.source_view import SourceView

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, app, "quokka", settle)
        await pilot.press("enter", "K")
        await settle(pilot, app)
        assert isinstance(app.screen, KwicScreen)
        kl = app.screen.query_one(KwicList)
        lines = [r for r in kl.rows if r is not None]
        assert len(lines) >= 6 and {h.doc_id for h, _ in lines} == {
            h.doc_id for h in app.main_screen.result.hits}
        headers = [str(kl.get_option_at_index(i).prompt) for i, r in enumerate(kl.rows)
                   if r is None]
        assert any("[/b]" in h for h in headers)  # the hostile title, as text
        # Down twice: the third line of context, then open it.
        await pilot.press("down", "down", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, SourceScreen)
        hit, line = kl.rows[kl.highlighted]
        view = app.screen.query_one(SourceView)
        assert view.article.doc_id == hit.doc_id
        assert view.spans[view.current][0] == line.start  # opened at that match
        await pilot.press("escape")
        assert isinstance(app.screen, KwicScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_kwic_without_a_query_says_so(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("tab", "K")
        await settle(pilot, app)
        assert isinstance(app.screen, MainScreen)
        assert "keyword in context needs a query" in notes(app)


async def test_dialogs_fit_a_tiny_terminal(make_app, settle) -> None:
    """40x12: every new dialog and screen opens with its input or list on screen."""
    from tui.screens.kwic import KwicScreen

    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await type_query(pilot, app, "quokka", settle)
        await _submit(pilot, app, "quokka", settle)
        main = app.main_screen
        for open_it, widget in ((main.action_export, "#export-input"),
                                (main.action_tag, "#tags-input"),
                                (main.action_save_search, "#saved-input"),
                                (main.action_search_history, "#history-input")):
            open_it()
            await pilot.pause()
            box = app.screen.query_one(widget)
            region = box.region
            assert region.width >= 20 and 0 <= region.y < 12, (widget, region)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is main
        main.action_kwic()
        await settle(pilot, app)
        assert isinstance(app.screen, KwicScreen)
        assert app.screen.query_one("#kwic-list").region.height >= 3


async def test_user_data_is_created_on_first_use_only(make_app, settle) -> None:
    import os

    from index.userdata import data_root

    app = make_app()
    root = data_root()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, app, "quokka", settle)
        await pilot.press("tab")  # browsing is not "meaning" a query
        await settle(pilot, app)
        assert not root.exists() or not any(root.rglob("*.sqlite3"))
        await pilot.press("m")
        await settle(pilot, app)
        names = sorted(p.name for p in root.rglob("*.sqlite3"))
        assert names == ["marks.sqlite3"], names
        await pilot.press("slash")
        await pilot.press("enter")
        await settle(pilot, app)
    names = sorted(p.name for p in root.rglob("*.sqlite3"))
    assert names == ["history.sqlite3", "marks.sqlite3"], names
    assert os.environ["DOSSIER_DATA"] == str(root)


async def test_a_locked_marks_database_turns_marks_off_in_one_line(
        make_app, settle, corpus_env, monkeypatch) -> None:
    import sqlite3

    import index.marks
    from index.marks import Marks, marks_path

    path = marks_path([corpus_env["corpus"]])
    Marks(path).close()
    monkeypatch.setattr(index.marks, "BUSY_TIMEOUT", 0.3)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another dossier in the middle of a long write
    app = make_app()
    toasts = record_toasts(app)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await type_query(pilot, app, "quokka", settle)
            assert app.main_screen.keeper.usable  # WAL: opening and reading still work
            await pilot.press("enter", "m")
            await settle(pilot, app)
            locked = [m for m in toasts if "database is locked" in m]
            assert len(locked) == 1 and "\n" not in locked[0], notes(app)
            assert locked[0].startswith("bookmarks and tags are off: ")
            assert not app.main_screen.keeper.usable  # off for the rest of the session
            other.execute("ROLLBACK")
            await pilot.press("m")
            await settle(pilot, app)
            assert sum("database is locked" in m for m in toasts) == 2
            assert app.main_screen.result.total == 3  # searching goes on
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()
    assert Marks(path).marks() == []  # nothing half-written
