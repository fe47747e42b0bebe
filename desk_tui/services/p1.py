"""Priority 1 incidents beyond the call itself (SPEC 5): whether the participant's
managers have been told, and the evaluation appointment that is tracked until held."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from desk_tui.services.access import Action, Actor, require
from desk_tui.services.errors import InvalidInput, NotFound, WrongState
from desk_tui.services.text_rules import DESCRIPTION_MAX, clean_text
from desk_tui.store.enums import HistoryField
from desk_tui.store.models import Call, CallHistory, OutboxMessage, P1Evaluation, Person
from desk_tui.store.numbers import ReferenceKind, format_reference


@dataclass(frozen=True, slots=True)
class Notice:
    """One P1 notification: sent, waiting in the outbox, or undeliverable (with why)."""

    recipient: str
    address: str
    sent_at: datetime | None
    problem: str | None

    @property
    def state(self) -> str:
        if self.sent_at is not None:
            return "sent"
        return "pending" if self.problem is None else "failed"


@dataclass(frozen=True, slots=True)
class Evaluation:
    call_id: uuid.UUID
    reference: str
    subject: str
    planned_for: datetime | None
    with_whom: str | None
    held_at: datetime | None
    summary: str | None


@dataclass(frozen=True, slots=True)
class P1Overview:
    notices: tuple[Notice, ...]
    evaluation: Evaluation | None


def overview(*, session: Session, actor: Actor, call_id: uuid.UUID) -> P1Overview:
    """What the call view shows for a (former) priority 1 incident."""
    call = _call(session, actor, Action.CALL_READ, call_id)
    rows = session.execute(
        select(OutboxMessage.dedupe_key, OutboxMessage.recipient, OutboxMessage.sent_at,
               OutboxMessage.last_error, OutboxMessage.next_attempt_at)
        .where(OutboxMessage.call_id == call.id,
               OutboxMessage.dedupe_key.startswith("p1-notice:"))
        .order_by(OutboxMessage.created_at)
    ).all()
    names = _names(session, [row.dedupe_key.rsplit(":", 1)[1] for row in rows])
    notices = tuple(
        Notice(
            recipient=names.get(row.dedupe_key.rsplit(":", 1)[1], row.recipient),
            address=row.recipient,
            sent_at=row.sent_at,
            # Still retried: pending, whatever went wrong last; given up: failed.
            problem=row.last_error if row.next_attempt_at is None and row.sent_at is None
            else None,
        )
        for row in rows
    )
    evaluation = _evaluation(session, call)
    return P1Overview(notices, evaluation)


def open_evaluations(*, session: Session, actor: Actor) -> list[Evaluation]:
    """P1 evaluations not yet held, oldest first: the list of what still needs doing."""
    require(actor, Action.CALL_READ)
    statement = (
        select(P1Evaluation, Call)
        .join(Call, Call.id == P1Evaluation.call_id)
        .where(P1Evaluation.held_at.is_(None))
        .order_by(Call.registered_at)
    )
    if not actor.sees_all_organisations:
        statement = statement.where(Call.organisation_id == actor.organisation_id)
    return [_view(evaluation, call) for evaluation, call in session.execute(statement).all()]


def plan_evaluation(
    *, session: Session, actor: Actor, call_id: uuid.UUID, planned_for: datetime,
    with_whom: str, now: datetime,
) -> Evaluation:
    call = _call(session, actor, Action.P1_EVALUATE, call_id)
    evaluation = _row(session, call)
    if evaluation.held_at is not None:
        raise WrongState("the evaluation has already been held")
    evaluation.planned_for = planned_for
    evaluation.with_whom = clean_text("with_whom", with_whom, limit=200, required=True)
    evaluation.updated_at = now
    when = _local(planned_for, now)
    _note(session, call, actor, now, f"Evaluatie gepland op {when} met {evaluation.with_whom}")
    session.flush()
    return _view(evaluation, call)


def record_evaluation(
    *, session: Session, actor: Actor, call_id: uuid.UUID, held_at: datetime, summary: str,
    now: datetime,
) -> Evaluation:
    call = _call(session, actor, Action.P1_EVALUATE, call_id)
    evaluation = _row(session, call)
    if held_at > now:
        raise InvalidInput("held_at", "an evaluation cannot be recorded before it is held")
    if evaluation.held_at is not None:
        raise WrongState("the evaluation has already been held")
    evaluation.held_at = held_at
    evaluation.summary = clean_text("summary", summary, limit=DESCRIPTION_MAX, required=True)
    evaluation.updated_at = now
    _note(session, call, actor, now, f"Evaluatie gehouden op {_local(held_at, now)}")
    session.flush()
    return _view(evaluation, call)


def _note(session: Session, call: Call, actor: Actor, now: datetime, note: str) -> None:
    """The evaluation's steps belong in the call's history too."""
    session.add(CallHistory(call_id=call.id, operator_id=actor.id, at=now,
                            field=HistoryField.NOTE, note=note))


def _local(instant: datetime, now: datetime) -> str:
    """A date and time in the zone of `now` (the desk's clock is local)."""
    zone = now.tzinfo
    return instant.astimezone(zone).strftime("%d-%m-%Y %H:%M")


def _call(session: Session, actor: Actor, action: Action, call_id: uuid.UUID) -> Call:
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound("call {call_id} does not exist", call_id=call_id)
    require(actor, action, call.organisation_id)
    return call


def _row(session: Session, call: Call) -> P1Evaluation:
    evaluation = session.execute(
        select(P1Evaluation).where(P1Evaluation.call_id == call.id)
    ).scalar_one_or_none()
    if evaluation is None:
        raise WrongState("only a priority 1 incident has an evaluation")
    return evaluation


def _evaluation(session: Session, call: Call) -> Evaluation | None:
    evaluation = session.execute(
        select(P1Evaluation).where(P1Evaluation.call_id == call.id)
    ).scalar_one_or_none()
    return None if evaluation is None else _view(evaluation, call)


def _view(evaluation: P1Evaluation, call: Call) -> Evaluation:
    return Evaluation(
        call_id=call.id,
        reference=format_reference(ReferenceKind.CALL, call.site, call.year, call.number),
        subject=call.subject,
        planned_for=evaluation.planned_for,
        with_whom=evaluation.with_whom,
        held_at=evaluation.held_at,
        summary=evaluation.summary,
    )


def _names(session: Session, person_ids: list[str]) -> dict[str, str]:
    ids = []
    for text in person_ids:
        try:
            ids.append(uuid.UUID(text))
        except ValueError:
            continue
    if not ids:
        return {}
    rows = session.execute(select(Person.id, Person.name).where(Person.id.in_(ids))).all()
    return {str(person_id): name for person_id, name in rows}
