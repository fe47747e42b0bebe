"""Reading: the open-call queue, call search, one call in full, caller lookup, pick lists.

Lists are Core selects of the columns they show (ORM objects cost ~20× per row); closed
calls are never part of the queue.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from desk_tui.domain.calendar import Pause
from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.crisis import CRISIS_FROM_LEVEL
from desk_tui.domain.sla import CallSla, SlaEngine
from desk_tui.services.access import Action, Actor, grants_for, require
from desk_tui.services.calls import OPEN, plan_for, reference_of
from desk_tui.services.crisis import crisis_since_by_code
from desk_tui.services.errors import NotFound
from desk_tui.services.queue import OpenCall, queue_rows
from desk_tui.services.views import QueueFilter, QueueRow
from desk_tui.services.views import QueueSort as QueueSort  # callers import it from here
from desk_tui.store.enums import CallStatus, Channel, HistoryField, OperatorRole, SupportLine
from desk_tui.store.models import (
    Call,
    CallCi,
    CallHistory,
    CallPause,
    Category,
    ConfigurationItem,
    Department,
    GripLevel,
    Operator,
    OperatorRoleGrant,
    Organisation,
    Person,
    RolePermission,
)
from desk_tui.store.numbers import ReferenceKind, format_reference
from desk_tui.store.tables.base import CENTRAL_SITE

_REFERENCE = re.compile(r"^\s*[mM]?(\d{4})-(?:([A-Za-z0-9]+)-)?(\d{1,9})\s*$")


def actor_for(session: Session, login: str) -> Actor:
    """The operator with this login and their roles; NotFound if unknown or inactive.
    Proves nothing: the console and the commands reach it only through
    services/identity.py's sign_in (tests build their actors with it directly)."""
    operator = session.execute(
        select(Operator).where(Operator.login == login)
    ).scalar_one_or_none()
    if operator is None or not operator.active:
        raise NotFound("no active operator with login “{login}”", login=login)
    roles = frozenset(OperatorRole(role) for role in session.execute(
        select(OperatorRoleGrant.role).where(OperatorRoleGrant.operator_id == operator.id)
    ).scalars())
    permissions = session.execute(
        select(RolePermission.role, RolePermission.action).where(RolePermission.role.in_(roles))
    ).all()
    return Actor(
        id=operator.id,
        login=operator.login,
        display_name=operator.display_name,
        roles=roles,
        line=operator.line,
        organisation_id=operator.organisation_id,
        active=operator.active,
        grants=grants_for(roles, [(str(role), action) for role, action in permissions]),
    )


def _visible(actor: Actor, statement):
    """Managers of a participant see only their own organisation's calls."""
    if actor.sees_all_organisations:
        return statement
    return statement.where(Call.organisation_id == actor.organisation_id)


def _pauses_by_call(
    session: Session, call_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[Pause]]:
    ids = list(call_ids)
    found: dict[uuid.UUID, list[Pause]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(CallPause.call_id, CallPause.started_at, CallPause.ended_at)
            .where(CallPause.call_id.in_(ids[start : start + 500]))
            .order_by(CallPause.started_at)
        )
        for call_id, begin, end in rows:
            found[call_id].append((begin, end))
    return found


def _text_condition(text: str):
    words = text.split()
    conditions = []
    for word in words:
        match = _REFERENCE.match(word)
        if match:
            year, site, number = match.groups()
            conditions.append(and_(
                Call.year == int(year), Call.number == int(number),
                Call.site == (site.lower() if site else CENTRAL_SITE),
            ))
            continue
        like = or_(
            Call.subject.icontains(word, autoescape=True),
            Person.name.icontains(word, autoescape=True),
            Organisation.code.icontains(word, autoescape=True),
            Organisation.name.icontains(word, autoescape=True),
        )
        if word.isdigit():
            like = or_(like, Call.number == int(word))
        conditions.append(like)
    return and_(*conditions)


