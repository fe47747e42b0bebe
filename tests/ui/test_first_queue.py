"""The console paints the first queue before the desk has loaded, then hands over to it."""

from __future__ import annotations

import threading

from desk_tui.config import Settings
from desk_tui.services.desk import Desk
from desk_tui.services.first_queue import read_first_queue, sqlite_file
from desk_tui.ui.app import DeskApp
from desk_tui.ui.screens.queue import QueueScreen
from desk_tui.ui.widgets.call_queue import CallQueue
from tests.services.test_calls import register
from tests.ui.app_harness import APP_SIZE, wait_for
from tests.world import at


async def test_the_first_queue_is_shown_and_ticks_before_the_desk_is_there(ui_world, clock):
    register(ui_world, now=at("2026-11-30 09:00"))
    path = sqlite_file(str(ui_world.db.url))
    desk_may_load = threading.Event()

    def slow_desk() -> Desk:
        desk_may_load.wait(10)
        return Desk(ui_world.db, ui_world.sla, clock)

    app = DeskApp(
        Settings(), slow_desk, operator="agent",
        first_queue=lambda login: read_first_queue(path, login, sla=ui_world.sla, clock=clock),
    )
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        await wait_for(pilot, lambda: bool(screen.query(CallQueue))
                       and len(screen.query_one(CallQueue).rows) == 1)
        assert app.desk is None and app.sub_title == "Sanne de Vries (agent)"
        assert "Balieprinter" in screen.query_one(CallQueue).render_line(1).text
        assert screen.check_action("intake", ()) is None  # needs the desk
        await pilot.press("m")  # a filter set before the desk is there ...
        desk_may_load.set()
        await wait_for(pilot, lambda: app.desk is not None)
        # ... is applied by the desk: the call is nobody's yet.
        await wait_for(pilot, lambda: screen.query_one(CallQueue).rows == [])
        assert len(screen.query(CallQueue)) == 1


async def test_the_queue_gets_the_desk_when_help_was_opened_before_it_loaded(ui_world, clock):
    register(ui_world, now=at("2026-11-30 09:00"))
    desk_may_load = threading.Event()

    def slow_desk() -> Desk:
        desk_may_load.wait(10)
        return Desk(ui_world.db, ui_world.sla, clock)

    app = DeskApp(Settings(), slow_desk, operator="agent")
    async with app.run_test(size=APP_SIZE) as pilot:
        queue_screen = app.screen
        assert isinstance(queue_screen, QueueScreen)
        await pilot.press("f1")  # help on top while the desk still loads
        await wait_for(pilot, lambda: app.screen is not queue_screen)
        desk_may_load.set()
        await wait_for(pilot, lambda: app.desk is not None)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is queue_screen)
        await wait_for(pilot, lambda: len(queue_screen.query_one(CallQueue).rows) == 1)
        assert queue_screen.check_action("intake", ()) is True


async def test_a_first_queue_read_before_the_app_started_is_taken_on_mount(ui_world, clock):
    """The preload is usually done before Textual is: the screen gets the rows on mount, on
    the UI thread (it only hands over what was read), and the worker does not read again;
    the desk loads only once the rows are on screen."""
    register(ui_world, now=at("2026-11-30 09:00"))
    first = read_first_queue(sqlite_file(str(ui_world.db.url)), "agent", sla=ui_world.sla,
                             clock=clock)
    assert first is not None
    reads: list[bool] = []  # per read: on the UI thread?

    def reader(login: str):
        reads.append(threading.current_thread() is threading.main_thread())
        return first

    app = DeskApp(Settings(), lambda: Desk(ui_world.db, ui_world.sla, clock), operator="agent",
                  first_queue=reader, first_queue_ready=lambda login: login == "agent")
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        assert reads == [True]
        assert len(screen.query_one(CallQueue).rows) == 1
        await wait_for(pilot, lambda: app.desk is not None)
        assert reads == [True]


async def test_no_first_queue_on_mount_means_no_wait_for_its_paint(ui_world, clock, monkeypatch):
    """Read on mount but nothing to show (a PIN to ask, say): the desk loads at once."""
    from desk_tui.ui import app as app_module

    monkeypatch.setattr(app_module, "FIRST_PAINT_WAIT_SECONDS", 60.0)
    app = DeskApp(Settings(), lambda: Desk(ui_world.db, ui_world.sla, clock), operator="agent",
                  first_queue=lambda login: None, first_queue_ready=lambda login: True)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: app.desk is not None)
