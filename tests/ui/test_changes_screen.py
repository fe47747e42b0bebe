"""Changes in the console: registered from a call in the change form, the caller as
requester (refusals shown with the rule), listed with a countdown, marked carried out."""

from __future__ import annotations

from sqlalchemy import select

from desk_tui.store.engine import read_session
from desk_tui.store.enums import ChangeStatus
from desk_tui.store.models import Change
from desk_tui.ui.screens.change_form import ChangeFormScreen
from desk_tui.ui.screens.changes import ChangesScreen
from desk_tui.ui.widgets.option_rows import OptionRows
from tests.services.test_calls import register
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_app_queue import loaded
from tests.ui.test_call_p1 import open_call
from tests.world import at


async def open_form(app, pilot) -> ChangeFormScreen:
    """W on the call: the form with the caller chosen and the kind list focused."""
    await pilot.press("W")
    await wait_for(pilot, lambda: isinstance(app.screen, ChangeFormScreen)
                   and app.screen.requester is not None)
    return app.screen


def changes(world) -> list[Change]:
    with read_session(world.db) as session:
        return list(session.execute(select(Change).order_by(Change.number)).scalars())


async def test_a_password_change_from_a_call_then_done_from_the_list(ui_world, clock):
    call = register(ui_world, now=at("2026-11-30 09:00"), subject="Wachtwoord verlopen")
    app = make_test_app(ui_world, clock)  # 10:00
    async with app.run_test(size=APP_SIZE) as pilot:
        await open_call(app, pilot, call.id)
        form = await open_form(app, pilot)
        assert form.requester is not None and form.requester.id == ui_world.caller.id
        await pilot.press(*"wachtwoord")  # the kind list has the focus
        await pilot.press("ctrl+s")  # the call's subject as title
        await wait_for(pilot, lambda: len(changes(ui_world)) == 1)
        [change] = changes(ui_world)
        assert (change.kind.value, change.title, change.call_id) == (
            "wachtwoord", "Wachtwoord verlopen", call.id)
        await pilot.press("escape")
        await wait_for(pilot, lambda: loaded(app))
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangesScreen)
                       and len(app.screen.rows) == 1)
        line = app.screen.query_one(OptionRows).render_line(0).text
        assert "0:15" in line and "W2026-000001" in line  # 15 minutes of work time left
        assert app.screen.check_action("complete", ()) is False  # agents do not carry out
    specialist = make_test_app(ui_world, clock, login="specialist")
    async with specialist.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(specialist))
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(specialist.screen, ChangesScreen)
                       and len(specialist.screen.rows) == 1)
        await pilot.press("x")
        await wait_for(pilot, lambda: not specialist.screen.rows)
    assert changes(ui_world)[0].status is ChangeStatus.UITGEVOERD


async def test_a_refused_personnel_request_shows_the_rule(ui_world, clock):
    call = register(ui_world, now=at("2026-11-30 09:00"), subject="Nieuwe collega")
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await open_call(app, pilot, call.id)
        form = await open_form(app, pilot)
        await pilot.press(*"in-dienst")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "geweigerd" in form.message)
        assert app.screen is form  # kept as typed, the rule quoted
    assert "Anouk Jansen is niet aangewezen" in form.message
    assert changes(ui_world)[0].status is ChangeStatus.GEWEIGERD
