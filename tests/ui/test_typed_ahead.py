"""Keys typed right behind the key that opens a screen land on that screen, in order, as a
fast typist's keys do when they arrive in one read (posted with no pause between them)."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TabbedContent

from desk_tui.ui.screens.change_form import ChangeFormScreen
from desk_tui.ui.screens.changes import ChangesScreen
from desk_tui.ui.screens.cmdb import CmdbScreen
from desk_tui.ui.screens.reports import ReportsScreen
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_app_queue import loaded


def type_fast(app, keys: list[str]) -> None:
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_letters_behind_f4_go_into_the_cmdb_search(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and app.desk is not None)
        type_fast(app, ["f4", *"balie"])
        await wait_for(pilot, lambda: isinstance(app.screen, CmdbScreen)
                       and bool(app.screen.query("#ci-search-text")))
        field = app.screen.query_one("#ci-search-text", Input)
        await wait_for(pilot, lambda: field.value == "balie")
        assert app.focused is field


async def test_letters_behind_c_n_go_into_the_change_requester(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and app.desk is not None)
        type_fast(app, ["c", "n", *"jans"])
        await wait_for(pilot, lambda: isinstance(app.screen, ChangeFormScreen)
                       and bool(app.screen.query("#requester")))
        field = app.screen.query_one("#requester", Input)
        await wait_for(pilot, lambda: field.value == "jans")
        assert app.focused is field
        assert isinstance(app.screen_stack[-2], ChangesScreen)  # "n" went to the changes list


async def test_a_key_behind_r_picks_the_reports_tab(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and app.desk is not None)
        type_fast(app, ["R", "2"])
        await wait_for(pilot, lambda: isinstance(app.screen, ReportsScreen))
        tabs = app.screen.query_one(TabbedContent)
        await wait_for(pilot, lambda: tabs.active == "sla")
