"""Changes (SPEC 6): catalogue lead times, who may ask for what, planning, carrying out."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from desk_tui.domain.changes import ChangeKind
from desk_tui.services import changes
from desk_tui.services.changes import ChangeDraft
from desk_tui.services.errors import Conflict, InvalidInput, Refused, WrongState
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import ChangeStatus
from desk_tui.store.models import Change, Department, Person
from tests.world import MONDAY_9, World, at


@dataclass
class People:
    hr: Person  # designated HR submitter
    head: Person  # head of Burgerzaken, not designated for personnel requests
    clerk: Person  # neither
    personnel_department_member: Person  # in P&O, which may submit personnel requests


@pytest.fixture
def people(world: World) -> People:
    with write_session(world.db) as session:
        personnel = Department(organisation_id=world.organisation.id, name="P&O",
                               personnel_requests_allowed=True)
        session.add(personnel)
        session.flush()
        org = world.organisation.id
        found = People(
            hr=Person(organisation_id=org, name="Hanna HR", is_hr_submitter=True),
            head=Person(organisation_id=org, name="Henk Hoofd", is_department_head=True,
                        department_id=world.caller.department_id),
            clerk=Person(organisation_id=org, name="Clara Klerk",
                         department_id=world.caller.department_id),
            personnel_department_member=Person(organisation_id=org, name="Peter P&O",
                                               department_id=personnel.id),
        )
        session.add_all([found.hr, found.head, found.clerk, found.personnel_department_member])
    return found


def write(world: World, use_case: Callable[..., Any], **kwargs: Any) -> Any:
    with write_session(world.db) as session:
        return use_case(session=session, **kwargs)


def register(world: World, kind: ChangeKind, **changes_: Any) -> changes.ChangeSaved:
    draft = replace(ChangeDraft(organisation_id=world.organisation.id, kind=kind,
                                title="Wijziging"), **changes_)
    return write(world, changes.register_change, actor=world.agent, sla=world.sla,
                 draft=draft, now=MONDAY_9)


@pytest.mark.parametrize(
    ("kind", "lead_time", "own_part", "reaction"),
    [
        # 8 work hours make a day; the window is 08:00–17:00.
        (ChangeKind.WACHTWOORD, "2026-11-30 09:15", None, None),
        (ChangeKind.AUTORISATIE, "2026-11-30 10:00", None, None),
        (ChangeKind.OVERIG_STANDAARD, "2026-12-01 16:00", None, None),
        (ChangeKind.NOODWIJZIGING, None, None, "2026-11-30 11:00"),
    ],
)
def test_catalogue_changes_get_their_lead_times(world, kind, lead_time, own_part, reaction):
    saved = register(world, kind)

    assert saved.status is ChangeStatus.AANGEVRAAGD and saved.refusal is None
    assert saved.reference == "W2026-000001"
    assert saved.lead_time_due == (at(lead_time) if lead_time else None)
    assert saved.own_part_due == (at(own_part) if own_part else None)
    assert saved.reaction_due == (at(reaction) if reaction else None)


def test_a_joiner_from_a_designated_submitter_gets_the_week_and_own_part(world, people):
    by_hr = register(world, ChangeKind.IN_DIENST, requester_id=people.hr.id)
    by_department = register(world, ChangeKind.UIT_DIENST,
                             requester_id=people.personnel_department_member.id)

    assert by_hr.status is ChangeStatus.AANGEVRAAGD
    assert by_department.status is ChangeStatus.AANGEVRAAGD
    assert by_hr.lead_time_due == at("2026-12-04 13:00")  # 40 work hours
    assert by_hr.own_part_due == at("2026-12-02 15:00")  # 24 work hours


@pytest.mark.parametrize(
    "kind", [ChangeKind.IN_DIENST, ChangeKind.FUNCTIEWIJZIGING, ChangeKind.UIT_DIENST,
             ChangeKind.BESTELLING],
)
def test_personnel_requests_from_anyone_else_are_refused_with_the_rule(
    world, people, kind, caplog
):
    with caplog.at_level(logging.WARNING, logger="desk.changes"):
        saved = register(world, kind, requester_id=people.head.id)

    assert saved.status is ChangeStatus.GEWEIGERD
    assert saved.refusal is not None
    assert "may only be submitted by the departments and people" in saved.refusal
    assert "Henk Hoofd is not designated" in saved.refusal
    assert "refused change W2026-000001" in caplog.text  # the refusal is logged
    with read_session(world.db) as session:  # and on record
        stored = session.execute(select(Change.status, Change.refusal_reason)).one()
    assert stored == (ChangeStatus.GEWEIGERD, saved.refusal)


def test_blocking_only_for_a_department_head_through_hr(world, people):
    allowed = register(world, ChangeKind.BLOKKEREN, requester_id=people.head.id,
                       via_hr_id=people.hr.id)
    not_a_head = register(world, ChangeKind.BLOKKEREN, requester_id=people.clerk.id,
                          via_hr_id=people.hr.id)
    not_via_hr = register(world, ChangeKind.BLOKKEREN, requester_id=people.head.id)
    via_someone_else = register(world, ChangeKind.BLOKKEREN, requester_id=people.head.id,
                                via_hr_id=people.clerk.id)

    assert allowed.status is ChangeStatus.AANGEVRAAGD
    assert "Clara Klerk is not a department head" in (not_a_head.refusal or "")
    assert "did not come through HR" in (not_via_hr.refusal or "")
    assert "did not come through HR" in (via_someone_else.refusal or "")


def test_bad_requests_name_the_field(world, people):
    cases = [
        (dict(kind=ChangeKind.IN_DIENST), "requester"),
        (dict(kind=ChangeKind.NIET_STANDAARD), "planned_for"),
        (dict(kind=ChangeKind.NIET_STANDAARD, planned_for=MONDAY_9, release_from="2.1",
              release_to="2.0"), "release_to"),
        (dict(kind=ChangeKind.WACHTWOORD, title="  "), "title"),
        (dict(kind=ChangeKind.WACHTWOORD, requester_id=world.stranger.id), "requester"),
    ]
    for values, field in cases:
        kind = values.pop("kind")
        with pytest.raises(InvalidInput) as refused:
            register(world, kind, **values)
        assert refused.value.field == field


def test_a_non_standard_change_is_planned_and_carried_out(world):
    saved = register(world, ChangeKind.NIET_STANDAARD, title="Key2Burgerzaken naar 2025.1",
                     planned_for=at("2026-12-10 18:00"), release_from="2024.2.3",
                     release_to="2025.1")
    later = at("2026-12-09 09:00")
    moved = write(world, changes.plan_change, actor=world.specialist, change_id=saved.id,
                  planned_for=at("2026-12-11 18:00"), now=later, version=saved.version)
    with pytest.raises(Conflict):
        write(world, changes.complete_change, actor=world.specialist, change_id=saved.id,
              now=later, version=saved.version)
    done = write(world, changes.complete_change, actor=world.specialist, change_id=saved.id,
                 now=at("2026-12-11 19:00"), version=moved.version)

    assert saved.lead_time_due is None and saved.planned_for == at("2026-12-10 18:00")
    assert moved.status is ChangeStatus.GEPLAND
    assert done.status is ChangeStatus.UITGEVOERD
    with read_session(world.db) as session:
        change = session.get(Change, saved.id)
        assert change.release_change.value == "upgrade"
        assert change.implemented_at == at("2026-12-11 19:00")
    with pytest.raises(WrongState):
        write(world, changes.complete_change, actor=world.specialist, change_id=saved.id,
              now=at("2026-12-11 20:00"))


def test_roles(world):
    draft = ChangeDraft(organisation_id=world.organisation.id, kind=ChangeKind.WACHTWOORD,
                        title="Wachtwoord")
    with pytest.raises(Refused, match=r"change\.register"):
        write(world, changes.register_change, actor=world.specialist, sla=world.sla,
              draft=draft, now=MONDAY_9)
    saved = register(world, ChangeKind.WACHTWOORD)
    with pytest.raises(Refused, match=r"change\.manage"):
        write(world, changes.complete_change, actor=world.agent, change_id=saved.id,
              now=MONDAY_9 + timedelta(minutes=5))


def test_open_changes_first_due_first_without_finished_ones(world, people):
    slow = register(world, ChangeKind.OVERIG_STANDAARD)  # due Tue 16:00
    quick = register(world, ChangeKind.WACHTWOORD)  # due 09:15
    done = register(world, ChangeKind.AUTORISATIE)
    write(world, changes.complete_change, actor=world.specialist, change_id=done.id,
          now=MONDAY_9 + timedelta(minutes=30))
    register(world, ChangeKind.IN_DIENST, requester_id=people.clerk.id)  # refused

    rows = read_rows(world)

    assert [row.id for row in rows] == [quick.id, slow.id]
    assert rows[0].due == at("2026-11-30 09:15") and rows[0].organisation == "ENK"


def read_rows(world: World) -> list[changes.ChangeRow]:
    with read_session(world.db) as session:
        return changes.open_changes(session=session, actor=world.agent)


def test_a_change_for_a_call_is_in_the_calls_history_registered_or_refused(world, people):
    from desk_tui.store.models import CallHistory
    from tests.services.test_calls import register as register_call

    call = register_call(world)
    done = register(world, ChangeKind.WACHTWOORD, call_id=call.id)
    refused = register(world, ChangeKind.IN_DIENST, call_id=call.id, requester_id=people.clerk.id)
    with read_session(world.db) as session:
        notes = session.execute(
            select(CallHistory.note).where(CallHistory.call_id == call.id,
                                           CallHistory.note.like("Wijziging%"))
            .order_by(CallHistory.note)
        ).scalars().all()
    assert notes == [f"Wijziging {done.reference} (wachtwoord) geregistreerd",
                     f"Wijziging {refused.reference} (in-dienst) geweigerd"]


def test_a_change_cannot_write_into_another_organisations_call(world):
    from desk_tui.store.models import CallHistory
    from tests.services.test_calls import register as register_call

    call = register_call(world)  # a call of world.organisation
    with pytest.raises(InvalidInput) as refused:
        register(world, ChangeKind.WACHTWOORD, call_id=call.id,
                 organisation_id=world.other_organisation.id)
    assert refused.value.field == "call"
    with read_session(world.db) as session:
        assert session.execute(
            select(CallHistory.note).where(CallHistory.call_id == call.id,
                                           CallHistory.note.like("Wijziging%"))
        ).scalars().all() == []