def open_queue(
    *, session: Session, actor: Actor, sla: SlaEngine, now: datetime,
    query: QueueFilter = QueueFilter(), only_ids: Collection[uuid.UUID] | None = None,
) -> list[QueueRow]:
    """Open calls as rows with their clocks, filtered and sorted as asked; `only_ids`
    narrows them to those calls (the on-call queue picks its candidates in SQL first)."""
    require(actor, Action.CALL_READ)
    handler = aliased(Operator)
    statement = (
        select(
            Call.id, Call.site, Call.year, Call.number, Organisation.code, Person.name,
            Call.subject, Call.call_type, Call.impact, Call.urgency, Call.priority, Call.status,
            handler.display_name, Call.line, Call.handled_by, Call.registered_at,
            Call.reacted_at, Call.resolved_at, Call.version,
        )  # the stored due times only order the rows: queue_rows plans the clocks (pauses)
        .join(Organisation, Organisation.id == Call.organisation_id)
        .outerjoin(Person, Person.id == Call.caller_id)
        .outerjoin(handler, handler.id == Call.handler_id)
        .where(Call.status.in_(OPEN))
    )
    statement = _visible(actor, statement)
    if only_ids is not None:
        statement = statement.where(Call.id.in_(list(only_ids)))
    if query.mine:
        statement = statement.where(Call.handler_id == actor.id)
    if query.unassigned:
        statement = statement.where(Call.handler_id.is_(None))
    if query.organisation_id is not None:
        statement = statement.where(Call.organisation_id == query.organisation_id)
    if query.priority is not None:
        statement = statement.where(Call.priority == query.priority)
    if query.waiting:
        statement = statement.where(Call.status == CallStatus.WACHT)
    if query.breached:
        statement = statement.where(
            or_(
                and_(Call.reacted_at.is_(None), Call.reaction_due <= now),
                and_(Call.status != CallStatus.WACHT, Call.resolution_due <= now),
            )
        )
    if query.text.strip():
        statement = statement.where(_text_condition(query.text))
    # The limit must keep the most urgent calls: order by the next target first.
    next_due = case(
        (Call.reacted_at.is_(None), Call.reaction_due), else_=Call.resolution_due
    )
    # Crisis calls first, so the limit never drops one (the sort below puts them on top).
    crisis = aliased(GripLevel)
    statement = statement.outerjoin(crisis, and_(
        crisis.organisation_id == Call.organisation_id, crisis.ended_at.is_(None),
        crisis.level >= CRISIS_FROM_LEVEL, crisis.crisis_since.is_not(None),
    ))
    crisis_first = case((Call.registered_at >= crisis.crisis_since, 0), else_=1)
    statement = statement.order_by(crisis_first, next_due.is_(None), next_due,
                                   Call.registered_at)
    rows = session.execute(statement.limit(query.limit)).all()
    calls = [  # unpacked in the order selected: quicker than reading each by name
        OpenCall(call_id, format_reference(ReferenceKind.CALL, site, year, number), *rest)
        for call_id, site, year, number, *rest in rows
    ]
    pauses = _pauses_by_call(session, (call.id for call in calls))
    return queue_rows(calls, pauses, sla=sla, now=now, sort=query.sort,
                      crisis_since=crisis_since_by_code(session))


@dataclass(frozen=True, slots=True)
class CallHit:
    id: uuid.UUID
    reference: str
    status: CallStatus
    subject: str
    caller: str
    organisation: str
    registered_at: datetime
    priority: int | None


def search_calls(
    *, session: Session, actor: Actor, text: str, limit: int = 50, sla: SlaEngine
) -> list[CallHit]:
    """Any call, open or closed, by reference, caller or words of its subject; newest first."""
    require(actor, Action.CALL_READ)
    if not text.strip():
        return []
    statement = (
        select(
            Call.id, Call.site, Call.year, Call.number, Call.status, Call.subject, Person.name,
            Organisation.code, Call.registered_at, Call.priority,
        )
        .join(Organisation, Organisation.id == Call.organisation_id)
        .outerjoin(Person, Person.id == Call.caller_id)
        .where(_text_condition(text))
        .order_by(Call.registered_at.desc())
        .limit(limit)
    )
    zone = sla.calendars.config.zone
    return [
        CallHit(
            row.id, format_reference(ReferenceKind.CALL, row.site, row.year, row.number),
            row.status, row.subject, row.name or "", row.code,
            row.registered_at.astimezone(zone), row.priority,
        )
        for row in session.execute(_visible(actor, statement))
    ]


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: datetime
    operator: str | None
    field: HistoryField
    old_value: str | None
    new_value: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class PauseEntry:
    started_at: datetime
    ended_at: datetime | None
    reason: str


