"""Automatic warnings: a call crossing its warning share or breaching a target is told as a
notification on any screen, once per crossing; the share comes from the settings."""

from __future__ import annotations

from desk_tui.config import Settings
from desk_tui.domain.escalation import EscalationPolicy
from desk_tui.services.desk import Desk
from desk_tui.ui.app import DeskApp
from tests.services.test_calls import register
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_app_queue import loaded
from tests.world import at


def notices(app) -> list[tuple[str, str, str]]:
    return [(str(n.title), n.message, n.severity) for n in app._notifications]


async def look(app, pilot) -> None:
    """One look, waited for (the timer's next look is 30 s away)."""
    assert app.alert_notices is not None
    app.alert_notices.look()
    await wait_for(pilot, lambda: not [w for w in app.workers if w.group == "alerts"
                                       and not w.is_finished])


async def test_a_warning_then_a_breach_each_told_once(ui_world, clock):
    call = register(ui_world, now=at("2026-11-30 09:00"))  # P2: reaction due 09:30
    clock.now = at("2026-11-30 09:10")  # a third used: nothing to tell
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and app.alert_notices is not None)
        await look(app, pilot)
        assert notices(app) == []
        clock.now = at("2026-11-30 09:25")  # 83 % of the half hour used
        await look(app, pilot)
        await wait_for(pilot, lambda: len(notices(app)) == 1)
        [(title, message, severity)] = notices(app)
        assert title == "Reactie bijna te laat" and severity == "warning"
        assert message.startswith(call.reference) and "ENK" in message and "P2" in message
        await look(app, pilot)
        await look(app, pilot)
        assert len(notices(app)) == 1  # not again on every look
        clock.now = at("2026-11-30 09:31")
        await look(app, pilot)
        await wait_for(pilot, lambda: len(notices(app)) == 2)
        title, _message, severity = notices(app)[1]
        assert title == "Reactie te laat" and severity == "error"


async def test_what_needed_action_at_the_start_is_not_told_what_crosses_later_is(
        ui_world, clock):
    for minute in (0, 1, 2):
        register(ui_world, now=at(f"2026-11-30 09:0{minute}"))  # reactions missed by 10:00
    later = register(ui_world, now=at("2026-11-30 09:50"))  # reaction due 10:20
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and app.alert_notices is not None)
        await wait_for(pilot, lambda: app.alert_notices.watch.looked)
        assert len(app.alert_notices.watch.seen) == 3 and notices(app) == []
        clock.now = at("2026-11-30 10:15")  # 25 of 30 minutes used
        await look(app, pilot)
        await wait_for(pilot, lambda: len(notices(app)) == 1)
        assert notices(app)[0][1].startswith(later.reference)


async def test_many_crossings_at_once_are_summed_up_after_five(ui_world, clock):
    for minute in range(7):
        register(ui_world, now=at(f"2026-11-30 09:{50 + minute}"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and app.alert_notices is not None)
        await look(app, pilot)
        clock.now = at("2026-11-30 11:00")  # all seven reactions missed
        await look(app, pilot)
        await wait_for(pilot, lambda: len(notices(app)) == 6)
        assert notices(app)[-1][1].startswith("…en nog 2")


async def test_the_warning_share_is_the_configured_one(ui_world, clock):
    register(ui_world, now=at("2026-11-30 09:00"))
    clock.now = at("2026-11-30 09:05")
    policy = EscalationPolicy(reaction_warning_share=0.3)
    app = DeskApp(Settings(escalation=policy),
                  lambda: Desk(ui_world.db, ui_world.sla, clock, policy), operator="agent")
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app) and app.alert_notices is not None)
        await look(app, pilot)
        clock.now = at("2026-11-30 09:10")  # a third used: past 30 %, far from 75 %
        await look(app, pilot)
        await wait_for(pilot, lambda: len(notices(app)) == 1)
