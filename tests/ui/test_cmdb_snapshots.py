"""Snapshots of the CMDB screen, the expiry list, the contracts and one contract on a small
database, frozen clock, two themes."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from desk_tui.ui.screens.cmdb import CmdbScreen, RelationTree
from desk_tui.ui.screens.contracts import ContractScreen, ContractsScreen
from desk_tui.ui.screens.expiry import ExpiryScreen
from desk_tui.ui.widgets.ci_search import CiSearch
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_cmdb_screens import build_cmdb

THEMES = ["desk-dark", "desk-light"]


def quiet(app) -> None:
    for field in app.screen.query(Input):
        field.cursor_blink = False


@pytest.mark.parametrize("theme", THEMES)
def test_cmdb_screen(snap_compare, ui_world, clock, theme):
    cmdb = build_cmdb(ui_world)
    app = make_test_app(ui_world, clock, theme=theme, header_clock=False)

    async def browse(pilot):
        await wait_for(pilot, lambda: app.desk is not None)
        screen = CmdbScreen()
        await app.push_screen(screen)
        quiet(app)
        search = screen.query_one(CiSearch)
        await pilot.press(*"key2")
        await wait_for(pilot, lambda: search.shown_text == "key2" and bool(search.hits))
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.detail is not None)
        assert screen.detail.hit.id == cmdb.application
        tree = screen.query_one(RelationTree)
        server = next(node for node in tree.root.children if node.data.ci_id == cmdb.server)
        tree.move_cursor(server)
        await pilot.press("right")
        await wait_for(pilot, lambda: bool(server.children))
        await pilot.pause()

    assert snap_compare(app, terminal_size=APP_SIZE, run_before=browse)


@pytest.mark.parametrize("theme", THEMES)
def test_expiry_screen(snap_compare, ui_world, clock, theme):
    build_cmdb(ui_world)
    app = make_test_app(ui_world, clock, theme=theme, header_clock=False)

    async def sixty_days(pilot):
        await wait_for(pilot, lambda: app.desk is not None)
        screen = ExpiryScreen()
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.loaded_window == 30)
        await pilot.press("w")
        await wait_for(pilot, lambda: screen.loaded_window == 60)
        await pilot.pause()

    assert snap_compare(app, terminal_size=APP_SIZE, run_before=sixty_days)


@pytest.mark.parametrize("theme", THEMES)
def test_contracts_screen(snap_compare, ui_world, clock, theme):
    build_cmdb(ui_world)
    app = make_test_app(ui_world, clock, theme=theme, header_clock=False)

    async def listed(pilot):
        await wait_for(pilot, lambda: app.desk is not None)
        screen = ContractsScreen()
        await app.push_screen(screen)
        quiet(app)
        await wait_for(pilot, lambda: len(screen.shown) == 2)
        await pilot.pause()

    assert snap_compare(app, terminal_size=APP_SIZE, run_before=listed)


@pytest.mark.parametrize("theme", THEMES)
def test_contract_screen(snap_compare, ui_world, clock, theme):
    build_cmdb(ui_world)
    app = make_test_app(ui_world, clock, theme=theme, header_clock=False)

    async def opened(pilot):
        await wait_for(pilot, lambda: app.desk is not None)
        contracts = ContractsScreen()
        await app.push_screen(contracts)
        await wait_for(pilot, lambda: len(contracts.shown) == 2)
        await pilot.press("enter")  # the first: ending soon
        await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen)
                       and app.screen.detail is not None)
        await pilot.pause()

    assert snap_compare(app, terminal_size=APP_SIZE, run_before=opened)
