"""Change use cases (SPEC 6): register from the catalogue with its lead time, refuse what
the requester may not ask for, plan a non-standard change, carry it out.

A refused request is still stored, with status `geweigerd` and the rule that refused it,
so the refusal is on record beside the log line; `register_change` returns it rather than
raising, and the console shows the rule.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import Row, or_, select
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from desk_tui.domain.changes import CHANGE_RULES, ChangeKind, _version_parts, version_change
from desk_tui.domain.sla import SlaEngine
from desk_tui.services.access import Action, Actor, require
from desk_tui.services.errors import Conflict, InvalidInput, NotFound, Phrase, WrongState
from desk_tui.services.text_rules import DESCRIPTION_MAX, SUBJECT_MAX, clean_text
from desk_tui.store.enums import ChangeStatus, HistoryField
from desk_tui.store.models import Call, CallHistory, Change, Department, Organisation, Person
from desk_tui.store.numbers import ReferenceKind, format_reference, next_number

log = logging.getLogger("desk.changes")

@dataclass(frozen=True, slots=True)
class ChangeDraft:
    organisation_id: uuid.UUID
    kind: ChangeKind
    title: str
    requester_id: uuid.UUID | None = None
    description: str = ""
    # Blocking/unblocking: the HR colleague who passed on the department head's request.
    via_hr_id: uuid.UUID | None = None
    planned_for: datetime | None = None  # non-standard: agreed with the participant
    release_from: str | None = None  # upgrade/update/patch: the versions it moves between
    release_to: str | None = None
    call_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class ChangeSaved:
    id: uuid.UUID
    reference: str
    version: int
    status: ChangeStatus
    refusal: str | None
    lead_time_due: datetime | None
    own_part_due: datetime | None
    reaction_due: datetime | None
    planned_for: datetime | None


def register_change(
    *, session: Session, actor: Actor, sla: SlaEngine, draft: ChangeDraft, now: datetime,
    site: str = "main",
) -> ChangeSaved:
    """Register a change request; refused (and stored as such) when the requester may not
    ask for this kind."""
    require(actor, Action.CHANGE_REGISTER, draft.organisation_id)
    rule = CHANGE_RULES[draft.kind]
    title = clean_text("title", draft.title, limit=SUBJECT_MAX, required=True)
    description = clean_text("description", draft.description, limit=DESCRIPTION_MAX)
    organisation = session.get(Organisation, draft.organisation_id)
    if organisation is None or not organisation.active:
        raise InvalidInput("organisation", "choose an active participating organisation")
    requester = _person(session, draft.requester_id, organisation.id, "requester")
    if draft.call_id is not None:
        # The change's history note lands on this call: it must be the organisation's own.
        call = session.get(Call, draft.call_id)
        if call is None:
            raise NotFound("call {call_id} does not exist", call_id=draft.call_id)
        if call.organisation_id != organisation.id:
            raise InvalidInput("call", "the call belongs to another organisation")
    if (rule.personnel_related or rule.department_head_via_hr) and requester is None:
        raise InvalidInput("requester", "say who asks for this change")
    release = None
    if draft.release_from or draft.release_to:
        try:
            release = version_change(draft.release_from or "", draft.release_to or "")
        except ValueError as error:
            raise _release_refused(draft.release_from or "", draft.release_to or "") from error
    zone = sla.calendars.config.zone
    if draft.kind is ChangeKind.NIET_STANDAARD and draft.planned_for is None:
        raise InvalidInput(
            "planned_for", "a non-standard change is planned with the participant: give a date"
        )
    refusal = _refusal(session, draft, requester, organisation)
    from desk_tui.services.offline import numbering_site

    site = numbering_site(session, site)
    year = now.astimezone(zone).year
    plan = sla.plan_change(now.astimezone(zone), draft.kind)
    change = Change(
        site=site, year=year, number=next_number(session, ReferenceKind.CHANGE, site, year),
        kind=draft.kind, title=title, description=description,
        status=ChangeStatus.GEWEIGERD if refusal else ChangeStatus.AANGEVRAAGD,
        organisation_id=organisation.id, requester_id=draft.requester_id,
        call_id=draft.call_id, emergency=draft.kind is ChangeKind.NOODWIJZIGING,
        release_from=draft.release_from, release_to=draft.release_to, release_change=release,
        registered_at=now, planned_for=draft.planned_for,
        reaction_due=_utc(plan.reaction_due), lead_time_due=_utc(plan.lead_time_due),
        own_part_due=_utc(plan.own_part_due), refusal_reason=str(refusal) if refusal else None,
    )
    session.add(change)
    session.flush()
    if refusal:
        log.warning("refused change %s for %s: %s", _reference(change), actor.login, refusal)
    if draft.call_id is not None:
        what = "geweigerd" if refusal else "geregistreerd"
        session.add(CallHistory(
            call_id=draft.call_id, operator_id=actor.id, at=now, field=HistoryField.NOTE,
            note=f"Wijziging {_reference(change)} ({draft.kind.value}) {what}",
        ))
    return replace(_saved(change), refusal=refusal)  # the rule as a Phrase: translatable


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """An open change as the changes list shows it; `due` is the first date it answers to:
    the lead time, the emergency reaction, or the date agreed."""

    id: uuid.UUID
    reference: str
    kind: ChangeKind
    title: str
    organisation: str
    status: ChangeStatus
    registered_at: datetime
    due: datetime | None


def open_changes(*, session: Session, actor: Actor) -> list[ChangeRow]:
    """Changes not yet carried out, refused or cancelled; the first due first."""
    require(actor, Action.CALL_READ)
    statement = (
        select(Change, Organisation.code)
        .join(Organisation, Organisation.id == Change.organisation_id)
        .where(Change.status.not_in(_FINISHED))
    )
    if not actor.sees_all_organisations:
        statement = statement.where(Change.organisation_id == actor.organisation_id)
    rows = [
        ChangeRow(
            change.id, _reference(change), change.kind, change.title, code, change.status,
            change.registered_at,
            change.lead_time_due or change.reaction_due or change.planned_for,
        )
        for change, code in session.execute(statement).all()
    ]
    far = datetime.max.replace(tzinfo=UTC)
    rows.sort(key=lambda row: (row.due or far, row.registered_at))
    return rows


@dataclass(frozen=True, slots=True)
class RequesterHit:
    """A person who may be named as a change's requester, with what the SLA's rules look
    at: designated for personnel requests, department head, HR."""

    id: uuid.UUID
    name: str
    department: str | None
    organisation_id: uuid.UUID
    organisation: str  # code
    organisation_name: str
    designated: bool
    department_head: bool
    hr: bool


def find_requesters(
    *, session: Session, actor: Actor, text: str, limit: int = 20
) -> list[RequesterHit]:
    """People matching every word typed (name, login, mail, department, organisation)."""
    require(actor, Action.CHANGE_REGISTER)
    words = text.split()
    if not words:
        return []
    statement = (
        select(Person, Department, Organisation)
        .join(Organisation, Organisation.id == Person.organisation_id)
        .outerjoin(Department, Department.id == Person.department_id)
        .where(Person.active.is_(True), Organisation.active.is_(True))
    )
    if not actor.sees_all_organisations:
        statement = statement.where(Organisation.id == actor.organisation_id)
    for word in words:
        statement = statement.where(or_(
            Person.name.icontains(word, autoescape=True),
            Person.login.icontains(word, autoescape=True),
            Person.email.icontains(word, autoescape=True),
            Department.name.icontains(word, autoescape=True),
            Organisation.code.icontains(word, autoescape=True),
            Organisation.name.icontains(word, autoescape=True),
        ))
    rows = session.execute(statement.order_by(Person.name).limit(limit)).all()
    return _requester_hits(rows)


def requester(*, session: Session, actor: Actor, person_id: uuid.UUID) -> RequesterHit:
    """One person as a requester (the caller of a call a change is registered for)."""
    require(actor, Action.CHANGE_REGISTER)
    row = session.execute(
        select(Person, Department, Organisation)
        .join(Organisation, Organisation.id == Person.organisation_id)
        .outerjoin(Department, Department.id == Person.department_id)
        .where(Person.id == person_id)
    ).first()
    if row is None:
        raise NotFound("person {person_id} does not exist", person_id=person_id)
    require(actor, Action.CHANGE_REGISTER, row[2].id)
    return _requester_hits([row])[0]


def _requester_hits(rows: Sequence[Row[tuple[Person, Department | None, Organisation]]]
                    ) -> list[RequesterHit]:
    return [
        RequesterHit(
            id=person.id, name=person.name,
            department=department.name if department else None,
            organisation_id=organisation.id, organisation=organisation.code,
            organisation_name=organisation.name,
            designated=person.is_hr_submitter or bool(
                department and department.personnel_requests_allowed),
            department_head=person.is_department_head, hr=person.is_hr_submitter,
        )
        for person, department, organisation in rows
    ]


def plan_change(
    *, session: Session, actor: Actor, change_id: uuid.UUID, planned_for: datetime,
    now: datetime, version: int | None = None,
) -> ChangeSaved:
    """Set the date agreed with the participant."""
    change = _change_for_update(session, actor, change_id, version)
    if change.status in _FINISHED:
        raise WrongState("change {reference} is {status}", reference=_reference(change),
                         status=change.status.value)
    change.planned_for = planned_for
    change.status = ChangeStatus.GEPLAND
    change.updated_at = now
    return _finish(session, change)


def complete_change(
    *, session: Session, actor: Actor, change_id: uuid.UUID, now: datetime,
    version: int | None = None,
) -> ChangeSaved:
    """The change has been carried out: its lead time stops here."""
    change = _change_for_update(session, actor, change_id, version)
    if change.status in _FINISHED:
        raise WrongState("change {reference} is {status}", reference=_reference(change),
                         status=change.status.value)
    change.implemented_at = now
    change.status = ChangeStatus.UITGEVOERD
    change.updated_at = now
    return _finish(session, change)


_FINISHED = frozenset({
    ChangeStatus.GEWEIGERD, ChangeStatus.UITGEVOERD, ChangeStatus.GEANNULEERD,
    ChangeStatus.GESLOTEN,
})


def _release_refused(current: str, new: str) -> InvalidInput:
    """Why domain.changes.version_change refused the versions (its ValueError is English)."""
    for version in (current, new):
        try:
            _version_parts(version)
        except ValueError:
            return InvalidInput("release_to", "not a version number: “{version}”",
                                version=version)
    return InvalidInput("release_to", "version “{new}” is not newer than “{current}”",
                        new=new, current=current)


def _refusal(
    session: Session, draft: ChangeDraft, requester: Person | None, organisation: Organisation
) -> Phrase | None:
    rule = CHANGE_RULES[draft.kind]
    if rule.personnel_related and requester is not None:
        department = (
            session.get(Department, requester.department_id) if requester.department_id else None
        )
        designated = requester.is_hr_submitter or (
            department is not None and department.personnel_requests_allowed
        )
        if not designated:
            return Phrase(
                "SLA 4.2.3.3: personnel-related requests (joiner, leaver, role or name change,"
                " mobile devices) may only be submitted by the departments and people the"
                " participant designated; {name} is not designated", name=requester.name,
            )
    if rule.department_head_via_hr and requester is not None:
        if not requester.is_department_head:
            return Phrase(
                "SLA 4.2.3.3: blocking or unblocking a user or password is only done at the"
                " request of a department head, through HR; {name} is not a department head",
                name=requester.name,
            )
        hr = _person(session, draft.via_hr_id, organisation.id, "via_hr")
        if hr is None or not hr.is_hr_submitter:
            return Phrase(
                "SLA 4.2.3.3: blocking or unblocking a user or password is only done at the"
                " request of a department head, through HR; the request did not come through"
                " HR"
            )
    return None


def _person(
    session: Session, person_id: uuid.UUID | None, organisation_id: uuid.UUID, field: str
) -> Person | None:
    if person_id is None:
        return None
    person = session.get(Person, person_id)
    if person is None or person.organisation_id != organisation_id:
        raise InvalidInput(field, "that person does not belong to this organisation")
    return person


def _change_for_update(
    session: Session, actor: Actor, change_id: uuid.UUID, version: int | None
) -> Change:
    change = session.get(Change, change_id)
    if change is None:
        raise NotFound("change {change_id} does not exist", change_id=change_id)
    require(actor, Action.CHANGE_MANAGE, change.organisation_id)
    if version is not None and change.version != version:
        raise Conflict("change {reference} was changed by someone else meanwhile",
                       reference=_reference(change))
    return change


def _finish(session: Session, change: Change) -> ChangeSaved:
    try:
        session.flush()
    except StaleDataError as error:
        raise Conflict(
            "change {reference} was changed by someone else meanwhile",
            reference=_reference(change),
        ) from error
    return _saved(change)


def _saved(change: Change) -> ChangeSaved:
    return ChangeSaved(
        id=change.id, reference=_reference(change), version=change.version,
        status=change.status, refusal=change.refusal_reason,
        lead_time_due=change.lead_time_due, own_part_due=change.own_part_due,
        reaction_due=change.reaction_due, planned_for=change.planned_for,
    )


def reference_of(change: Change) -> str:
    return _reference(change)


def _reference(change: Change) -> str:
    return format_reference(ReferenceKind.CHANGE, change.site, change.year, change.number)


def _utc(instant: datetime | None) -> datetime | None:
    return None if instant is None else instant.astimezone(UTC)
