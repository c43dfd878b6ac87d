"""The TUI as a newcomer meets it (issue 15): the first keys work, rows never wrap,
the preview never goes stale, the footer and the help fit 80x24."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.widgets import search_bar
from tui.widgets.facets import FacetsPane
from tui.widgets.results_list import ResultsList
from tui.widgets.search_bar import SearchBar, still_typing
from tui.widgets.source_view import ArticleBody, SourceView
from tui.widgets.status_line import StatusLine
from tui.widgets.timeline import TimelinePane

CITIES = ["Graz", "Linz", "Wels", "Steyr", "Krems", "Villach", "Dornbirn", "Leoben",
          "Tulln", "Baden", "Hallein", "Lienz", "Zwettl"]
N_ONE_LINERS = 130


def one_liner(i: int) -> str:
    """A one-line article without a headline, like many exported news files."""
    city = CITIES[i % len(CITIES)]
    return (f"Der Gemeinderat von {city} hat am Dienstag mit knapper Mehrheit beschlossen, "
            f"das Hallenbad Nummer {i} bis zum Herbst zu sanieren und die Eintrittspreise "
            f"nicht zu erhöhen. Die Opposition kritisierte die Kosten von {i + 3} Millionen "
            f"Euro. Im Frühjahr soll der Umbau beginnen, sagte die Bürgermeisterin.")


@pytest.fixture(scope="module")
def many_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """130 one-line articles: enough hits for a scrollbar at 80x24 and a second page."""
    from index.build import build_index

    base = tmp_path_factory.mktemp("dossier_many")
    corpus = base / "corpus"
    corpus.mkdir()
    for i in range(N_ONE_LINERS):
        (corpus / f"meldung_{i:03d}.txt").write_text(one_liner(i) + "\n", "utf-8")
    index_dir = base / "index"
    build_index([corpus.resolve()], index_dir)
    return {"corpus": corpus.resolve(), "index": index_dir}


@pytest.fixture
def make_many(many_env: dict[str, Path]):
    from tui.app import DossierApp

    def make(query: str = "") -> DossierApp:
        return DossierApp([many_env["corpus"]], many_env["index"], query)

    return make


def status(app) -> str:  # noqa: ANN001
    return str(app.screen_stack[0].query_one(StatusLine).render())


def footer_keys(app) -> list[FooterKey]:  # noqa: ANN001
    return list(app.screen.query(FooterKey))


# -- 1. help and quit from where focus starts -------------------------------------------


async def test_question_mark_in_the_empty_search_box_opens_help(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.focused, Input)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        assert "query error" not in status(app)
        # Inside a query ? is a character.
        await pilot.press("a", "question_mark")
        assert app.screen.query_one(SearchBar).input.value == "a?"
        assert isinstance(app.screen, MainScreen)


async def test_esc_leaves_the_search_box_to_the_results_and_q_quits(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.focused, Input)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, ResultsList)
        await pilot.press("escape")  # the results are home: a second Esc stays there
        await pilot.pause()
        assert isinstance(app.focused, ResultsList)
        assert app.screen.query_one(SearchBar).input.value == ""
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


# -- 2. rows are laid out for the width they are drawn in ---------------------------------


@pytest.mark.parametrize("query", ["", "Hallenbad"])
async def test_rows_stay_two_lines_when_the_scrollbar_appears(make_many, settle,
                                                              query: str) -> None:
    app = make_many(query)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        results = app.screen.query_one(ResultsList)
        assert len(results.hits) == 100 and results.show_vertical_scrollbar
        # Every hit is two lines: a title cut for a width without the scrollbar would
        # wrap to a third line and push the snippet out.
        assert results.virtual_size.height == 2 * len(results.hits)
        check_rows(results)
        await pilot.resize_terminal(100, 30)
        await settle(pilot, app)
        assert results.virtual_size.height == 2 * len(results.hits)
        check_rows(results)


def check_rows(results: ResultsList) -> None:
    """What the list draws: each hit's first line is its date and title, cut with "…",
    and the second its passage (indented), not the rest of a wrapped title."""
    width = results.scrollable_content_region.width
    for y in range(0, results.scrollable_content_region.height - 1, 2):
        head, passage = results.render_line(y).text, results.render_line(y + 1).text
        assert head.startswith("undated ") and head.rstrip().endswith("…"), head
        assert passage.startswith("  ") and passage.strip(), passage
        assert results.render_line(y).cell_length <= width


# -- 3. the wide preview shows the highlighted hit of the current results -----------------


async def test_wide_preview_follows_the_results_after_zero_hits(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press(*"Amazon")
        await settle(pilot, app)
        preview = app.screen.query_one("#preview", SourceView)
        first = app.screen.selected
        assert preview.article is not None and preview.article.doc_id == first.doc_id
        await pilot.press("q")
        await settle(pilot, app)
        assert preview.article is None  # "no matches"
        await pilot.press("backspace")
        await settle(pilot, app)
        assert app.screen.selected.doc_id == first.doc_id  # the same top hit
        assert preview.article is not None and preview.article.doc_id == first.doc_id
        assert preview.spans
        await pilot.press("enter", "enter")
        await settle(pilot, app)
        assert isinstance(app.focused, ArticleBody)
        before = preview.current
        await pilot.press("n")
        assert preview.current == (before + 1) % len(preview.spans)


# -- 4. typing a phrase --------------------------------------------------------------------


def test_still_typing_closes_what_is_open_at_the_end() -> None:
    assert still_typing('"einstweilige Verf') == '"einstweilige Verf"'
    assert still_typing("(Klage OR Verf") == "(Klage OR Verf)"
    assert still_typing('date:[2021-01-01 TO 2021') == "date:[2021-01-01 TO 2021]"
    assert still_typing('(a "b c') == '(a "b c")'
    assert still_typing('"a b" c') is None
    assert still_typing("a ) b") is None  # a stray closer is an error, not typing


async def test_typing_a_phrase_shows_no_error_and_searches_the_words_so_far(
        make_app, settle, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(search_bar, "SETTLE", 3600.0)  # the pause never comes here
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"quokka")
        await settle(pilot, app)
        results = app.screen.query_one(ResultsList)
        top = results.region.y
        bar = app.screen.query_one(SearchBar)
        for key in ' "rangers said':
            await pilot.press(key)
            await settle(pilot, app)
            assert not bar.has_class("-error"), key
            assert results.region.y == top, key  # no line appears: the list stays put
        assert "1 of 1 hit" in status(app)  # the phrase so far found the English article
        await pilot.press("enter")  # submitted as it is: now the error shows
        await settle(pilot, app)
        assert bar.has_class("-error")
        assert "quote" in str(bar.query_one("#search-error").render())


async def test_a_phrase_left_unclosed_shows_its_error_after_the_pause(
        make_app, settle, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(search_bar, "SETTLE", 0.01)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*'quokka "rangers')
        await settle(pilot, app)
        bar = app.screen.query_one(SearchBar)
        assert bar.has_class("-error") and isinstance(app.focused, Input)


# -- 5. help fits 80x24 in two pages, with its own footer ---------------------------------


async def test_help_fits_80x24_in_two_pages_with_its_own_footer(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        scroll = app.screen.query_one("#help-scroll")
        assert scroll.virtual_size.height <= 2 * scroll.size.height
        descriptions = [k.description for k in footer_keys(app)]
        assert "Close help" in descriptions and "Open" not in descriptions
        await pilot.press("space")
        await pilot.pause()
        assert scroll.scroll_offset.y > 0
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


# -- 6. footer and timeline legend fit -----------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
async def test_footer_fits_in_every_pane(make_app, settle, size) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press(*"quokka")
        await settle(pilot, app)
        screen = app.screen
        panes = [screen.query_one(SearchBar).input, screen.query_one(ResultsList),
                 screen.query_one(TimelinePane)]
        if size[0] < 100:
            await pilot.press("escape", "f")
        panes.append(screen.query_one(FacetsPane))
        if size[0] >= 140:
            panes.append(screen.query_one(ArticleBody))
        screen.set_filter(dt.date(2020, 1, 1), dt.date(2021, 12, 31))  # "x Clear dates" too
        for pane in panes:
            screen._focus_pane(pane)
            await settle(pilot, app)
            keys = footer_keys(app)
            assert sum(k.region.width for k in keys) <= size[0], pane
            assert all(k.region.right <= size[0] for k in keys), pane
            shown = [k.description for k in keys]
            assert "palette" in shown and ("Help" in shown or isinstance(pane, Input)), shown


async def test_timeline_header_fits_and_says_what_a_full_bar_counts(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Perth")  # one dated hit among five dated articles
        await settle(pilot, app)
        pane = app.screen.query_one(TimelinePane)
        app.screen.set_granularity("year")
        await settle(pilot, app)
        header = pane.render().split("\n")[0]
        assert header.cell_length <= pane.content_region.width
        assert not header.plain.endswith("…")
        # 2020: one hit of one article, drawn against 2021's four: a full bar is four.
        assert "full bar 4" in header.plain


# -- 7. state changes are not toasts; one toast at a time ---------------------------------


async def test_state_changes_show_in_the_status_line_not_in_toasts(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press(*"quokka")
        await settle(pilot, app)
        screen = app.screen
        screen._focus_pane(screen.query_one(TimelinePane))
        await settle(pilot, app)
        await pilot.press("t", "t", "t")
        await settle(pilot, app)
        assert len(app._notifications) == 0
        assert "month" in pane_header(app)  # auto → day → week → month, in the header
        await pilot.press("enter")  # filter to the cursor's period
        await settle(pilot, app)
        assert len(app._notifications) == 0 and "x clears" in status(app)
        await pilot.press("x")
        await settle(pilot, app)
        assert len(app._notifications) == 0 and "x clears" not in status(app)
        screen._reindexed("1 changed", False)
        assert "index updated" in status(app) and len(app._notifications) == 0
        for i in range(3):  # warnings are toasts, the newest replacing the last
            app.notify(f"warning {i}", severity="warning")
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["warning 2"]


def pane_header(app) -> str:  # noqa: ANN001
    return app.screen_stack[0].query_one(TimelinePane).render().split("\n")[0].plain


# -- 8. did-you-mean: a key, in the articles' spelling ------------------------------------


async def test_tab_applies_the_did_you_mean_in_the_articles_spelling(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Rotnest")
        await settle(pilot, app)
        assert "0 hits" in status(app)
        assert "did you mean Rottnest? Tab" in status(app)
        await pilot.press("tab")
        await settle(pilot, app)
        assert app.screen.query_one(SearchBar).input.value == "Rottnest"
        assert "1 of 1 hit" in status(app)
        assert isinstance(app.focused, Input)  # the box keeps the focus: type on


# -- 9. G goes to the last of all hits; the list shows its position -----------------------


async def test_G_goes_to_the_last_of_all_hits_and_the_status_says_where(make_many,
                                                                       settle) -> None:
    app = make_many()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        results = app.screen.query_one(ResultsList)
        assert f"1 of {N_ONE_LINERS} hits" in status(app)
        await pilot.press("j", "j")
        assert f"3 of {N_ONE_LINERS} hits" in status(app)
        await pilot.press("G")
        await settle(pilot, app)
        assert len(results.hits) == N_ONE_LINERS
        assert results.highlighted == N_ONE_LINERS - 1
        assert f"{N_ONE_LINERS} of {N_ONE_LINERS} hits" in status(app)
        assert results.hits[-1].snippets  # the rows at the end got their passage too
        await pilot.press("g")
        assert results.highlighted == 0


# -- 10. files without a headline ---------------------------------------------------------


async def test_a_one_line_file_has_its_whole_first_sentence_as_title(make_many, settle) -> None:
    from tui.passage import clipboard_text

    app = make_many("Hallenbad")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        hit = app.screen.query_one(ResultsList).hits[0]
        sentence = one_liner(int(hit.path[8:11])).split(". ")[0]
        assert hit.title == sentence and "…" not in hit.title
        assert hit.snippets and not hit.snippets[0].text.startswith(sentence[:30])
        article = app.index.article(hit.doc_id)
        assert sentence in clipboard_text(article, 0).rsplit("\n— ", 1)[1]  # the citation


# -- 11. screenshot ----------------------------------------------------------------------


async def test_screenshot_is_saved_in_the_current_folder(make_app, settle, tmp_path,
                                                         monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no ~/Downloads, as on a server
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot, app)
        app.deliver_screenshot()
        await pilot.pause()
        saved = list(work.glob("*.svg"))
        assert len(saved) == 1 and saved[0].stat().st_size > 1000
        assert [str(saved[0]) in str(n.message) for n in app._notifications] == [True]


async def test_screenshot_in_an_unwritable_folder_goes_to_xdg_downloads(
        make_app, settle, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    import os

    if os.geteuid() == 0:
        pytest.skip("root writes everywhere: an unwritable folder cannot be made")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(locked)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.deliver_screenshot()
        await pilot.pause()
    assert list((tmp_path / "home" / "Downloads").glob("*.svg"))


# -- 12. NO_COLOR -------------------------------------------------------------------------


async def test_no_color_draws_no_colour_at_all(make_app, settle, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"quokka")
        await settle(pilot, app)
        styles = [seg.style for strip in app.screen._compositor.render_strips()
                  for seg in strip if seg.style is not None]
        assert styles
        for style in styles:
            for colour in (style.color, style.bgcolor):
                assert colour is None or colour.is_default, style
            assert not style.dim
        assert any(s.bold for s in styles) and any(s.underline for s in styles)  # matches
        # The cursor row of the results (screen line 2) is told apart by reverse alone.
        row = app.screen._compositor.render_strips()[2]
        assert all(seg.style.reverse for seg in row if seg.text.strip())


def test_help_text_is_short_lines() -> None:
    """Every help line fits 80 columns with its key column (nothing wraps twice)."""
    from tui.screens.help import help_text, parse, render_help

    lines = render_help(parse(help_text()), 77).split("\n", allow_blank=True)
    assert all(line.cell_length <= 77 for line in lines)
    assert cell_len("".join(x.plain for x in lines)) > 500


@pytest.mark.parametrize("width", [80, 160])
async def test_one_hit_among_many_articles_says_its_bar_is_one_hit(width: int) -> None:
    """Few hits get their own scale (else they would be one-eighth stubs): the header
    says a full █ is one hit, so a lone hit drawn full height does not read as a spike."""
    import datetime as dt

    from textual.app import App

    from index.results import Bucket, Timeline

    buckets = tuple(Bucket(dt.date(2021, m, 1), dt.date(2021, m, 28), f"2021-{m:02d}",
                           1 if m == 3 else 0, 40) for m in range(1, 13))
    timeline = Timeline("month", buckets, 0, 7, 1)

    class One(App[None]):
        def compose(self):  # noqa: ANN202
            yield TimelinePane(id="timeline")

    app = One()
    async with app.run_test(size=(width, 10)) as pilot:
        pane = app.query_one(TimelinePane)
        pane.auto = True
        pane.set_timeline(timeline)
        await pilot.pause()
        header = pane.render().split("\n")[0]
        assert header.cell_length <= pane.content_region.width
        assert "full █ 1 hit ░ 40" in header.plain
        assert "month (auto)" in header.plain or width < 100
