"""The demo database is what the services would have written: due times, statuses,
history and numbers agree with the SLA engine and the store's rules."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from desk_tui.demo.build import DemoRefused, build_demo
from desk_tui.demo.options import DemoOptions
from desk_tui.domain.classification import CallType
from desk_tui.domain.priority import CATEGORY_URGENCY
from desk_tui.domain.sla import Handler, SlaEngine
from desk_tui.services.calls import CallDraft, pauses_of, plan_for, register_call
from desk_tui.services.queries import QueueFilter, actor_for, open_queue
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import CallStatus, CiRelationKind, CiType, HistoryField, SupportLine
from desk_tui.store.models import (
    Call,
    CallHistory,
    CallPause,
    Category,
    CiHistory,
    CiRelation,
    ConfigurationItem,
    Contract,
    ContractCi,
    NumberSequence,
    Operator,
    Organisation,
    OutboxMessage,
    Person,
)
from desk_tui.store.numbers import ReferenceKind, format_reference, sequence_key
from tests.demo.support import AMS, NOW, SMALL, Demo, build

OPEN = (CallStatus.GEREGISTREERD, CallStatus.IN_BEHANDELING, CallStatus.WACHT)


def test_every_stored_due_time_is_what_the_services_compute(demo: Demo) -> None:
    with read_session(demo.engine) as session:
        calls = session.execute(select(Call)).scalars().all()
        assert len(calls) == demo.report.counts["call"] > 0
        for call in calls:
            plan = plan_for(call, pauses_of(session, call.id), demo.sla)
            stored = (call.priority, call.handled_by, call.reaction_due, call.resolution_due)
            assert stored == (plan.priority, plan.handled_by, plan.reaction_due,
                              plan.resolution_due), call.subject


def test_statuses_and_timestamps_are_consistent(demo: Demo) -> None:
    with read_session(demo.engine) as session:
        calls = session.execute(select(Call)).scalars().all()
        pauses = defaultdict(list)
        for pause in session.execute(select(CallPause)).scalars():
            pauses[pause.call_id].append(pause)
    now = demo.now
    for call in calls:
        moments = [call.registered_at, call.reacted_at, call.resolved_at, call.closed_at]
        present = [moment for moment in moments if moment is not None]
        assert present == sorted(present) and present[-1] <= now, call.subject
        open_pauses = [p for p in pauses[call.id] if p.ended_at is None]
        for pause in pauses[call.id]:
            assert call.reacted_at is not None and pause.started_at >= call.reacted_at
            end = pause.ended_at or now
            assert pause.started_at <= end <= (call.resolved_at or now)
        if call.status is CallStatus.GESLOTEN:
            assert call.resolved_at and call.closed_at and call.solution and call.handler_id
        elif call.status is CallStatus.OPGELOST:
            assert call.resolved_at and call.closed_at is None and call.handler_id
        elif call.status is CallStatus.IN_BEHANDELING:
            assert call.handler_id and call.reacted_at and call.resolved_at is None
            assert not open_pauses
        elif call.status is CallStatus.WACHT:
            assert call.handler_id and call.reacted_at and len(open_pauses) == 1
        else:
            assert call.status is CallStatus.GEREGISTREERD
            assert call.handler_id is None and call.reacted_at is None
        if call.line is SupportLine.DERDE_LIJN:
            assert call.supplier


def test_history_reads_as_the_services_would_have_written_it(demo: Demo) -> None:
    with read_session(demo.engine) as session:
        calls = {call.id: call for call in session.execute(select(Call)).scalars()}
        history = session.execute(
            select(CallHistory).order_by(CallHistory.call_id, CallHistory.at, CallHistory.id)
        ).scalars().all()
    statuses: dict = defaultdict(list)
    for entry in history:
        call = calls[entry.call_id]
        assert call.registered_at <= entry.at <= demo.now
        if entry.field is HistoryField.STATUS:
            statuses[entry.call_id].append((entry.old_value, entry.new_value))
    for call_id, call in calls.items():
        changes = statuses[call_id]
        assert changes[0] == (None, CallStatus.GEREGISTREERD.value)
        for (_, before), (after_old, _) in pairwise(changes):
            assert after_old == before  # each change starts where the last one ended
        assert changes[-1][1] == call.status.value


def test_open_calls_exist_in_every_open_status_with_live_and_breached_clocks(
    demo: Demo,
) -> None:
    with read_session(demo.engine) as session:
        by_status = Counter(session.execute(select(Call.status)).scalars())
        actor = actor_for(session, "agent")
        queue = open_queue(session=session, actor=actor, sla=demo.sla, now=demo.now)
        breached = open_queue(session=session, actor=actor, sla=demo.sla, now=demo.now,
                              query=QueueFilter(breached=True))
        recent = session.execute(
            select(func.count()).select_from(Call).where(
                Call.status == CallStatus.GEREGISTREERD,
                Call.registered_at >= demo.now - timedelta(hours=1),
            )
        ).scalar_one()
        p1_open = session.execute(
            select(func.count()).select_from(Call).where(
                Call.priority == 1, Call.status.in_(OPEN))
        ).scalar_one()
        on_call = session.execute(
            select(func.count()).select_from(Call).where(Call.handled_by == Handler.ON_CALL)
        ).scalar_one()
    assert all(by_status[status] >= 1 for status in CallStatus)
    open_total = sum(by_status[status] for status in OPEN)
    assert len(queue) == open_total == demo.report.open_calls
    assert by_status[CallStatus.GESLOTEN] > open_total
    assert breached and recent >= 1 and p1_open >= 1 and on_call >= 2


def test_call_numbers_are_unique_per_year_and_registration_continues_after_them(
    demo: Demo,
) -> None:
    with read_session(demo.engine) as session:
        rows = session.execute(
            select(Call.site, Call.year, Call.number).order_by(Call.registered_at)
        ).all()
        sequences = dict(
            session.execute(select(NumberSequence.name, NumberSequence.value)).all()
        )
        organisation = session.execute(
            select(Organisation).where(Organisation.code == "MED")
        ).scalar_one()
        caller = session.execute(
            select(Person).where(Person.organisation_id == organisation.id).limit(1)
        ).scalar_one()
    assert len(set(rows)) == len(rows)
    per_year: dict[int, list[int]] = defaultdict(list)
    for site, year, number in rows:
        assert site == "main"
        per_year[year].append(number)
    assert sorted(per_year) == [2025, 2026]  # six months back from early 2026
    for year, numbers in per_year.items():
        assert numbers == list(range(1, len(numbers) + 1))  # in registration order
        assert sequences[sequence_key(ReferenceKind.CALL, "main", year)] == len(numbers)

    draft = CallDraft(
        organisation_id=organisation.id, call_type=CallType.STORING,
        subject="Printer geeft papierstoring", caller_id=caller.id,
        impact=CATEGORY_URGENCY["Hardware"], urgency=CATEGORY_URGENCY["Hardware"],
    )
    with write_session(demo.engine) as session:
        actor = actor_for(session, "agent")
        saved = register_call(session=session, actor=actor, sla=demo.sla, draft=draft,
                              now=demo.now + timedelta(minutes=1))
    expected = format_reference(ReferenceKind.CALL, "main", demo.now.year,
                                len(per_year[demo.now.year]) + 1)
    assert saved.reference == expected


def test_categories_carry_the_slas_suggested_urgency(demo: Demo) -> None:
    with read_session(demo.engine) as session:
        stored = dict(session.execute(select(Category.name, Category.suggested_urgency)).all())
    for name, urgency in CATEGORY_URGENCY.items():
        assert stored[name] is urgency
    assert len(stored) > len(CATEGORY_URGENCY)


def test_the_cmdb_has_relations_and_certificates_to_watch(demo: Demo) -> None:
    today = NOW.date()
    with read_session(demo.engine) as session:
        kinds = set(session.execute(select(CiRelation.kind)).scalars())
        types = set(session.execute(select(ConfigurationItem.ci_type)).scalars())
        expiries = session.execute(
            select(ConfigurationItem.expires_on).where(
                ConfigurationItem.ci_type == CiType.CERTIFICAAT)
        ).scalars().all()
    assert kinds == set(CiRelationKind)
    assert types == set(CiType)
    for days in (30, 60, 90):
        assert any(today <= day <= today + timedelta(days=days) and
                   day > today + timedelta(days=days - 30) for day in expiries), days


def test_the_participant_whose_contract_ended_has_no_later_calls(demo: Demo) -> None:
    with read_session(demo.engine) as session:
        ended = session.execute(
            select(Organisation).where(Organisation.contract_end.is_not(None))
        ).scalars().all()
        assert [organisation.code for organisation in ended] == ["WSW"]
        [organisation] = ended
        assert not organisation.active and organisation.contract_end < NOW.date()
        assert organisation.contract_manager_id and organisation.information_manager_id
        latest = session.execute(
            select(func.max(Call.registered_at)).where(Call.organisation_id == organisation.id)
        ).scalar_one()
    assert latest is not None and latest.date() < organisation.contract_end


def test_a_filled_database_is_refused(demo: Demo) -> None:
    with pytest.raises(DemoRefused):
        build_demo(demo.engine, demo.sla, SMALL)
    with read_session(demo.engine) as session:
        assert session.execute(select(func.count()).select_from(Call)).scalar_one() == SMALL.calls


def _digest(engine) -> str:
    """A fingerprint of what a demo contains, keys included."""
    digest = hashlib.sha256()
    with read_session(engine) as session:
        for statement in (
            select(Call.id, Call.year, Call.number, Call.subject, Call.status, Call.priority,
                   Call.registered_at, Call.reaction_due, Call.resolution_due, Call.handler_id)
            .order_by(Call.id),
            select(Person.id, Person.name, Person.email, Person.phone).order_by(Person.id),
            select(ConfigurationItem.id, ConfigurationItem.name, ConfigurationItem.expires_on,
                   ConfigurationItem.configuration, ConfigurationItem.in_service_on,
                   ConfigurationItem.retired_on, ConfigurationItem.search_text,
                   ConfigurationItem.updated_at).order_by(ConfigurationItem.id),
            select(CiRelation.id, CiRelation.from_ci_id, CiRelation.to_ci_id,
                   CiRelation.kind).order_by(CiRelation.id),
            select(CiHistory.id, CiHistory.ci_id, CiHistory.at, CiHistory.field,
                   CiHistory.new_value).order_by(CiHistory.id),
            select(Contract.id, Contract.number, Contract.ends_on).order_by(Contract.id),
            select(ContractCi.contract_id, ContractCi.ci_id).order_by(
                ContractCi.contract_id, ContractCi.ci_id),
            select(Operator.id, Operator.login).order_by(Operator.id),
            select(CallHistory.id, CallHistory.at, CallHistory.new_value).order_by(
                CallHistory.id),
            select(OutboxMessage.id, OutboxMessage.subject).order_by(OutboxMessage.id),
        ):
            for row in session.execute(statement):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def test_the_same_seed_gives_the_same_database(
    demo: Demo, new_db_url: Callable[[], str], sla: SlaEngine
) -> None:
    again = build(new_db_url(), sla)
    other = build(new_db_url(), sla, DemoOptions(calls=300, cis=200, people=60, seed=8,
                                                 now=NOW))
    try:
        assert _digest(again.engine) == _digest(demo.engine)
        assert _digest(other.engine) != _digest(demo.engine)
    finally:
        again.engine.dispose()
        other.engine.dispose()


def test_a_demo_across_both_clock_changes_passes_the_same_checks(
    sqlite_url: str, sla: SlaEngine
) -> None:
    """History from October to April: the autumn and spring clock changes both fall in it,
    where wall-clock arithmetic on aware datetimes would be an hour off."""
    spring = DemoOptions(calls=300, cis=100, people=40, seed=11,
                         now=datetime(2026, 4, 1, 9, 0, tzinfo=AMS))
    demo = build(sqlite_url, sla, spring)
    try:
        test_every_stored_due_time_is_what_the_services_compute(demo)
        test_statuses_and_timestamps_are_consistent(demo)
        test_history_reads_as_the_services_would_have_written_it(demo)
        test_call_numbers_are_unique_per_year_and_registration_continues_after_them(demo)
    finally:
        demo.engine.dispose()
