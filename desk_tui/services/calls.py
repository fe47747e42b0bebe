"""Call use cases: register, reclassify, take/assign, move line, pause/resume, resolve,
close, reopen, link CIs, escalate. One function = one transaction; `session` comes from
`write_session` (BEGIN IMMEDIATE on SQLite)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from desk_tui.domain.calendar import Pause
from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.escalation import TOP_LEVEL
from desk_tui.domain.sla import CallSla, SlaEngine
from desk_tui.services import mail
from desk_tui.services.access import Action, Actor, require
from desk_tui.services.errors import Conflict, InvalidInput, NotFound, Phrase, WrongState
from desk_tui.services.text_rules import (
    DESCRIPTION_MAX,
    NOTE_MAX,
    SUBJECT_MAX,
    clean_text,
)
from desk_tui.store.enums import CallStatus, Channel, HistoryField, SupportLine
from desk_tui.store.models import (
    Call,
    CallCi,
    CallHistory,
    CallPause,
    Category,
    ConfigurationItem,
    Operator,
    Organisation,
    P1Evaluation,
    Person,
)
from desk_tui.store.numbers import ReferenceKind, format_reference, next_number

OPEN = (CallStatus.GEREGISTREERD, CallStatus.IN_BEHANDELING, CallStatus.WACHT)


@dataclass(frozen=True, slots=True)
class CallDraft:
    """What the operator filled in at intake."""

    organisation_id: uuid.UUID
    call_type: CallType
    subject: str
    caller_id: uuid.UUID | None = None
    channel: Channel = Channel.TELEFOON
    category_id: uuid.UUID | None = None
    impact: Level | None = None
    urgency: Level | None = None
    description: str = ""
    ci_ids: tuple[uuid.UUID, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Saved:
    """A call after a use case: its id, reference, version (for the next update) and SLA."""

    id: uuid.UUID
    reference: str
    version: int
    status: CallStatus
    priority: int | None
    sla: CallSla


def reference_of(call: Call) -> str:
    return format_reference(ReferenceKind.CALL, call.site, call.year, call.number)


def local_year(instant: datetime, sla: SlaEngine) -> int:
    return instant.astimezone(sla.calendars.config.zone).year


# -- reading what a use case needs ---------------------------------------------------------
def _call_for_update(
    session: Session, actor: Actor, action: Action, call_id: uuid.UUID, version: int | None
) -> Call:
    # FOR UPDATE (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers): a
    # second writer waits here for the first to commit and then reads its version, so
    # the check below refuses it, rather than a stale UPDATE failing mid-use-case.
    call = session.get(Call, call_id, with_for_update=True)
    if call is None:
        raise NotFound("call {call_id} does not exist", call_id=call_id)
    require(actor, action, call.organisation_id)
    if version is not None and call.version != version:
        raise Conflict(
            "call {reference} was changed by someone else meanwhile; "
            "it has been reloaded, nothing was overwritten", reference=reference_of(call),
        )
    return call


def pauses_of(session: Session, call_id: uuid.UUID) -> list[Pause]:
    rows = session.execute(
        select(CallPause.started_at, CallPause.ended_at)
        .where(CallPause.call_id == call_id)
        .order_by(CallPause.started_at)
    ).all()
    return [(start, end) for start, end in rows]


def plan_for(call: Call, pauses: Sequence[Pause], sla: SlaEngine) -> CallSla:
    """The SLA of a stored call, from its registration: reclassification recomputes from
    there, and waiting periods hold the resolution clock."""
    zone = sla.calendars.config.zone
    return sla.plan_call(
        call.registered_at.astimezone(zone),
        call.call_type,
        call.impact,
        call.urgency,
        pauses,
        reacted=call.reacted_at,
        resolved=call.resolved_at,
    )


def _apply_plan(call: Call, plan: CallSla) -> None:
    call.priority = plan.priority
    call.handled_by = plan.handled_by
    call.reaction_due = plan.reaction_due.astimezone(UTC)
    call.resolution_due = (
        None if plan.resolution_due is None else plan.resolution_due.astimezone(UTC)
    )


def _history(
    session: Session,
    call: Call,
    actor: Actor,
    now: datetime,
    field_name: HistoryField,
    old: object,
    new: object,
    note: str | None = None,
) -> None:
    session.add(
        CallHistory(
            call_id=call.id,
            at=now,
            operator_id=actor.id,
            field=field_name,
            old_value=None if old is None else str(old),
            new_value=None if new is None else str(new),
            note=note,
        )
    )


def _set(
    session: Session, call: Call, actor: Actor, now: datetime, name: str,
    field_name: HistoryField, value: object, note: str | None = None,
) -> bool:
    """Set one attribute and keep its history; False when nothing changed."""
    old = getattr(call, name)
    if old == value:
        return False
    setattr(call, name, value)
    _history(session, call, actor, now, field_name, _shown(old), _shown(value), note)
    return True


def _shown(value: object) -> object:
    return value.value if hasattr(value, "value") else value


def _replan(session: Session, call: Call, sla: SlaEngine) -> CallSla:
    """Recompute priority and due times from the registration and its pauses, store them."""
    plan = plan_for(call, pauses_of(session, call.id), sla)
    _apply_plan(call, plan)
    return plan


def _finish(session: Session, call: Call, sla: SlaEngine, plan: CallSla | None = None) -> Saved:
    """Flush (the version check happens here) and describe the result; `plan` is the SLA
    the use case just computed, if it did."""
    # Read before the flush: a failed flush rolls the transaction back, and the call's
    # attributes can then no longer be loaded (PendingRollbackError instead of Conflict).
    reference = reference_of(call)
    try:
        session.flush()
    except StaleDataError as error:
        raise Conflict(
            "call {reference} was changed by someone else meanwhile; nothing was overwritten",
            reference=reference,
        ) from error
    if plan is None:
        plan = plan_for(call, pauses_of(session, call.id), sla)
    return Saved(call.id, reference_of(call), call.version, call.status, call.priority, plan)


def _check_levels(call_type: CallType, impact: Level | None, urgency: Level | None) -> None:
    if call_type is CallType.STORING:
        if impact is None:
            raise InvalidInput("impact", "an incident (storing) needs an impact")
        if urgency is None:
            raise InvalidInput("urgency", "an incident (storing) needs an urgency")


def _check_cis(session: Session, ci_ids: Sequence[uuid.UUID]) -> list[ConfigurationItem]:
    items = []
    for ci_id in ci_ids:
        item = session.get(ConfigurationItem, ci_id)
        if item is None:
            raise InvalidInput("ci", "configuration item {ci_id} does not exist", ci_id=ci_id)
        items.append(item)
    return items


def _agreed_with(name: str, what: Phrase) -> str:
    who = clean_text("agreed_with", name, limit=200)
    if not who:
        raise InvalidInput(
            "agreed_with", "{what} is done in consultation: say who at the participant agreed",
            what=what,
        )
    return f"in overleg met {who}"


def _start_p1(
    session: Session, call: Call, organisation: Organisation, plan: CallSla, now: datetime
) -> None:
    """A call became priority 1: notify the managers and open its evaluation."""
    mail.queue_p1_notice(
        session, call=call, reference=reference_of(call), organisation=organisation,
        plan=plan, now=now,
    )
    existing = session.execute(
        select(P1Evaluation.id).where(P1Evaluation.call_id == call.id)
    ).first()
    if existing is None:
        session.add(P1Evaluation(call_id=call.id, created_at=now, updated_at=now))


# -- use cases -------------------------------------------------------------------------------
def register_call(
    *, session: Session, actor: Actor, sla: SlaEngine, draft: CallDraft, now: datetime,
    site: str = "main",
) -> Saved:
    """Register a call: priority and due times from the engine, history, and a
    confirmation mail to the caller in the outbox, all in one transaction."""
    require(actor, Action.CALL_REGISTER, draft.organisation_id)
    subject = clean_text("subject", draft.subject, limit=SUBJECT_MAX, required=True)
    description = clean_text("description", draft.description, limit=DESCRIPTION_MAX)
    _check_levels(draft.call_type, draft.impact, draft.urgency)
    organisation = session.get(Organisation, draft.organisation_id)
    if organisation is None or not organisation.active:
        raise InvalidInput("organisation", "choose an active participating organisation")
    caller = None
    if draft.caller_id is not None:
        caller = session.get(Person, draft.caller_id)
        if caller is None or caller.organisation_id != organisation.id:
            raise InvalidInput("caller", "the caller does not belong to this organisation")
    if draft.category_id is not None and session.get(Category, draft.category_id) is None:
        raise InvalidInput("category", "unknown category")
    _check_cis(session, draft.ci_ids)

    call = Call(
        site=site,
        year=local_year(now, sla),
        number=next_number(session, ReferenceKind.CALL, site, local_year(now, sla)),
        call_type=draft.call_type,
        channel=draft.channel,
        caller_id=draft.caller_id,
        organisation_id=organisation.id,
        department_id=caller.department_id if caller else None,
        category_id=draft.category_id,
        subject=subject,
        description=description,
        impact=draft.impact,
        urgency=draft.urgency,
        status=CallStatus.GEREGISTREERD,
        line=SupportLine.EERSTE_LIJN,
        registered_by_id=actor.id,
        registered_at=now,
    )
    plan = plan_for(call, (), sla)
    _apply_plan(call, plan)
    session.add(call)
    session.flush()
    _history(session, call, actor, now, HistoryField.STATUS, None, CallStatus.GEREGISTREERD.value)
    if call.priority is not None:
        _history(session, call, actor, now, HistoryField.PRIORITY, None, call.priority)
    for ci_id in dict.fromkeys(draft.ci_ids):
        session.add(CallCi(call_id=call.id, ci_id=ci_id, linked_at=now))
    if caller is not None and caller.email:
        mail.queue_confirmation(
            session, call=call, reference=reference_of(call), caller=caller, plan=plan, now=now
        )
    if call.priority == 1:
        _start_p1(session, call, organisation, plan, now)
    return _finish(session, call, sla, plan)


def reclassify(
    *, session: Session, actor: Actor, sla: SlaEngine, call_id: uuid.UUID, now: datetime,
    call_type: CallType, impact: Level | None, urgency: Level | None,
    category_id: uuid.UUID | None = None, note: str = "", version: int | None = None,
    agreed_with: str = "",
) -> Saved:
    """Change type, impact, urgency or category: priority and due times are recomputed
    from the registration, and every change is kept in the history. Lowering a priority 1
    incident needs the name of whoever at the participant agreed to it (SLA 4.3.2); raising
    a call to priority 1 tells the participant's managers at once."""
    call = _call_for_update(session, actor, Action.CALL_RECLASSIFY, call_id, version)
    if call.status not in OPEN:
        raise WrongState("only an open call can be reclassified; reopen it first")
    _check_levels(call_type, impact, urgency)
    reason = clean_text("note", note, limit=NOTE_MAX) or None
    if category_id is not None and session.get(Category, category_id) is None:
        raise InvalidInput("category", "unknown category")
    _set(session, call, actor, now, "call_type", HistoryField.CALL_TYPE, call_type, reason)
    _set(session, call, actor, now, "impact", HistoryField.IMPACT, impact, reason)
    _set(session, call, actor, now, "urgency", HistoryField.URGENCY, urgency, reason)
    _set(session, call, actor, now, "category_id", HistoryField.CATEGORY, category_id, reason)
    before = call.priority
    plan = _replan(session, call, sla)
    if call.priority != before:
        if before == 1:
            agreed = _agreed_with(agreed_with, Phrase("lowering a priority 1 incident"))
            reason = f"{reason} — {agreed}" if reason else agreed
        _history(session, call, actor, now, HistoryField.PRIORITY, before, call.priority, reason)
        if call.priority == 1:
            organisation = session.get(Organisation, call.organisation_id)
            assert organisation is not None  # a foreign key
            _start_p1(session, call, organisation, plan, now)
    return _finish(session, call, sla, plan)


