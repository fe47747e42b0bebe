"""Taking a call from the queue checks the version the row was read at: when a colleague
took it meanwhile, the operator is told and the queue shows who has it now."""

from __future__ import annotations

import pytest

from desk_tui.services import calls
from desk_tui.ui.screens.queue import QueueScreen
from desk_tui.ui.widgets.call_queue import CallQueue
from tests.services.test_calls import register
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.world import at


@pytest.fixture
def deaf(monkeypatch: pytest.MonkeyPatch) -> None:
    """No change watcher: the queue must not learn of the colleague's take before `t`."""
    monkeypatch.setattr("desk_tui.store.change_feed.ChangeWatcher.start", lambda self: None)


async def test_taking_a_call_a_colleague_took_meanwhile_is_refused(ui_world, clock, deaf):
    saved = register(ui_world, now=at("2026-11-30 09:00"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen)
                       and app.desk is not None and bool(app.screen.query(CallQueue))
                       and len(app.screen.query_one(CallQueue).rows) == 1)
        queue = app.screen.query_one(CallQueue)
        ui_world.write(calls.take, actor=ui_world.colleague, call_id=saved.id,
                       now=at("2026-11-30 09:50"))
        await pilot.press("t")
        await wait_for(pilot, lambda: bool(app._notifications))
        [notice] = list(app._notifications)
        assert notice.severity == "warning"
        assert "intussen door iemand anders gewijzigd" in notice.message
        await wait_for(pilot, lambda: queue.rows[0].handler == "Ruben Smit")


async def test_taking_a_call_nobody_else_touched_works(ui_world, clock, deaf):
    register(ui_world, now=at("2026-11-30 09:00"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen)
                       and app.desk is not None and bool(app.screen.query(CallQueue))
                       and len(app.screen.query_one(CallQueue).rows) == 1)
        queue = app.screen.query_one(CallQueue)
        await pilot.press("t")
        await wait_for(pilot, lambda: queue.rows[0].handler == "Sanne de Vries")