@dataclass(frozen=True, slots=True)
class LinkedCi:
    id: uuid.UUID
    ci_type: str
    name: str
    hostname: str | None


@dataclass(frozen=True, slots=True)
class CallDetail:
    """One call with everything the call view shows."""

    id: uuid.UUID
    reference: str
    version: int
    call_type: CallType
    channel: Channel
    status: CallStatus
    organisation_id: uuid.UUID
    organisation: str
    caller: str
    caller_phone: str | None
    caller_email: str | None
    department: str | None
    category_id: uuid.UUID | None
    category: str | None
    subject: str
    description: str
    impact: Level | None
    urgency: Level | None
    priority: int | None
    handler_id: uuid.UUID | None
    handler: str | None
    line: SupportLine
    supplier: str | None
    registered_at: datetime
    reacted_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    solution: str | None
    sla: CallSla
    history: tuple[HistoryEntry, ...] = field(default_factory=tuple)
    pauses: tuple[PauseEntry, ...] = field(default_factory=tuple)
    cis: tuple[LinkedCi, ...] = field(default_factory=tuple)
    escalation_level: int = 0  # where it stands on the hierarchical ladder
    caller_id: uuid.UUID | None = None


def call_detail(
    *, session: Session, actor: Actor, sla: SlaEngine, call_id: uuid.UUID
) -> CallDetail:
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound("call {call_id} does not exist", call_id=call_id)
    require(actor, Action.CALL_READ, call.organisation_id)
    zone = sla.calendars.config.zone

    def local(instant: datetime | None) -> datetime | None:
        return None if instant is None else instant.astimezone(zone)

    organisation = session.get(Organisation, call.organisation_id)
    caller = session.get(Person, call.caller_id) if call.caller_id else None
    department = session.get(Department, call.department_id) if call.department_id else None
    category = session.get(Category, call.category_id) if call.category_id else None
    handler = session.get(Operator, call.handler_id) if call.handler_id else None
    history = session.execute(
        select(CallHistory, Operator.display_name)
        .outerjoin(Operator, Operator.id == CallHistory.operator_id)
        .where(CallHistory.call_id == call.id)
        .order_by(CallHistory.at, CallHistory.id)
    ).all()
    pauses = session.execute(
        select(CallPause).where(CallPause.call_id == call.id).order_by(CallPause.started_at)
    ).scalars().all()
    cis = session.execute(
        select(ConfigurationItem)
        .join(CallCi, CallCi.ci_id == ConfigurationItem.id)
        .where(CallCi.call_id == call.id)
        .order_by(ConfigurationItem.name)
    ).scalars().all()
    plan = plan_for(call, [(p.started_at, p.ended_at) for p in pauses], sla)
    return CallDetail(
        id=call.id,
        reference=reference_of(call),
        version=call.version,
        call_type=call.call_type,
        channel=call.channel,
        status=call.status,
        organisation_id=call.organisation_id,
        organisation=organisation.name if organisation else "",
        caller=caller.name if caller else "",
        caller_phone=caller.phone if caller else None,
        caller_email=caller.email if caller else None,
        department=department.name if department else None,
        category_id=call.category_id,
        category=category.name if category else None,
        subject=call.subject,
        description=call.description,
        impact=call.impact,
        urgency=call.urgency,
        priority=call.priority,
        handler_id=call.handler_id,
        handler=handler.display_name if handler else None,
        line=call.line,
        supplier=call.supplier,
        registered_at=local(call.registered_at),
        reacted_at=local(call.reacted_at),
        resolved_at=local(call.resolved_at),
        closed_at=local(call.closed_at),
        solution=call.solution,
        sla=plan,
        history=tuple(
            HistoryEntry(local(h.at), name, h.field, h.old_value, h.new_value, h.note)
            for h, name in history
        ),
        pauses=tuple(PauseEntry(local(p.started_at), local(p.ended_at), p.reason) for p in pauses),
        cis=tuple(LinkedCi(c.id, c.ci_type.value, c.name, c.hostname) for c in cis),
        escalation_level=call.escalation_level,
        caller_id=call.caller_id,
    )


