"""A security incident (data breach) runs the protocol of the data-processor statement;
the call cannot be closed with a step open; notification within 72 hours of discovery."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk_tui.domain.classification import CallType, Level
from desk_tui.services import calls, security
from desk_tui.services.calls import CallDraft
from desk_tui.services.desk import Desk
from desk_tui.services.errors import InvalidInput, Refused, WrongState
from desk_tui.store.enums import BreachStep
from tests.world import MONDAY_9, World


def _incident_call(world: World):
    return world.write(calls.register_call, actor=world.agent, now=MONDAY_9, draft=CallDraft(
        organisation_id=world.organisation.id, call_type=CallType.STORING,
        subject="USB-stick met cliëntgegevens kwijt", caller_id=world.caller.id,
        impact=Level.HOOG, urgency=Level.HOOG))


def _desk(world: World, now=MONDAY_9) -> Desk:
    return Desk(world.db, world.sla, lambda: now)


def test_declaring_opens_the_protocol_and_the_72_hour_clock(world: World) -> None:
    saved = _incident_call(world)
    discovered = MONDAY_9 - timedelta(hours=2)
    view = _desk(world).declare_breach(world.agent, saved.id, discovered)
    assert view.open_steps == (
        BreachStep.IDENTIFICATIE, BreachStep.INDAMMING, BreachStep.HERSTEL,
        BreachStep.KENNISGEVING, BreachStep.RAPPORTAGE)
    assert view.clock.due == discovered + timedelta(hours=72)
    assert view.clock.left(MONDAY_9) == timedelta(hours=70)
    with pytest.raises(WrongState, match="already"):
        _desk(world).declare_breach(world.agent, saved.id, discovered)


def test_each_step_is_recorded_with_who_and_when(world: World) -> None:
    saved = _incident_call(world)
    _desk(world).declare_breach(world.agent, saved.id, MONDAY_9)
    later = MONDAY_9 + timedelta(hours=5)
    view = _desk(world, later).record_breach_step(
        world.colleague, saved.id, BreachStep.KENNISGEVING, "Gemeld aan de FG van ENK")
    [notified] = [step for step in view.steps if step.step is BreachStep.KENNISGEVING]
    assert (notified.done_at, notified.done_by) == (later, "Ruben Smit")
    assert view.clock.state(later + timedelta(days=9)) == "notified"
    assert view.clock.left(later + timedelta(days=9)) == timedelta(hours=67)
    with pytest.raises(WrongState, match="already"):
        _desk(world, later).record_breach_step(world.colleague, saved.id,
                                               BreachStep.KENNISGEVING, "nog eens")
    with pytest.raises(InvalidInput):
        _desk(world, later).record_breach_step(world.colleague, saved.id,
                                               BreachStep.HERSTEL, "   ")


def test_the_call_is_not_closed_while_a_step_is_open(world: World) -> None:
    saved = _incident_call(world)
    desk = _desk(world)
    desk.declare_breach(world.agent, saved.id, MONDAY_9)
    world.write(calls.resolve, actor=world.agent, call_id=saved.id, now=MONDAY_9,
                solution="Stick teruggevonden")
    for step in list(BreachStep)[:-1]:
        desk.record_breach_step(world.agent, saved.id, step, f"{step.value} gedaan")
    with pytest.raises(WrongState, match="rapportage-evaluatie"):
        world.write(calls.close, actor=world.agent, call_id=saved.id, now=MONDAY_9,
                    agreed_with="Anouk Jansen")
    desk.record_breach_step(world.agent, saved.id, BreachStep.RAPPORTAGE, "Geëvalueerd")
    closed = world.write(calls.close, actor=world.agent, call_id=saved.id, now=MONDAY_9,
                         agreed_with="Anouk Jansen")
    assert closed.status.value == "gesloten"


def test_discovery_cannot_lie_in_the_future_and_the_right_is_needed(world: World) -> None:
    saved = _incident_call(world)
    with pytest.raises(InvalidInput, match="future"):
        _desk(world).declare_breach(world.agent, saved.id, MONDAY_9 + timedelta(minutes=1))
    with pytest.raises(Refused):
        _desk(world).declare_breach(world.contract_manager, saved.id, MONDAY_9)
    assert world.read(security.overview, actor=world.agent, call_id=saved.id) is None