def assign(
    *, session: Session, actor: Actor, sla: SlaEngine, call_id: uuid.UUID, now: datetime,
    operator_id: uuid.UUID, version: int | None = None,
) -> Saved:
    """Link the call to a handler: that is the reaction (status "in behandeling")."""
    action = Action.CALL_TAKE if operator_id == actor.id else Action.CALL_ASSIGN
    call = _call_for_update(session, actor, action, call_id, version)
    if call.status not in OPEN:
        raise WrongState("a resolved or closed call cannot be assigned; reopen it first")
    handler = session.get(Operator, operator_id)
    if handler is None or not handler.active:
        raise InvalidInput("handler", "choose an active operator")
    _set(session, call, actor, now, "handler_id", HistoryField.HANDLER, operator_id)
    if call.status is CallStatus.GEREGISTREERD:
        _set(session, call, actor, now, "status", HistoryField.STATUS, CallStatus.IN_BEHANDELING)
    if call.reacted_at is None:
        call.reacted_at = now
    return _finish(session, call, sla)


def take(
    *, session: Session, actor: Actor, sla: SlaEngine, call_id: uuid.UUID, now: datetime,
    version: int | None = None,
) -> Saved:
    """The acting operator becomes the handler."""
    return assign(
        session=session, actor=actor, sla=sla, call_id=call_id, now=now,
        operator_id=actor.id, version=version,
    )


