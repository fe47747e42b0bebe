"""SPEC 11: personal data of a participant whose contract ended is made inaccessible within
3 months, the statistics stay; a person's data can be exported on request."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from desk_tui.domain.classification import CallType, Level
from desk_tui.services import calls, privacy, queries
from desk_tui.services.calls import CallDraft
from desk_tui.services.errors import InvalidInput, NotFound, Refused
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import OperatorRole
from desk_tui.store.models import (
    Call,
    CallHistory,
    Operator,
    OperatorRoleGrant,
    Organisation,
    Person,
)
from tests.world import MONDAY_9, World

TODAY = date(2026, 11, 30)


def _admin(world: World):
    with write_session(world.db) as session:
        operator = Operator(login="admin", display_name="Beheer")
        session.add(operator)
        session.flush()
        session.add(OperatorRoleGrant(operator_id=operator.id, role=OperatorRole.ADMINISTRATOR))
    return world.read(queries.actor_for, login="admin")


def _contract_ends(world: World, organisation: Organisation, day: date | None) -> None:
    with write_session(world.db) as session:
        session.get(Organisation, organisation.id).contract_end = day


def _call(world: World, organisation: Organisation, caller: Person, subject: str):
    return world.write(calls.register_call, actor=world.agent, now=MONDAY_9, draft=CallDraft(
        organisation_id=organisation.id, call_type=CallType.STORING, subject=subject,
        caller_id=caller.id, impact=Level.HOOG, urgency=Level.MIDDEN,
        description=f"{caller.name} belde over {subject}"))


def _purge(world: World, admin, today: date = TODAY, **options):
    with write_session(world.db) as session:
        return privacy.purge(session=session, actor=admin, today=today, now=MONDAY_9,
                             **options)


def test_purge_anonymises_only_the_participant_whose_contract_ended_3_months_ago(
    world: World,
) -> None:
    admin = _admin(world)
    _contract_ends(world, world.other_organisation, date(2026, 7, 31))  # 4 months ago
    _contract_ends(world, world.organisation, date(2026, 10, 15))  # ended, not yet due
    ended = _call(world, world.other_organisation, world.stranger, "VPN van Kees")
    world.write(calls.resolve, actor=world.agent, call_id=ended.id, now=MONDAY_9,
                solution="Kees opnieuw ingelogd")
    kept = _call(world, world.organisation, world.caller, "Printer van Anouk")

    [report] = _purge(world, admin)

    assert (report.code, report.persons, report.operators, report.calls) == ("DRE", 1, 1, 1)
    with read_session(world.db) as session:
        stranger = session.get(Person, world.stranger.id)
        assert (stranger.name, stranger.email, stranger.phone, stranger.login) == (
            privacy.ANONYMOUS, None, None, None)
        manager = session.get(Operator, world.contract_manager.id)
        assert manager.display_name == privacy.ANONYMOUS and not manager.active
        assert "Joost" not in manager.login
        call = session.get(Call, ended.id)
        # The statistics stay: the call, its priority, times and status.
        assert (call.priority, call.status.value, call.registered_at) == (
            ended.priority, "opgelost", MONDAY_9)
        assert (call.subject, call.description, call.solution) == (privacy.WIPED, "", None)
        assert call.caller_id == world.stranger.id
        sealed = session.get(Organisation, world.other_organisation.id)
        assert sealed.personal_data_sealed_at == MONDAY_9
        # The participant still under its grace period keeps everything.
        caller = session.get(Person, world.caller.id)
        assert (caller.name, caller.email) == ("Anouk Jansen", "a.jansen@enkhuizen.example")
        assert session.get(Call, kept.id).subject == "Printer van Anouk"
        counts = dict(session.execute(
            select(Call.organisation_id, func.count()).group_by(Call.organisation_id)).all())
        assert counts == {world.other_organisation.id: 1, world.organisation.id: 1}
        assert session.execute(select(func.count()).select_from(CallHistory).where(
            CallHistory.call_id == ended.id)).scalar() >= 3


def test_purge_counts_from_the_contract_end_and_runs_again_harmlessly(world: World) -> None:
    admin = _admin(world)
    _contract_ends(world, world.other_organisation, date(2026, 8, 31))
    assert _purge(world, admin, today=date(2026, 11, 29)) == []  # one day short of 3 months
    [first] = _purge(world, admin, today=date(2026, 11, 30))
    assert first.persons == 1 and first.changed
    [again] = _purge(world, admin, today=date(2026, 12, 1))
    assert not again.changed
    assert "nothing new" in again.describe()


def test_a_dry_run_reports_and_changes_nothing(world: World) -> None:
    admin = _admin(world)
    _contract_ends(world, world.other_organisation, date(2026, 1, 31))
    with write_session(world.db) as session:
        [report] = privacy.purge(session=session, actor=admin, today=TODAY, now=MONDAY_9,
                                 dry_run=True)
        session.rollback()
    assert report.persons == 1
    with read_session(world.db) as session:
        assert session.get(Person, world.stranger.id).name == "Kees Visser"


def test_purge_needs_the_right_and_a_grace_of_at_most_3_months(world: World) -> None:
    admin = _admin(world)
    with pytest.raises(Refused):
        _purge(world, world.agent)
    with pytest.raises(InvalidInput, match="3 months"):
        _purge(world, admin, grace_months=4)


def test_a_person_is_exported_with_their_calls_and_history(world: World) -> None:
    admin = _admin(world)
    saved = _call(world, world.organisation, world.caller, "Wachtwoord verlopen")
    _call(world, world.other_organisation, world.stranger, "Niet van Anouk")
    with read_session(world.db) as session:
        person = privacy.find_person(session=session, actor=admin, key="ajansen")
        export = privacy.export_person(session=session, actor=admin, person_id=person.id)
    document = json.loads(json.dumps(export.as_json_ready()))
    assert document["person"]["name"] == "Anouk Jansen"
    assert document["organisation"]["code"] == "ENK"
    assert [c["id"] for c in document["calls_as_caller"]] == [str(saved.id)]
    assert {entry["call_id"] for entry in document["call_history"]} == {str(saved.id)}
    assert document["mails"] and document["mails"][0]["recipient"] == world.caller.email


def test_an_export_names_exactly_one_person(world: World) -> None:
    admin = _admin(world)
    with read_session(world.db) as session:
        with pytest.raises(NotFound):
            privacy.find_person(session=session, actor=admin, key="onbekend")
        with pytest.raises(Refused):
            privacy.find_person(session=session, actor=world.agent, key="ajansen")
        by_id = privacy.find_person(session=session, actor=admin, key=str(world.caller.id))
        assert by_id.id == world.caller.id
