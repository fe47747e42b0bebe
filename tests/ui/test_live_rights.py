"""A running console follows role changes (issue 9): a right revoked with `desk role
revoke` stops working within seconds, and the footer and palette no longer offer it;
granted again, it comes back. No restart."""

from __future__ import annotations

import time

import pytest
from textual.widgets._footer import FooterKey

from desk_tui.cli import main
from desk_tui.services.access import Action
from desk_tui.store.engine import write_session
from desk_tui.store.enums import OperatorRole
from desk_tui.store.models import Operator
from desk_tui.ui.screens.intake import IntakeScreen
from desk_tui.ui.screens.queue import QueueScreen
from tests.services.test_cmdb_write import add_operator
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_app_queue import loaded

FEW_SECONDS = 5.0


def footer(app) -> dict[str, bool]:
    """The footer's keys now: action -> enabled."""
    return {key.action: not key._disabled for key in app.screen.query(FooterKey)}


@pytest.fixture
def admin_cli(ui_world, monkeypatch):
    """`desk` on the console's database as an administrator: another process's view."""
    add_operator(ui_world, "beheer", OperatorRole.ADMINISTRATOR)
    monkeypatch.setenv("DESK_DATABASE_URL", str(ui_world.db.url))
    return lambda *args: main(["--operator", "beheer", *args])


async def test_a_revoked_right_stops_working_while_the_console_runs(ui_world, clock, admin_cli):
    app = make_test_app(ui_world, clock, language="en")
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and app.actor is not None
                       and app.desk is not None)
        queue = app.screen
        assert queue.check_action("intake", ()) is True and "n" in queue.active_bindings
        await wait_for(pilot, lambda: footer(app).get("intake") is True)

        assert admin_cli("role", "revoke", "agent", "call.register") == 0
        started = time.monotonic()
        await wait_for(pilot, lambda: not app.actor.may(Action.CALL_REGISTER),
                       timeout=FEW_SECONDS)
        assert time.monotonic() - started < FEW_SECONDS
        # The footer and the command palette (both ask check_action) no longer offer it.
        assert queue.check_action("intake", ()) is False
        assert "n" not in queue.active_bindings
        await wait_for(pilot, lambda: "intake" not in footer(app))
        await pilot.press("n")
        await pilot.pause(0.2)
        assert isinstance(app.screen, QueueScreen)
        notices = [(n.title, n.message) for n in app._notifications]
        assert ("Your rights changed", "no longer: call.register") in notices
        assert app.actor.may(Action.CALL_TAKE)  # the rest stays

        assert admin_cli("role", "grant", "agent", "call.register") == 0
        await wait_for(pilot, lambda: app.actor.may(Action.CALL_REGISTER), timeout=FEW_SECONDS)
        await wait_for(pilot, lambda: footer(app).get("intake") is True)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen))


async def test_an_operator_made_inactive_loses_every_right_at_once(ui_world, clock):
    app = make_test_app(ui_world, clock, language="en")
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and app.actor is not None
                       and app.desk is not None)
        with write_session(ui_world.db) as session:
            session.get(Operator, ui_world.agent.id).active = False
        await wait_for(pilot, lambda: not app.actor.active, timeout=FEW_SECONDS)
        assert app.actor.grants == frozenset()
        assert app.screen.check_action("take", ()) is False
        await pilot.press("n")
        await pilot.pause(0.2)
        assert isinstance(app.screen, QueueScreen)


async def test_the_footer_offers_only_what_the_rights_allow_once_connected(ui_world, clock):
    """An administrator may not register or take calls: the footer, drawn before the
    rights were read, drops those keys once they are known."""
    from desk_tui.config import Settings
    from desk_tui.ui.app import make_app

    add_operator(ui_world, "beheer", OperatorRole.ADMINISTRATOR)
    # As `desk` starts: the first queue is painted from the file before the desk loads.
    app = make_app(Settings(database_url=str(ui_world.db.url), language="en"),
                   operator="beheer", clock=clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and app.desk is not None, timeout=20)
        await wait_for(pilot, lambda: footer(app).get("cmdb") is True)
        await pilot.pause(0.2)
        assert "intake" not in footer(app) and "take" not in footer(app)
