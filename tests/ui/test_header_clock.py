"""The header clock reads Amsterdam time (the SLA's zone), not the machine's (UTC on a server)."""

from __future__ import annotations

import pathlib
import time
from datetime import UTC, datetime

import pytest
from textual.widgets._header import HeaderClock

from desk_tui.ui.screens.queue import QueueScreen
from desk_tui.ui.widgets.call_queue import CallQueue
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for

SCREENS = pathlib.Path(__file__).parents[2] / "desk_tui" / "ui" / "screens"


@pytest.fixture
def utc_machine(monkeypatch: pytest.MonkeyPatch):
    """The machine's local zone is UTC, as on the server the console runs on."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(("utc", "amsterdam"), [
    (datetime(2026, 11, 30, 19, 5, 7, tzinfo=UTC), "20:05:07"),  # winter: UTC+1
    (datetime(2026, 7, 1, 6, 30, 0, tzinfo=UTC), "08:30:00"),  # summer: UTC+2
])
async def test_queue_header_clock_shows_amsterdam_time(utc_machine, ui_world, clock, utc,
                                                       amsterdam):
    clock.now = utc
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen)
                       and app.desk is not None and bool(app.screen.query(CallQueue)))
        header_clock = app.screen.query_one(HeaderClock)
        header_clock.time_format = "%H:%M:%S"
        assert str(header_clock.render()) == amsterdam


def test_every_screen_draws_the_amsterdam_header() -> None:
    """Textual's plain Header shows machine time: every screen uses DeskHeader instead."""
    for path in SCREENS.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "yield Header(" not in source, path.name



async def test_every_work_screen_shows_the_clock(ui_world, clock) -> None:
    """Changes, escalations, problems and the standby log had a header without it."""
    from desk_tui.ui.screens.changes import ChangesScreen
    from desk_tui.ui.screens.escalations import EscalationsScreen
    from desk_tui.ui.screens.problems import ProblemsScreen
    from desk_tui.ui.screens.standby import StandbyScreen

    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: app.desk is not None)
        for screen_class in (ChangesScreen, EscalationsScreen, ProblemsScreen, StandbyScreen):
            screen = screen_class()
            await app.push_screen(screen)
            await pilot.pause()
            assert screen.query(HeaderClock), screen_class.__name__
            await app.pop_screen()
