"""Escalating on the hierarchical ladder, its contacts, and the calls needing action."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from desk_tui.domain.classification import Level
from desk_tui.domain.escalation import AlertKind
from desk_tui.services import calls, escalation
from desk_tui.services.errors import InvalidInput, Refused, WrongState
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import EscalationSide, HistoryField
from desk_tui.store.models import CallHistory, EscalationContact
from tests.services.test_calls import register
from tests.world import MONDAY_9, World, at

H, M, L = Level.HOOG, Level.MIDDEN, Level.LAAG


def read(world: World, use_case: Callable[..., Any], **kwargs: Any) -> Any:
    with read_session(world.db) as session:
        return use_case(session=session, **kwargs)


def test_escalate_and_deescalate_with_a_reason_in_the_history(world):
    saved = register(world)
    up = world.write(calls.escalate, actor=world.agent, call_id=saved.id, level=2,
                     reason="Geen oplossing; leverancier reageert niet",
                     now=MONDAY_9 + timedelta(hours=1), version=saved.version)
    down = world.write(calls.escalate, actor=world.agent, call_id=saved.id, level=1,
                       reason="Leverancier is bezig", now=MONDAY_9 + timedelta(hours=2),
                       version=up.version)

    with read_session(world.db) as session:
        steps = session.execute(
            select(CallHistory.old_value, CallHistory.new_value, CallHistory.note)
            .where(CallHistory.field == HistoryField.ESCALATION_LEVEL)
            .order_by(CallHistory.at)
        ).all()
    assert down.version > up.version
    assert steps == [("0", "2", "Geen oplossing; leverancier reageert niet"),
                     ("2", "1", "Leverancier is bezig")]


def test_escalation_refusals(world):
    saved = register(world)
    step = dict(call_id=saved.id, now=MONDAY_9)
    with pytest.raises(InvalidInput) as no_reason:
        world.write(calls.escalate, actor=world.agent, level=1, reason=" ", **step)
    assert no_reason.value.field == "reason"
    with pytest.raises(InvalidInput, match="levels 0 to 5"):
        world.write(calls.escalate, actor=world.agent, level=6, reason="x", **step)
    with pytest.raises(WrongState, match="already at level 0"):
        world.write(calls.escalate, actor=world.agent, level=0, reason="x", **step)
    with pytest.raises(Refused, match=r"call\.escalate"):
        world.write(calls.escalate, actor=world.nobody, level=1, reason="x", **step)


def test_the_ladder_shows_the_sla_roles_and_the_named_contacts(world):
    with write_session(world.db) as session:
        session.add_all([
            EscalationContact(organisation_id=world.organisation.id, level=1,
                              side=EscalationSide.DEELNEMER, role_title="Contractmanager",
                              person_name="Carla Contract", phone="0228-360000"),
            EscalationContact(organisation_id=world.organisation.id, level=1,
                              side=EscalationSide.SERVICEDESK, role_title="Servicemanager",
                              person_name="Sem Service"),
        ])
    levels = read(world, escalation.ladder, actor=world.agent,
                  organisation_id=world.organisation.id)

    assert [level.level for level in levels] == [1, 2, 3, 4, 5]
    assert levels[0].participant_role == "contractmanager"
    assert [(c.side, c.name) for c in levels[0].contacts] == [
        (EscalationSide.DEELNEMER, "Carla Contract"), (EscalationSide.SERVICEDESK, "Sem Service"),
    ]
    assert levels[4].contacts == ()
    with pytest.raises(Refused):
        read(world, escalation.ladder, actor=world.contract_manager,
             organisation_id=world.organisation.id)


def test_calls_needing_action_warn_breach_and_ask_for_the_next_level(world):
    quiet = register(world, impact=L, urgency=L)  # P5: 2 h reaction, 10 days resolution
    urgent = register(world, impact=H, urgency=H)  # P1: level 1 due at once
    warned = register(world, impact=M, urgency=M)  # P3: reaction 30 min
    world.write(calls.take, actor=world.agent, call_id=quiet.id, now=MONDAY_9)

    now = MONDAY_9 + timedelta(minutes=25)  # 25 of warned's 30 reaction minutes
    found = {item.row.id: item for item in read(world, escalation.needing_action,
                                                  actor=world.agent, sla=world.sla, now=now)}

    assert quiet.id not in found
    assert found[urgent.id].alerts[0].kind is AlertKind.LEVEL_DUE
    assert AlertKind.REACTION_BREACHED in [a.kind for a in found[urgent.id].alerts]
    assert [a.kind for a in found[warned.id].alerts] == [AlertKind.REACTION_WARNING]
    first = read(world, escalation.needing_action, actor=world.agent, sla=world.sla, now=now)
    assert first[0].row.id == urgent.id  # a level due comes first

    world.write(calls.escalate, actor=world.agent, call_id=urgent.id, level=1,
                reason="P1: contractmanager gebeld", now=now)
    world.write(calls.take, actor=world.agent, call_id=urgent.id, now=now)
    later = {item.row.id: item for item in read(world, escalation.needing_action,
                                                  actor=world.agent, sla=world.sla,
                                                  now=at("2026-11-30 12:30"))}
    # 3.5 of its 4 hours used: a resolution warning, and level 1 is where it should be.
    assert [a.kind for a in later[urgent.id].alerts] == [AlertKind.RESOLUTION_WARNING]