def move_line(
    *, session: Session, actor: Actor, sla: SlaEngine, call_id: uuid.UUID, now: datetime,
    line: SupportLine, note: str = "", supplier: str | None = None, version: int | None = None,
) -> Saved:
    """Route the call up or down the functional ladder (1st → 2nd → specialist → 3rd)."""
    call = _call_for_update(session, actor, Action.CALL_MOVE_LINE, call_id, version)
    if call.status not in OPEN:
        raise WrongState("only an open call can move to another line")
    reason = clean_text("note", note, limit=NOTE_MAX) or None
    if not _set(session, call, actor, now, "line", HistoryField.LINE, line, reason):
        raise WrongState("the call is already at {line}", line=line.value)
    if line is SupportLine.DERDE_LIJN:
        call.supplier = clean_text("supplier", supplier, limit=200) or call.supplier
    return _finish(session, call, sla)


def pause(
    *, session: Session, actor: Actor, sla: SlaEngine, call_id: uuid.UUID, now: datetime,
    reason: str, version: int | None = None,
) -> Saved:
    """The call waits on the caller or a third party: the resolution clock stops."""
    call = _call_for_update(session, actor, Action.CALL_PAUSE, call_id, version)
    if call.status is not CallStatus.IN_BEHANDELING:
        raise WrongState("only a call in behandeling can wait; take it first")
    why = clean_text("reason", reason, limit=500, required=True)
    session.add(CallPause(call_id=call.id, started_at=now, reason=why, operator_id=actor.id))
    _set(session, call, actor, now, "status", HistoryField.STATUS, CallStatus.WACHT, why)
    session.flush()
    return _finish(session, call, sla, _replan(session, call, sla))


