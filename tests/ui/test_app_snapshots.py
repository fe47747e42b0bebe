"""Snapshots of the main screens on a small database, frozen clock, two themes."""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from desk_tui.domain.classification import CallType, Level
from desk_tui.services import calls
from desk_tui.ui.screens.intake import IntakeScreen
from desk_tui.ui.screens.queue import QueueScreen
from desk_tui.ui.widgets.call_queue import CallQueue
from tests.services.test_calls import register
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.world import at

THEMES = ["desk-dark", "desk-light"]


def fill(world) -> None:
    register(world, now=at("2026-11-30 08:05"), subject="Telefonie balie 3 valt weg",
             impact=Level.HOOG, urgency=Level.HOOG)
    taken = register(world, now=at("2026-11-27 15:30"), subject="Scanner Burgerzaken traag",
                     impact=Level.MIDDEN, urgency=Level.MIDDEN)
    world.write(calls.take, actor=world.agent, call_id=taken.id, now=at("2026-11-27 15:40"))
    waiting = register(world, now=at("2026-11-26 10:00"), subject="Nieuwe muis gewenst",
                       call_type=CallType.SERVICEVERZOEK, impact=None, urgency=None)
    world.write(calls.take, actor=world.colleague, call_id=waiting.id,
                now=at("2026-11-26 10:30"))
    world.write(calls.pause, actor=world.colleague, call_id=waiting.id,
                now=at("2026-11-26 11:00"), reason="Wacht op budget")
    register(world, now=at("2026-11-30 09:50"), subject="[bold]Outlook[/] start niet",
             impact=Level.LAAG, urgency=Level.LAAG)


def quiet(app) -> None:
    for field in app.screen.query(Input):
        field.cursor_blink = False
    for area in app.screen.query(TextArea):
        area.cursor_blink = False


@pytest.mark.parametrize("theme", THEMES)
def test_queue_screen(snap_compare, ui_world, clock, theme):
    fill(ui_world)
    app = make_test_app(ui_world, clock, theme=theme, header_clock=False)

    async def loaded(pilot):
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen)
                       and bool(app.screen.query(CallQueue))
                       and len(app.screen.query_one(CallQueue).rows) == 4)
        quiet(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=APP_SIZE, run_before=loaded)


@pytest.mark.parametrize("theme", THEMES)
def test_intake_screen(snap_compare, ui_world, clock, theme):
    app = make_test_app(ui_world, clock, theme=theme, header_clock=False)

    async def typed(pilot):
        await wait_for(pilot, lambda: app.desk is not None and bool(app.screen.query(CallQueue)))
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen)
                       and app.screen.query_one("#categories").option_count > 0)
        quiet(app)
        await pilot.press(*"jans")
        await wait_for(pilot, lambda: not app.screen.query_one("#caller-hits").has_class("empty"))
        await pilot.press("enter", "enter", "enter", "2", "enter", *"Scanner werkt niet")
        await pilot.pause()

    assert snap_compare(app, terminal_size=APP_SIZE, run_before=typed)
