"""The facets pane: Enter on a source, a language or "undated" filters the query."""

from __future__ import annotations

from textual.widgets import Input

from tui.widgets.facets import FacetsPane, facet_term, toggle_term
from tui.widgets.results_list import ResultsList
from tui.widgets.search_bar import SearchBar


def query(app) -> str:  # noqa: ANN001
    return app.screen.query_one(SearchBar).value


def sources(app) -> set[str | None]:  # noqa: ANN001
    return {h.source for h in app.screen.query_one(ResultsList).hits}


async def focus_facets(pilot, app) -> FacetsPane:  # noqa: ANN001
    pane = app.screen.query_one(FacetsPane)
    for _ in range(5):
        if app.focused is pane:
            break
        await pilot.press("tab")
        await pilot.pause()
    assert app.focused is pane
    return pane


async def select(pilot, app, pane: FacetsPane, term: str, settle) -> None:  # noqa: ANN001
    await pilot.press("home")
    for _ in range(pane.option_count):
        option = pane.highlighted_option
        if option is not None and option.id == term:
            break
        await pilot.press("j")
    assert pane.highlighted_option is not None and pane.highlighted_option.id == term
    await pilot.press("enter")
    await settle(pilot, app)


def test_terms() -> None:
    assert facet_term("source", "Perth Herald") == 'source:"Perth Herald"'
    assert facet_term("source", 'Die "Zeit"') == 'source:"Die Zeit"'
    assert facet_term("lang", "en") == "lang:en"
    assert toggle_term("quokka", "lang:en") == "quokka lang:en"
    assert toggle_term("quokka lang:en", "lang:en") == "quokka"
    assert toggle_term("", "lang:en") == "lang:en"
    assert toggle_term("a OR b", "lang:en") == "(a OR b) lang:en"
    assert toggle_term('x source:"Perth Herald" y', 'source:"Perth Herald"') == "x y"


async def test_source_facet_toggles(make_app, settle) -> None:
    app = make_app("quokka")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot, app)
        assert len(sources(app)) > 1
        pane = await focus_facets(pilot, app)
        footer_keys = {b.binding.id for b in app.screen.active_bindings.values()
                       if b.binding.show}
        assert {"facets.toggle", "facets.back"} <= footer_keys
        await select(pilot, app, pane, 'source:"Perth Herald"', settle)
        assert 'source:"Perth Herald"' in query(app)
        assert app.focused is pane  # stays for the next filter
        assert sources(app) == {"Perth Herald"}
        assert "✓" in str(pane.get_option('source:"Perth Herald"').prompt)
        await pilot.press("enter")  # the cursor stays on it: again removes it
        await settle(pilot, app)
        assert query(app) == "quokka"
        assert len(sources(app)) > 1
        await pilot.press("escape")
        assert isinstance(app.focused, ResultsList)


async def test_lang_facet(make_app, settle) -> None:
    app = make_app("quokka")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot, app)
        pane = await focus_facets(pilot, app)
        await select(pilot, app, pane, "lang:en", settle)
        assert query(app) == "quokka lang:en"
        assert app.screen.query_text == "quokka lang:en"
        hits = app.screen.query_one(ResultsList).hits
        assert [h.title for h in hits] == ["Quokka sightings rise in Perth"]


async def test_month_facet_filters_by_month(make_app, settle) -> None:
    app = make_app("quokka")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot, app)
        pane = await focus_facets(pilot, app)
        await select(pilot, app, pane, "date:2021-03", settle)
        assert query(app) == "quokka date:2021-03"
        hits = app.screen.query_one(ResultsList).hits
        assert hits and all(h.date and h.date.strftime("%Y-%m") == "2021-03" for h in hits)


async def test_f_shows_and_focuses_facets_on_narrow(make_app, settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        pane = app.screen.query_one(FacetsPane)
        assert not pane.display
        await pilot.press("enter")  # to the results (f is a letter in the search box)
        await pilot.press("f")
        await pilot.pause()
        assert pane.display and app.focused is pane
        await select(pilot, app, pane, "lang:de", settle)
        assert query(app) == "lang:de"
        await pilot.press("f")  # hide again
        await pilot.pause()
        assert not pane.display and isinstance(app.focused, ResultsList)
        assert not isinstance(app.focused, Input)


async def test_hostile_source_shows_literally(make_app, settle) -> None:
    app = make_app("Quokka")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot, app)
        pane = app.screen.query_one(FacetsPane)
        term = 'source:"[b]Evil[/b] Source"'
        assert "[b]Evil[/b] Source" in str(pane.get_option(term).prompt)
        await focus_facets(pilot, app)
        await select(pilot, app, pane, term, settle)
        assert app.is_running
        assert sources(app) == {"[b]Evil[/b] Source"}
        lines = ["".join(seg.text for seg in pane.render_line(y))
                 for y in range(pane.size.height)]
        assert any("[b]Evil[/b]" in line for line in lines)  # markup shown, not applied


async def test_f_on_a_tiny_terminal(make_app, settle) -> None:
    app = make_app("quokka")
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot, app)
        await pilot.press("enter", "f")
        await pilot.pause()
        pane = app.screen.query_one(FacetsPane)
        assert app.focused is pane and pane.size.height > 3
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, ResultsList)


def test_help_documents_facets() -> None:
    from tui.screens.help import help_text

    text = help_text()
    assert "## Facets" in text and "date:undated" in text