@dataclass(frozen=True, slots=True)
class PersonHit:
    id: uuid.UUID
    name: str
    phone: str | None
    email: str | None
    login: str | None
    department: str | None
    organisation_id: uuid.UUID
    organisation: str
    organisation_name: str


def find_people(*, session: Session, actor: Actor, text: str, limit: int = 20) -> list[PersonHit]:
    """Callers matching every word typed, in name, phone, login, mail, department or
    organisation: the intake's lookup as the operator types."""
    require(actor, Action.CALL_REGISTER)
    words = text.split()
    if not words:
        return []
    statement = (
        select(
            Person.id, Person.name, Person.phone, Person.email, Person.login, Department.name,
            Organisation.id, Organisation.code, Organisation.name,
        )
        .join(Organisation, Organisation.id == Person.organisation_id)
        .outerjoin(Department, Department.id == Person.department_id)
        .where(Person.active.is_(True), Organisation.active.is_(True))
    )
    for word in words:
        digits = re.sub(r"\D", "", word)
        conditions = [
            Person.name.icontains(word, autoescape=True),
            Person.login.icontains(word, autoescape=True),
            Person.email.icontains(word, autoescape=True),
            Department.name.icontains(word, autoescape=True),
            Organisation.code.icontains(word, autoescape=True),
            Organisation.name.icontains(word, autoescape=True),
        ]
        if len(digits) >= 3:
            phone = func.replace(func.replace(Person.phone, "-", ""), " ", "")
            conditions.append(phone.contains(digits, autoescape=True))
        statement = statement.where(or_(*conditions))
    statement = statement.order_by(Person.name).limit(limit)
    return [PersonHit(*row) for row in session.execute(statement)]


@dataclass(frozen=True, slots=True)
class Choice:
    """An item of a pick list: organisations, categories, operators."""

    id: uuid.UUID
    label: str
    detail: str = ""
    suggested_urgency: Level | None = None


def organisations(*, session: Session) -> list[Choice]:
    rows = session.execute(
        select(Organisation.id, Organisation.code, Organisation.name)
        .where(Organisation.active.is_(True))
        .order_by(Organisation.name)
    )
    return [Choice(id_, name, code) for id_, code, name in rows]


def categories(*, session: Session) -> list[Choice]:
    rows = session.execute(
        select(Category.id, Category.name, Category.suggested_urgency)
        .where(Category.active.is_(True))
        .order_by(Category.sort_order, Category.name)
    )
    return [Choice(id_, name, "", urgency) for id_, name, urgency in rows]


def operators(*, session: Session) -> list[Choice]:
    rows = session.execute(
        select(Operator.id, Operator.display_name, Operator.line)
        .where(Operator.active.is_(True))
        .order_by(Operator.display_name)
    )
    return [Choice(id_, name, line.value) for id_, name, line in rows]


def find_cis(
    *, session: Session, actor: Actor, text: str, organisation_id: uuid.UUID | None = None,
    limit: int = 10,
) -> list[LinkedCi]:
    """Configuration items by name, hostname, asset tag or serial, the caller's
    organisation first: what intake links to a call."""
    require(actor, Action.CALL_LINK_CI)
    words = text.split()
    if not words:
        return []
    statement = select(
        ConfigurationItem.id, ConfigurationItem.ci_type, ConfigurationItem.name,
        ConfigurationItem.hostname,
    )
    for word in words:
        statement = statement.where(
            or_(
                ConfigurationItem.name.icontains(word, autoescape=True),
                ConfigurationItem.hostname.icontains(word, autoescape=True),
                ConfigurationItem.asset_tag.icontains(word, autoescape=True),
                ConfigurationItem.serial_number.icontains(word, autoescape=True),
            )
        )
    if organisation_id is not None:
        own_first = (ConfigurationItem.organisation_id == organisation_id).desc()
        statement = statement.order_by(own_first, ConfigurationItem.name)
    else:
        statement = statement.order_by(ConfigurationItem.name)
    return [
        LinkedCi(id_, ci_type.value, name, hostname)
        for id_, ci_type, name, hostname in session.execute(statement.limit(limit))
    ]
