"""Viewing a person's data is logged (SPEC 11, issue 9): picking the caller at intake and
a requester in the change form are audited reads; the type-ahead's keystrokes are not."""

from __future__ import annotations

import json

from sqlalchemy import select

from desk_tui.store.models import AuditEntry
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_change_form import open_form, pick_requester
from tests.ui.test_intake import open_intake


def reads(world) -> list[tuple[str, str, str]]:
    """(who, whose row, what was viewed) of every read in the audit log."""
    with world.db.connect() as connection:
        rows = connection.execute(
            select(AuditEntry.actor_login, AuditEntry.row_key, AuditEntry.detail)
            .where(AuditEntry.event == "read").order_by(AuditEntry.seq)
        ).all()
    return [(login, key, json.loads(detail)["viewed"]) for login, key, detail in rows]


async def test_picking_the_caller_at_intake_is_logged_once_not_per_keystroke(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*"jans")
        await wait_for(pilot, lambda: not screen.query_one("#caller-hits").has_class("empty"))
        await pilot.pause(0.2)
        assert reads(ui_world) == []  # names in the type-ahead: no read per keystroke
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(reads(ui_world)))
        assert reads(ui_world) == [("agent", str(ui_world.caller.id), "caller chosen at intake")]
        # Searching again and picking the same caller within 15 minutes adds nothing.
        screen.query_one("#caller").focus()
        await pilot.press("backspace", "s")
        await wait_for(pilot, lambda: not screen.query_one("#caller-hits").has_class("empty"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.state.caller is not None)
        await pilot.pause(0.2)
        assert len(reads(ui_world)) == 1


async def test_picking_a_change_requester_is_logged(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        form = await open_form(app, pilot)
        await pick_requester(pilot, form, "jans")
        await wait_for(pilot, lambda: bool(reads(ui_world)))
        assert reads(ui_world) == [("agent", str(ui_world.caller.id), "requester of a change")]
