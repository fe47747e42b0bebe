"""The console asks an operator with a PIN for it before anything of the desk is shown."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select
from textual.widgets import Input, Static

from desk_tui.services.identity import hash_pin
from desk_tui.store.engine import write_session
from desk_tui.store.models import AuditEntry, Operator
from desk_tui.ui.screens.login import LoginScreen
from desk_tui.ui.screens.queue import QueueScreen
from desk_tui.ui.widgets.call_queue import CallQueue
from tests.services.test_calls import register
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.world import at

PIN = "4826"


def give_pin(world, login: str = "agent", pin: str = PIN) -> None:
    with write_session(world.db) as session:
        operator = session.execute(select(Operator).where(Operator.login == login)).scalar_one()
        operator.pin_hash = hash_pin(pin)


def message(app) -> str:
    return str(app.screen.query_one("#login-message", Static).render())


def rows_shown(app) -> int:
    """Calls listed on the queue screen, also while it is behind the login screen."""
    for screen in app.screen_stack:
        if isinstance(screen, QueueScreen) and screen.query(CallQueue):
            return len(screen.query_one(CallQueue).rows)
    return 0


async def type_pin(pilot, pin: str) -> None:
    await pilot.press(*pin, "enter")


async def test_the_pin_is_asked_before_any_call_is_shown_and_the_right_one_opens_the_queue(
    ui_world, clock,
):
    register(ui_world, now=at("2026-11-30 09:00"))
    give_pin(ui_world)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert app.desk is None and app.actor is None
        assert rows_shown(app) == 0  # the queue behind is empty: nothing read yet
        await pilot.press("n")  # the queue's "new call" key goes into the PIN field
        field = app.screen.query_one("#login-pin", Input)
        assert isinstance(app.screen, LoginScreen) and field.value == "n"
        assert field.password  # no echo
        field.value = ""
        await pilot.press("ctrl+p")  # no command palette before identification either
        assert isinstance(app.screen, LoginScreen)
        await type_pin(pilot, PIN)
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen) and rows_shown(app) == 1)
        assert app.sub_title == "Sanne de Vries (agent)"


async def test_a_wrong_pin_is_refused_on_screen_and_audited_then_locks_after_five(
    ui_world, clock,
):
    give_pin(ui_world)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        await type_pin(pilot, "1111")
        await wait_for(pilot, lambda: "verkeerde pincode" in message(app))
        assert "nog 4 keer verkeerd" in message(app)  # in Dutch, as the console speaks
        assert app.screen.query_one("#login-pin", Input).value == ""  # cleared, try again
        for _ in range(4):
            await type_pin(pilot, "1111")
            await wait_for(pilot, lambda: not app.screen.busy)
        assert "na 5 verkeerde pincodes geblokkeerd" in message(app)
        await type_pin(pilot, PIN)  # the right PIN, but locked: still refused
        await wait_for(pilot, lambda: not app.screen.busy)
        assert "geblokkeerd" in message(app) and app.desk is None
        clock.now += timedelta(minutes=15)  # the window has passed
        await type_pin(pilot, PIN)
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen) and app.desk)
    with ui_world.db.connect() as connection:
        reasons = [json.loads(d)["reason"] for d in connection.execute(
            select(AuditEntry.detail).where(AuditEntry.event == "refused",
                                            AuditEntry.actor_login == "agent")).scalars()]
    assert sum(r.startswith("wrong PIN") for r in reasons) == 4
    assert sum("locked" in r for r in reasons) == 2


async def test_an_operator_without_a_pin_on_their_own_file_goes_straight_to_the_queue(
    ui_world, clock,
):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: app.desk is not None)
        assert not app.query(LoginScreen)


def test_login_screen_snapshot(snap_compare, ui_world, clock):
    give_pin(ui_world)
    app = make_test_app(ui_world, clock, header_clock=False)

    async def refused(pilot):
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        app.screen.query_one("#login-pin", Input).cursor_blink = False
        await type_pin(pilot, "9999")
        await wait_for(pilot, lambda: "verkeerde pincode" in message(app))
        await pilot.press("1", "2")  # two characters typed: shown as dots
        await pilot.pause()

    assert snap_compare(app, terminal_size=APP_SIZE, run_before=refused)
