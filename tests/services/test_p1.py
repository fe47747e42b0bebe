"""Priority 1 (SLA 4.3.2): managers told at once, lowering or closing only in consultation,
and an evaluation tracked until it has been held."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from desk_tui.domain.classification import CallType, Level
from desk_tui.services import calls, p1
from desk_tui.services.errors import InvalidInput, Refused, WrongState
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.models import CallHistory, Organisation, OutboxMessage, Person
from tests.services.test_calls import register
from tests.world import MONDAY_9, World

H, M, L = Level.HOOG, Level.MIDDEN, Level.LAAG


@pytest.fixture
def managed(world: World) -> World:
    """The organisation names a contract manager (with mail) and an information manager
    (without)."""
    with write_session(world.db) as session:
        contract = Person(organisation_id=world.organisation.id, name="Carla Contract",
                          email="c.contract@enkhuizen.example")
        information = Person(organisation_id=world.organisation.id, name="Ivo Info")
        session.add_all([contract, information])
        session.flush()
        organisation = session.get(Organisation, world.organisation.id)
        organisation.contract_manager_id = contract.id
        organisation.information_manager_id = information.id
    return world


def write(world: World, use_case: Callable[..., Any], **kwargs: Any) -> Any:
    with write_session(world.db) as session:
        return use_case(session=session, **kwargs)


def notices(world: World) -> list[OutboxMessage]:
    with read_session(world.db) as session:
        return list(session.execute(
            select(OutboxMessage).where(OutboxMessage.dedupe_key.startswith("p1-notice:"))
            .order_by(OutboxMessage.recipient)
        ).scalars())


def test_a_p1_notifies_both_managers_at_registration_and_opens_an_evaluation(managed):
    saved = register(managed, impact=H, urgency=H)

    mails = notices(managed)
    assert saved.priority == 1
    assert [mail.recipient for mail in mails] == ["", "c.contract@enkhuizen.example"]
    assert "Prioriteit 1" in mails[1].subject and saved.reference in mails[1].subject
    assert "Gemeente Enkhuizen" in mails[1].body and "Carla Contract" in mails[1].body
    shown = managed.read(p1.overview, actor=managed.agent, call_id=saved.id)
    assert sorted((n.recipient, n.state) for n in shown.notices) == [
        ("Carla Contract", "pending"), ("Ivo Info", "pending"),
    ]
    assert shown.evaluation is not None and shown.evaluation.held_at is None
    assert [e.reference for e in managed.read(p1.open_evaluations, actor=managed.agent)] == [
        saved.reference
    ]


def test_a_lower_priority_gets_neither_notice_nor_evaluation(managed):
    saved = register(managed, impact=M, urgency=H)

    assert saved.priority == 2
    assert notices(managed) == []
    assert managed.read(p1.overview, actor=managed.agent, call_id=saved.id).evaluation is None


def test_raising_a_call_to_p1_notifies_once_even_when_raised_again(managed):
    saved = register(managed, impact=M, urgency=H)

    raised = managed.write(calls.reclassify, actor=managed.agent, call_id=saved.id,
                           now=MONDAY_9 + timedelta(minutes=5), call_type=CallType.STORING,
                           impact=H, urgency=H, version=saved.version)
    lowered = managed.write(calls.reclassify, actor=managed.agent, call_id=saved.id,
                            now=MONDAY_9 + timedelta(minutes=9), call_type=CallType.STORING,
                            impact=M, urgency=H, version=raised.version,
                            agreed_with="Carla Contract")
    managed.write(calls.reclassify, actor=managed.agent, call_id=saved.id,
                  now=MONDAY_9 + timedelta(minutes=12), call_type=CallType.STORING,
                  impact=H, urgency=H, version=lowered.version)

    assert raised.priority == 1
    assert len(notices(managed)) == 2  # one per manager, not one per raise


def test_lowering_a_p1_needs_who_agreed_and_records_it(managed):
    saved = register(managed, impact=H, urgency=H)
    lower = dict(actor=managed.agent, call_id=saved.id, now=MONDAY_9 + timedelta(hours=1),
                 call_type=CallType.STORING, impact=M, urgency=H, version=saved.version)

    with pytest.raises(InvalidInput) as refused:
        managed.write(calls.reclassify, **lower, agreed_with="   ")
    assert refused.value.field == "agreed_with"
    lowered = managed.write(calls.reclassify, **lower, note="functie deels terug",
                            agreed_with="Carla Contract")

    assert lowered.priority == 2
    with read_session(managed.db) as session:
        note = session.execute(
            select(CallHistory.note).where(CallHistory.call_id == saved.id,
                                           CallHistory.old_value == "1")
        ).scalar_one()
    assert note == "functie deels terug — in overleg met Carla Contract"


def test_closing_a_p1_needs_who_agreed(managed):
    saved = register(managed, impact=H, urgency=H)
    resolved = managed.write(calls.resolve, actor=managed.agent, call_id=saved.id,
                             now=MONDAY_9 + timedelta(hours=2), solution="Server herstart")
    close = dict(actor=managed.agent, call_id=saved.id, now=MONDAY_9 + timedelta(hours=3),
                 version=resolved.version)

    with pytest.raises(InvalidInput, match="consultation"):
        managed.write(calls.close, **close)
    closed = managed.write(calls.close, **close, agreed_with="Ivo Info")

    assert closed.status.value == "gesloten"


def test_the_evaluation_is_planned_then_held_and_leaves_the_open_list(managed):
    saved = register(managed, impact=H, urgency=H)
    when = MONDAY_9 + timedelta(days=3)

    planned = write(managed, p1.plan_evaluation, actor=managed.agent, call_id=saved.id,
                                  planned_for=when, with_whom="Carla Contract", now=MONDAY_9)
    with pytest.raises(InvalidInput, match="before it is held"):
        write(managed, p1.record_evaluation, actor=managed.agent, call_id=saved.id,
                            held_at=when, summary="x", now=MONDAY_9)
    held = write(managed, p1.record_evaluation, actor=managed.agent, call_id=saved.id,
                               held_at=when, summary="Oorzaak: [b]firmware[/b]",
                               now=when + timedelta(hours=1))

    assert (planned.planned_for, planned.with_whom) == (when, "Carla Contract")
    assert held.summary == "Oorzaak: [b]firmware[/b]"
    assert managed.read(p1.open_evaluations, actor=managed.agent) == []
    with pytest.raises(WrongState, match="already been held"):
        write(managed, p1.plan_evaluation, actor=managed.agent, call_id=saved.id,
                            planned_for=when, with_whom="Ivo", now=when)


def test_only_a_p1_has_an_evaluation_and_only_desk_roles_record_it(managed):
    ordinary = register(managed, impact=L, urgency=L)
    urgent = register(managed, impact=H, urgency=H)

    with pytest.raises(WrongState, match="only a priority 1"):
        write(managed, p1.plan_evaluation, actor=managed.agent, call_id=ordinary.id,
                            planned_for=MONDAY_9, with_whom="Carla", now=MONDAY_9)
    with pytest.raises(Refused, match=r"p1\.evaluate"):
        write(managed, p1.plan_evaluation, actor=managed.nobody, call_id=urgent.id,
                            planned_for=MONDAY_9, with_whom="Carla", now=MONDAY_9)


def test_planning_and_holding_the_evaluation_are_in_the_calls_history(managed):
    saved = register(managed, impact=H, urgency=H)
    write(managed, p1.plan_evaluation, actor=managed.agent, call_id=saved.id,
          planned_for=MONDAY_9 + timedelta(days=3), with_whom="Carla Contract", now=MONDAY_9)
    write(managed, p1.record_evaluation, actor=managed.agent, call_id=saved.id,
          held_at=MONDAY_9 + timedelta(days=3), summary="Goed verlopen",
          now=MONDAY_9 + timedelta(days=3, hours=1))
    with pytest.raises(WrongState, match="already been held"):
        write(managed, p1.record_evaluation, actor=managed.agent, call_id=saved.id,
              held_at=MONDAY_9 + timedelta(days=3), summary="nog eens",
              now=MONDAY_9 + timedelta(days=3, hours=2))
    with read_session(managed.db) as session:
        notes = session.execute(
            select(CallHistory.note).where(CallHistory.call_id == saved.id,
                                           CallHistory.note.like("Evaluatie%"))
            .order_by(CallHistory.at)
        ).scalars().all()
    assert notes == ["Evaluatie gepland op 03-12-2026 09:00 met Carla Contract",
                     "Evaluatie gehouden op 03-12-2026 09:00"]


def test_the_notices_are_in_the_calls_history(managed, world):
    saved = register(managed, impact=H, urgency=H)
    with read_session(managed.db) as session:
        notes = session.execute(
            select(CallHistory.note).where(CallHistory.call_id == saved.id,
                                           CallHistory.note.like("Prioriteit 1%"))
            .order_by(CallHistory.note)
        ).scalars().all()
    assert notes == ["Prioriteit 1: bericht aan Carla Contract in de outbox",
                     "Prioriteit 1: bericht aan Ivo Info in de outbox (geen e-mailadres bekend)"]


def test_without_managers_the_history_says_nobody_was_told(world):
    saved = register(world, impact=H, urgency=H)
    with read_session(world.db) as session:
        notes = session.execute(
            select(CallHistory.note).where(CallHistory.call_id == saved.id,
                                           CallHistory.note.like("Prioriteit 1%"))
        ).scalars().all()
    assert notes == ["Prioriteit 1: de organisatie heeft geen contract- of informatiemanager"
                     " opgegeven; niemand ingelicht"]
