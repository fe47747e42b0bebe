"""Snapshot of the call view of a security incident: the protocol pane under the SLA
clocks, one step done, the 72 hours to notify counting down (frozen clock)."""

from __future__ import annotations

from desk_tui.domain.classification import Level
from desk_tui.services.desk import Desk
from desk_tui.store.enums import BreachStep
from tests.services.test_calls import register
from tests.ui.app_harness import make_test_app
from tests.ui.test_call_p1 import open_call
from tests.world import at


def test_call_view_of_a_data_breach(snap_compare, ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 08:30"), impact=Level.HOOG,
                     urgency=Level.MIDDEN, subject="Mail met BSN's naar verkeerde ontvanger")
    desk = Desk(ui_world.db, ui_world.sla, lambda: at("2026-11-30 09:00"))
    desk.declare_breach(ui_world.agent, saved.id, at("2026-11-30 08:15"))
    desk.record_breach_step(ui_world.agent, saved.id, BreachStep.IDENTIFICATIE,
                            "Ontvanger en getroffen burgers vastgesteld")
    app = make_test_app(ui_world, clock, header_clock=False)

    async def open_it(pilot):
        await open_call(app, pilot, saved.id)

    assert snap_compare(app, terminal_size=(140, 42), run_before=open_it)