def _end_open_pause(session: Session, call: Call, now: datetime) -> None:
    open_pause = session.execute(
        select(CallPause).where(CallPause.call_id == call.id, CallPause.ended_at.is_(None))
    ).scalars().first()
    if open_pause is not None:
        open_pause.ended_at = max(now, open_pause.started_at)


def resume(
    *, session: Session, actor: Actor, sla: SlaEngine, call_id: uuid.UUID, now: datetime,
    note: str = "", version: int | None = None,
) -> Saved:
    """The wait is over: the resolution clock runs again, its due time moved on."""
    call = _call_for_update(session, actor, Action.CALL_PAUSE, call_id, version)
    if call.status is not CallStatus.WACHT:
        raise WrongState("the call is not waiting")
    _end_open_pause(session, call, now)
    reason = clean_text("note", note, limit=NOTE_MAX) or None
    _set(session, call, actor, now, "status", HistoryField.STATUS, CallStatus.IN_BEHANDELING,
         reason)
    session.flush()
    return _finish(session, call, sla, _replan(session, call, sla))


def resolve(
    *, session: Session, actor: Actor, sla: SlaEngine, call_id: uuid.UUID, now: datetime,
    solution: str, version: int | None = None,
) -> Saved:
    """Record the solution; the resolution clock stops (and the reaction, if not given)."""
    call = _call_for_update(session, actor, Action.CALL_RESOLVE, call_id, version)
    if call.status not in OPEN:
        raise WrongState("the call is already resolved or closed")
    call.solution = clean_text("solution", solution, limit=DESCRIPTION_MAX, required=True)
    _end_open_pause(session, call, now)
    if call.handler_id is None:
        _set(session, call, actor, now, "handler_id", HistoryField.HANDLER, actor.id)
    if call.reacted_at is None:
        call.reacted_at = now
    call.resolved_at = now
    _set(session, call, actor, now, "status", HistoryField.STATUS, CallStatus.OPGELOST)
    session.flush()
    return _finish(session, call, sla, _replan(session, call, sla))


