"""Security incidents (data breaches): a call is declared one, and the protocol of the
data-processor statement runs on it — identification, containment, remediation,
notification (within 72 hours of discovery) and reporting and evaluation — each step
recorded with who and when; the call cannot be closed while a step is open."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from desk_tui.domain.breach import NotificationClock
from desk_tui.services.access import Action, Actor, require
from desk_tui.services.errors import InvalidInput, NotFound, WrongState
from desk_tui.services.text_rules import NOTE_MAX, clean_text
from desk_tui.store.enums import OPEN_CALL_STATUSES, BreachStep, HistoryField
from desk_tui.store.models import (
    Call,
    CallHistory,
    Operator,
    SecurityIncident,
    SecurityIncidentStep,
)

PROTOCOL: tuple[BreachStep, ...] = tuple(BreachStep)


@dataclass(frozen=True, slots=True)
class StepView:
    step: BreachStep
    done_at: datetime | None
    done_by: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class BreachView:
    """A declared security incident as the call view shows it."""

    call_id: uuid.UUID
    discovered_at: datetime
    clock: NotificationClock
    steps: tuple[StepView, ...]

    @property
    def open_steps(self) -> tuple[BreachStep, ...]:
        return tuple(step.step for step in self.steps if step.done_at is None)

    @property
    def next_step(self) -> BreachStep | None:
        return self.open_steps[0] if self.open_steps else None


def declare(
    *, session: Session, actor: Actor, call_id: uuid.UUID, discovered_at: datetime,
    now: datetime,
) -> BreachView:
    """Declare the call a security incident discovered at `discovered_at`: the protocol's
    steps open and the 72-hour notification clock starts from the discovery."""
    call = _call(session, actor, call_id)
    if call.status not in OPEN_CALL_STATUSES:
        raise WrongState("only an open call can be declared a security incident")
    if discovered_at.tzinfo is None:
        raise InvalidInput("discovered_at", "the moment of discovery needs a time zone")
    if discovered_at > now:
        raise InvalidInput("discovered_at", "the moment of discovery cannot be in the future")
    if _incident(session, call.id) is not None:
        raise WrongState("this call is already a security incident")
    incident = SecurityIncident(call_id=call.id, discovered_at=discovered_at,
                                declared_by_id=actor.id, created_at=now, updated_at=now)
    session.add(incident)
    session.flush()
    for position, step in enumerate(PROTOCOL, start=1):
        session.add(SecurityIncidentStep(incident_id=incident.id, step=step, position=position))
    session.add(CallHistory(
        call_id=call.id, at=now, operator_id=actor.id, field=HistoryField.NOTE,
        note="beveiligingsincident (datalek) gemeld, ontdekt "
             + discovered_at.isoformat(timespec="minutes")))
    call.updated_at = now  # bumps the version: other operators see the change
    session.flush()
    return _view(session, incident)


def record_step(
    *, session: Session, actor: Actor, call_id: uuid.UUID, step: BreachStep, note: str,
    now: datetime,
) -> BreachView:
    """Record that a step of the protocol is done, by whom and when, with what was done."""
    call = _call(session, actor, call_id)
    incident = _incident(session, call.id)
    if incident is None:
        raise NotFound("this call is not a security incident")
    row = session.execute(select(SecurityIncidentStep).where(
        SecurityIncidentStep.incident_id == incident.id, SecurityIncidentStep.step == step)
    ).scalar_one()
    if row.done_at is not None:
        raise WrongState("step {step} was recorded already", step=step.value)
    text = clean_text("note", note, limit=NOTE_MAX, required=True)
    row.done_at = now
    row.done_by_id = actor.id
    row.note = text
    session.add(CallHistory(
        call_id=call.id, at=now, operator_id=actor.id, field=HistoryField.NOTE,
        note=f"datalekprotocol: {step.value} afgerond — {text}"))
    call.updated_at = now
    session.flush()
    return _view(session, incident)


def overview(*, session: Session, actor: Actor, call_id: uuid.UUID) -> BreachView | None:
    """The incident of this call, or None when it is not one."""
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound("call {call_id} does not exist", call_id=call_id)
    require(actor, Action.CALL_READ, call.organisation_id)
    incident = _incident(session, call.id)
    return None if incident is None else _view(session, incident)


def open_steps(session: Session, call_id: uuid.UUID) -> list[BreachStep]:
    """The protocol steps still open on this call (none when it is no incident)."""
    rows = session.execute(
        select(SecurityIncidentStep.step)
        .join(SecurityIncident, SecurityIncident.id == SecurityIncidentStep.incident_id)
        .where(SecurityIncident.call_id == call_id, SecurityIncidentStep.done_at.is_(None))
        .order_by(SecurityIncidentStep.position)
    ).scalars().all()
    return [BreachStep(step) for step in rows]


def _call(session: Session, actor: Actor, call_id: uuid.UUID) -> Call:
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound("call {call_id} does not exist", call_id=call_id)
    require(actor, Action.SECURITY_INCIDENT, call.organisation_id)
    return call


def _incident(session: Session, call_id: uuid.UUID) -> SecurityIncident | None:
    return session.execute(
        select(SecurityIncident).where(SecurityIncident.call_id == call_id)
    ).scalar_one_or_none()


def _view(session: Session, incident: SecurityIncident) -> BreachView:
    rows = session.execute(
        select(SecurityIncidentStep, Operator.display_name)
        .outerjoin(Operator, Operator.id == SecurityIncidentStep.done_by_id)
        .where(SecurityIncidentStep.incident_id == incident.id)
        .order_by(SecurityIncidentStep.position)
    ).all()
    steps = tuple(StepView(row.step, row.done_at, name, row.note) for row, name in rows)
    notified = next((s.done_at for s in steps if s.step is BreachStep.KENNISGEVING), None)
    return BreachView(incident.call_id, incident.discovered_at,
                      NotificationClock(incident.discovered_at, notified), steps)
