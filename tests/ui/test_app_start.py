"""How the console starts: Python's garbage collector waits until the desk has loaded."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from desk_tui.config import Settings
from desk_tui.services.desk import Desk
from desk_tui.ui.app import DeskApp
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    """Whatever a test does, the rest of the run gets the collector as it was."""
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_held_while_the_desk_loads_and_runs_after(ui_world, clock):
    desk_may_load = threading.Event()

    def slow_desk() -> Desk:
        desk_may_load.wait(10)
        return Desk(ui_world.db, ui_world.sla, clock)

    app = DeskApp(Settings(), slow_desk, operator="agent")
    seen: dict[str, bool] = {}

    async def auto_pilot(pilot) -> None:
        seen["loading"] = gc.isenabled()
        desk_may_load.set()
        await wait_for(pilot, lambda: app.desk is not None)
        seen["loaded"] = gc.isenabled()
        seen["frozen"] = gc.get_freeze_count() > 0  # later collections skip start-up's heap
        app.exit()

    app.run(headless=True, size=APP_SIZE, auto_pilot=auto_pilot)
    assert seen == {"loading": False, "loaded": True, "frozen": True}
    assert gc.get_freeze_count() == 0  # once the console has ended, all of it may go


def test_a_failed_start_gives_the_collector_back(ui_world, clock):
    app = make_test_app(ui_world, clock, login="onbekend")
    seen: dict[str, bool] = {}

    async def auto_pilot(pilot) -> None:
        await wait_for(pilot, lambda: bool(app._notifications))
        seen["told"] = gc.isenabled()
        app.exit()

    app.run(headless=True, size=APP_SIZE, auto_pilot=auto_pilot)
    assert seen == {"told": True}
    assert gc.isenabled()


def test_desk_holds_the_collector_from_before_the_imports_until_loaded(ui_world, clock):
    from desk_tui.commands.console import prepare_textual

    prepare_textual()  # what `desk` calls before importing Textual
    assert not gc.isenabled()
    app = make_test_app(ui_world, clock)
    seen: dict[str, bool] = {}

    async def auto_pilot(pilot) -> None:
        await wait_for(pilot, lambda: app.desk is not None)
        seen["loaded"] = gc.isenabled()
        app.exit()

    app.run(headless=True, size=APP_SIZE, auto_pilot=auto_pilot)
    assert seen == {"loaded": True}
    assert gc.isenabled() and gc.get_freeze_count() == 0