def close(
    *, session: Session, actor: Actor, sla: SlaEngine, call_id: uuid.UUID, now: datetime,
    version: int | None = None, agreed_with: str = "",
) -> Saved:
    """Close a resolved call (after the caller agreed, or the agreed term passed); a
    priority 1 incident only with the name of whoever at the participant agreed."""
    call = _call_for_update(session, actor, Action.CALL_CLOSE, call_id, version)
    if call.status is not CallStatus.OPGELOST:
        raise WrongState("only a resolved call can be closed; resolve it first")
    from desk_tui.services.security import open_steps  # security builds on calls

    steps = open_steps(session, call.id)
    if steps:
        raise WrongState(
            "a security incident closes only when its protocol is done; open: {steps}",
            steps=", ".join(step.value for step in steps))
    note = None
    if call.priority == 1:
        note = _agreed_with(agreed_with, Phrase("closing a priority 1 incident"))
    call.closed_at = now
    _set(session, call, actor, now, "status", HistoryField.STATUS, CallStatus.GESLOTEN, note)
    return _finish(session, call, sla)


def reopen(
    *, session: Session, actor: Actor, sla: SlaEngine, call_id: uuid.UUID, now: datetime,
    reason: str, version: int | None = None,
) -> Saved:
    """The solution did not hold. The time it stood resolved is kept as a waiting period,
    so the resolution clock goes on where it stopped."""
    call = _call_for_update(session, actor, Action.CALL_REOPEN, call_id, version)
    if call.status not in (CallStatus.OPGELOST, CallStatus.GESLOTEN):
        raise WrongState("only a resolved or closed call can be reopened")
    why = clean_text("reason", reason, limit=500, required=True)
    if call.resolved_at is not None:
        session.add(
            CallPause(
                call_id=call.id, started_at=call.resolved_at, ended_at=max(now, call.resolved_at),
                # The column holds 500; the reason in full is in the history note.
                reason=f"opgelost tot heropenen: {why}"[:500], operator_id=actor.id,
            )
        )
    call.resolved_at = None
    call.closed_at = None
    _set(session, call, actor, now, "status", HistoryField.STATUS, CallStatus.IN_BEHANDELING,
         why)
    session.flush()
    return _finish(session, call, sla, _replan(session, call, sla))


def link_ci(
    *, session: Session, actor: Actor, sla: SlaEngine, call_id: uuid.UUID, now: datetime,
    ci_id: uuid.UUID, version: int | None = None,
) -> Saved:
    call = _call_for_update(session, actor, Action.CALL_LINK_CI, call_id, version)
    [item] = _check_cis(session, [ci_id])
    if session.get(CallCi, (call.id, ci_id)) is None:
        session.add(CallCi(call_id=call.id, ci_id=ci_id, linked_at=now))
        _history(session, call, actor, now, HistoryField.NOTE, None, None,
                 f"CI gekoppeld: {item.name}")
        call.updated_at = now  # bumps the version: another operator sees the change
    return _finish(session, call, sla)


def unlink_ci(
    *, session: Session, actor: Actor, sla: SlaEngine, call_id: uuid.UUID, now: datetime,
    ci_id: uuid.UUID, version: int | None = None,
) -> Saved:
    call = _call_for_update(session, actor, Action.CALL_LINK_CI, call_id, version)
    link = session.get(CallCi, (call.id, ci_id))
    if link is None:
        raise NotFound("that configuration item is not linked to this call")
    session.delete(link)
    item = session.get(ConfigurationItem, ci_id)
    name = item.name if item is not None else str(ci_id)
    _history(session, call, actor, now, HistoryField.NOTE, None, None, f"CI ontkoppeld: {name}")
    call.updated_at = now
    return _finish(session, call, sla)


def escalate(
    *, session: Session, actor: Actor, sla: SlaEngine, call_id: uuid.UUID, now: datetime,
    level: int, reason: str, version: int | None = None,
) -> Saved:
    """Move the call to `level` on the hierarchical ladder (0: not escalated), up or down;
    the reason goes into the history."""
    call = _call_for_update(session, actor, Action.CALL_ESCALATE, call_id, version)
    if call.status not in OPEN:
        raise WrongState("only an open call moves on the escalation ladder")
    if not 0 <= level <= TOP_LEVEL:
        raise InvalidInput("level", "the ladder has levels 0 to {top}", top=TOP_LEVEL)
    why = clean_text("reason", reason, limit=NOTE_MAX, required=True)
    if level == call.escalation_level:
        raise WrongState("the call is already at level {level}", level=level)
    _history(session, call, actor, now, HistoryField.ESCALATION_LEVEL, call.escalation_level,
             level, why)
    call.escalation_level = level
    return _finish(session, call, sla)
