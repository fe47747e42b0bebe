"""An administrator's console says when the daily privacy purge did not run; an agent's
does not (it is not theirs to act on)."""

from __future__ import annotations

import pytest

from desk_tui.services import privacy
from desk_tui.services.desk import Desk
from desk_tui.store.engine import write_session
from desk_tui.store.enums import OperatorRole
from tests.services.test_cmdb_write import add_operator
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_app_queue import loaded


@pytest.fixture
def looked(monkeypatch) -> list[str]:
    """The logins whose console read the purge status (so "no notice" is not vacuous)."""
    seen: list[str] = []
    read = Desk.purge_status

    def counting(self, actor, grace_months):
        status = read(self, actor, grace_months)
        seen.append(actor.login)
        return status

    monkeypatch.setattr(Desk, "purge_status", counting)
    return seen


def purge_notices(app) -> list[str]:
    return [n.message for n in app._notifications if n.title == "Privacy purge overdue"]


async def test_an_administrator_is_told_the_purge_never_ran(ui_world, clock):
    add_operator(ui_world, "beheer", OperatorRole.ADMINISTRATOR)
    app = make_test_app(ui_world, clock, login="beheer", language="en")
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: bool(purge_notices(app)))
        [message] = purge_notices(app)
        assert message.startswith("The privacy purge has never run.")
        assert "desk privacy purge" in message


async def test_no_warning_after_a_recent_run(ui_world, clock, looked):
    admin = add_operator(ui_world, "beheer", OperatorRole.ADMINISTRATOR)
    with write_session(ui_world.db) as session:
        privacy.purge(session=session, actor=admin, today=clock.now.date(), now=clock.now)
    app = make_test_app(ui_world, clock, login="beheer", language="en")
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: looked == ["beheer"])
        await pilot.pause(0.2)
        assert purge_notices(app) == []


async def test_an_agent_is_not_told(ui_world, clock, looked):
    app = make_test_app(ui_world, clock, language="en")
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and app.desk is not None)
        await pilot.pause(0.5)
        assert purge_notices(app) == [] and looked == []  # not even read: not theirs
