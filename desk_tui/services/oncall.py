"""Evening on-call: its queue with on-call clocks, and the handover to the morning.

The rule of what on-call handles is in desk_tui/domain/oncall.py; here it is applied to
the open calls. At closing time (20:00) what is left is handed over: a record of what was
open and what was done, a note in each open call's history, and a banner for the morning
shift until someone acknowledges it. Handing over is idempotent per evening; the console
does it by itself at closing time, or the morning does it on opening if nobody did.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from desk_tui.domain.classification import CallType
from desk_tui.domain.oncall import (
    DEFAULT_SCOPE,
    CallFacts,
    Evening,
    OnCallScope,
    evening_at,
    handled_on_call,
    last_closed_evening,
)
from desk_tui.domain.sla import ClockKind, Handler, SlaEngine
from desk_tui.services import queries
from desk_tui.services.access import Action, Actor, require
from desk_tui.services.errors import NotFound, Phrase, WrongState
from desk_tui.services.queue import sort_queue
from desk_tui.services.views import QueueFilter, QueueRow, QueueSort
from desk_tui.store.enums import OPEN_CALL_STATUSES, HistoryField
from desk_tui.store.models import (
    Call,
    CallCi,
    CallHistory,
    Category,
    ConfigurationItem,
    OnCallHandover,
    Operator,
    Organisation,
)


@dataclass(frozen=True, slots=True)
class OnCallQueue:
    """The calls on-call handles in `evening` (open now, or the next one), with on-call
    reaction clocks for those not yet reacted to."""

    evening: Evening | None
    open_now: bool
    rows: list[QueueRow]


def _next_evening(sla: SlaEngine, now: datetime) -> Evening | None:
    current = evening_at(sla.calendars, now)
    if current is not None:
        return current
    try:
        opens = sla.calendars.on_call.next_opening(now)
    except ValueError:  # no on-call window configured
        return None
    return evening_at(sla.calendars, opens)


def _facts(session: Session, call_ids: list[uuid.UUID],
           scope: OnCallScope) -> dict[uuid.UUID, tuple]:
    """(category, evening opening, CI types, reacted at) per call; the evening opening
    from `[on_call] municipalities` when configured, else the organisation's own mark."""
    facts: dict[uuid.UUID, tuple] = {}
    for start in range(0, len(call_ids), 500):
        chunk = call_ids[start:start + 500]
        rows = session.execute(
            select(Call.id, Category.name, Organisation.code, Organisation.evening_opening,
                   Call.reacted_at)
            .join(Organisation, Organisation.id == Call.organisation_id)
            .outerjoin(Category, Category.id == Call.category_id)
            .where(Call.id.in_(chunk))
        ).all()
        types: dict[uuid.UUID, set[str]] = {}
        for call_id, ci_type in session.execute(
            select(CallCi.call_id, ConfigurationItem.ci_type)
            .join(ConfigurationItem, ConfigurationItem.id == CallCi.ci_id)
            .where(CallCi.call_id.in_(chunk))
        ).all():
            types.setdefault(call_id, set()).add(str(ci_type.value))
        for call_id, category, code, evening_opening, reacted_at in rows:
            facts[call_id] = (category, scope.evening_opening(code, bool(evening_opening)),
                              frozenset(types.get(call_id, ())), reacted_at)
    return facts


def _open_candidates(session: Session, actor: Actor, sla: SlaEngine, now: datetime,
                     evening: Evening, scope: OnCallScope,
                     query: QueueFilter | None = None) -> list[QueueRow]:
    """Open calls that may be on-call's, narrowed in SQL first (a big queue is never
    planned whole), as queue rows; the domain rule then decides. `query`'s filters apply
    as in the day queue, except "breached", which on-call judges by its own clocks."""
    zone = sla.calendars.config.zone
    day_start = datetime(evening.day.year, evening.day.month, evening.day.day, tzinfo=zone)
    candidates = list(session.execute(
        select(Call.id).join(Organisation, Organisation.id == Call.organisation_id).where(
            Call.status.in_(OPEN_CALL_STATUSES),
            or_(Call.priority == 1, Call.handled_by == Handler.ON_CALL,
                and_(Organisation.evening_opening.is_(True) if scope.municipalities is None
                     else Organisation.code.in_(sorted(scope.municipalities)),
                     Call.call_type == CallType.STORING,
                     Call.registered_at >= day_start, Call.registered_at < evening.closes)),
        )
    ).scalars())
    if not candidates:
        return []
    narrowed = QueueFilter() if query is None else replace(query, breached=False)
    return queries.open_queue(session=session, actor=actor, sla=sla, now=now,
                              query=replace(narrowed, limit=len(candidates)),
                              only_ids=candidates)


def _handled(session: Session, rows: list[QueueRow], evening: Evening,
             scope: OnCallScope) -> list[QueueRow]:
    facts = _facts(session, [row.id for row in rows], scope)
    chosen = []
    for row in rows:
        category, evening_opening, ci_types, reacted_at = facts.get(
            row.id, (None, False, frozenset(), None))
        facts_of_row = CallFacts(
            row.priority, row.handled_by, row.registered_at, category, evening_opening,
            ci_types, incident=row.call_type is CallType.STORING,
            reacted=reacted_at is not None and reacted_at < evening.opens,
        )
        if handled_on_call(facts_of_row, evening, scope):
            chosen.append(row)
    return chosen


def on_call_clock(row: QueueRow, sla: SlaEngine, evening: Evening) -> QueueRow:
    """The row with on-call's reaction clock, if no one reacted yet."""
    if row.reaction.held_at is not None:
        return row
    start = max(row.registered_at, evening.opens)
    clock = sla.clock(ClockKind.ON_CALL, start, sla.targets.on_call_reaction)
    return replace(row, reaction=clock, reaction_due=sla.due(clock))


def on_call_queue(*, session: Session, actor: Actor, sla: SlaEngine, now: datetime,
                  scope: OnCallScope = DEFAULT_SCOPE,
                  query: QueueFilter = QueueFilter()) -> OnCallQueue:
    """Only what on-call handles, filtered as `query` asks; crisis calls first, then in
    `query`'s order ("due first": P1 first, then by the on-call clocks)."""
    require(actor, Action.CALL_READ)
    evening = _next_evening(sla, now)
    if evening is None:
        return OnCallQueue(None, False, [])
    rows = _open_candidates(session, actor, sla, now, evening, scope, query)
    chosen = [on_call_clock(row, sla, evening) for row in _handled(session, rows, evening, scope)]
    positions = sla.now_positions(now)

    def running(row: QueueRow) -> list[float]:
        return [c.remaining_at(positions[c.kind]) for c in (row.reaction, row.resolution)
                if c is not None and c.held_at is None]

    if query.breached:  # past a target on the clocks on-call works to
        chosen = [row for row in chosen if any(left <= 0 for left in running(row))]
    if query.sort is not QueueSort.DUE:
        return OnCallQueue(evening, evening.holds(now),
                           sort_queue(chosen, query.sort, sla, now))  # crisis first too

    def first_due(row: QueueRow) -> tuple[bool, int, float, datetime]:
        """Crisis calls first (as in the day queue), then P1, then the on-call clocks."""
        left = running(row)
        return (not row.crisis, 0 if row.priority == 1 else 1,
                min(left) if left else float("inf"), row.registered_at)

    chosen.sort(key=first_due)
    return OnCallQueue(evening, evening.holds(now), chosen)


# -- the handover ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class HandoverView:
    id: uuid.UUID
    evening: str  # ISO date
    handed_over_at: datetime
    by: str | None
    open_calls: list[dict[str, Any]]
    done_calls: list[dict[str, Any]]
    registered: int
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    created: bool = False  # this call made it

    def describe(self, zone: Any) -> str:
        when = self.handed_over_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        lines = [f"on-call evening {self.evening}: handed over {when}"
                 + (f" by {self.by}" if self.by else ""),
                 f"  registered this evening: {self.registered}",
                 f"  done: {len(self.done_calls)}"]
        lines += [f"    {c['reference']}  P{c['priority'] or '-'}  {c['organisation']}"
                  f"  {c['subject']}" for c in self.done_calls]
        lines.append(f"  left open for the morning: {len(self.open_calls)}")
        lines += [f"    {c['reference']}  P{c['priority'] or '-'}  {c['organisation']}"
                  f"  {c['status']}  {c['subject']}" for c in self.open_calls]
        if self.acknowledged_at is not None:
            seen = self.acknowledged_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
            lines.append(f"  seen by the morning: {self.acknowledged_by or '?'} at {seen}")
        return "\n".join(lines)


def _line(row: QueueRow) -> dict[str, Any]:
    return {"id": str(row.id), "reference": row.number, "organisation": row.organisation,
            "subject": row.summary, "priority": row.priority, "status": row.status.value,
            "handler": row.handler}


def hand_over(*, session: Session, actor: Actor, sla: SlaEngine, now: datetime,
              scope: OnCallScope = DEFAULT_SCOPE) -> HandoverView:
    """Hand the last closed evening over to the morning, once; a second call returns the
    handover already made."""
    from desk_tui.services.offline import refuse_at_site

    require(actor, Action.ON_CALL_HANDOVER)
    refuse_at_site(session, Phrase("the on-call handover"))  # the central desk hands evenings over
    evening = last_closed_evening(sla.calendars, now)
    if evening is None:
        raise WrongState("no on-call evening has closed yet to hand over")
    existing = session.execute(
        select(OnCallHandover).where(OnCallHandover.evening == evening.day)
    ).scalars().first()
    if existing is not None:
        return _view(session, existing, actor)
    rows = _open_candidates(session, actor, sla, now, evening, scope)
    left = _handled(session, rows, evening, scope)
    done = _done(session, actor, sla, evening, scope)
    per_organisation: dict[str, int] = {}
    for organisation_id in session.execute(select(Call.organisation_id).where(
            Call.registered_at >= evening.opens, Call.registered_at < evening.closes)).scalars():
        key = str(organisation_id)
        per_organisation[key] = per_organisation.get(key, 0) + 1
    registered = sum(per_organisation.values())
    label = evening.day.strftime("%d-%m-%Y")
    for row in left:
        session.add(CallHistory(
            call_id=row.id, at=now, operator_id=actor.id, field=HistoryField.NOTE,
            note=f"Piket {label}: open overgedragen aan de ochtenddienst",
        ))
    record = OnCallHandover(
        evening=evening.day, handed_over_at=now, operator_id=actor.id,
        open_count=len(left), done_count=len(done),
        summary={"open": [_line(row) for row in left], "done": done,
                 "registered": registered, "registered_by_organisation": per_organisation,
                 "closes": evening.closes.isoformat()},
        created_at=now, updated_at=now,
    )
    session.add(record)
    session.flush()
    return replace(_view(session, record, actor), created=True)


def _done(session: Session, actor: Actor, sla: SlaEngine, evening: Evening,
          scope: OnCallScope) -> list[dict[str, Any]]:
    """Calls on-call's scope resolved during the evening."""
    from desk_tui.services.calls import reference_of

    resolved = session.execute(
        select(Call, Organisation.code)
        .join(Organisation, Organisation.id == Call.organisation_id)
        .where(Call.resolved_at >= evening.opens, Call.resolved_at < evening.closes)
        .order_by(Call.resolved_at)
    ).all()
    if not actor.sees_all_organisations:
        resolved = [(c, code) for c, code in resolved if c.organisation_id == actor.organisation_id]
    facts = _facts(session, [call.id for call, _ in resolved], scope)
    zone = sla.calendars.config.zone
    done = []
    for call, code in resolved:
        category, evening_opening, ci_types, _ = facts.get(
            call.id, (None, False, frozenset(), None))
        facts_of_call = CallFacts(
            call.priority, call.handled_by, call.registered_at.astimezone(zone), category,
            evening_opening, ci_types, incident=call.call_type is CallType.STORING,
            reacted=call.reacted_at is not None and call.reacted_at < evening.opens,
        )
        if handled_on_call(facts_of_call, evening, scope):
            done.append({"id": str(call.id), "reference": reference_of(call),
                         "organisation": code, "subject": call.subject,
                         "priority": call.priority, "status": call.status.value,
                         "handler": None})
    return done


def _own_lines(session: Session, actor: Actor,
               lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lines of calls `actor` may see: a contract or information manager only their
    own organisation's (the handover covers every participant)."""
    if actor.sees_all_organisations:
        return lines
    ids = [uuid.UUID(line["id"]) for line in lines]
    if not ids:
        return []
    own = {str(call_id) for call_id in session.execute(select(Call.id).where(
        Call.id.in_(ids), Call.organisation_id == actor.organisation_id)).scalars()}
    return [line for line in lines if line["id"] in own]


def _registered(summary: dict[str, Any], actor: Actor) -> int:
    """Calls registered that evening: all of them, or a manager's own organisation's."""
    if actor.sees_all_organisations:
        return int(summary.get("registered", 0))
    counts = summary.get("registered_by_organisation", {})
    return int(counts.get(str(actor.organisation_id), 0))


def _view(session: Session, record: OnCallHandover, actor: Actor) -> HandoverView:
    def name(operator_id: uuid.UUID | None) -> str | None:
        if operator_id is None:
            return None
        operator = session.get(Operator, operator_id)
        return None if operator is None else operator.display_name

    summary = record.summary or {}
    return HandoverView(
        record.id, record.evening.isoformat(), record.handed_over_at, name(record.operator_id),
        _own_lines(session, actor, list(summary.get("open", []))),
        _own_lines(session, actor, list(summary.get("done", []))),
        _registered(summary, actor), record.acknowledged_at,
        name(record.acknowledged_by_id),
    )


def pending_handover(*, session: Session, actor: Actor) -> HandoverView | None:
    """The newest handover the morning has not acknowledged yet (for the banner)."""
    require(actor, Action.CALL_READ)
    record = session.execute(
        select(OnCallHandover).where(OnCallHandover.acknowledged_at.is_(None))
        .order_by(OnCallHandover.evening.desc())
    ).scalars().first()
    return None if record is None else _view(session, record, actor)


def latest_handover(*, session: Session, actor: Actor) -> HandoverView | None:
    require(actor, Action.CALL_READ)
    record = session.execute(
        select(OnCallHandover).order_by(OnCallHandover.evening.desc())
    ).scalars().first()
    return None if record is None else _view(session, record, actor)


def acknowledge(*, session: Session, actor: Actor, handover_id: uuid.UUID,
                now: datetime) -> HandoverView:
    """The morning shift has read the handover: the banner goes. A write for the whole
    desk, so it takes the handover right, not just the right to read calls."""
    require(actor, Action.ON_CALL_HANDOVER)
    record = session.get(OnCallHandover, handover_id)
    if record is None:
        raise NotFound("no such handover")
    if record.acknowledged_at is None:
        record.acknowledged_at = now
        record.acknowledged_by_id = actor.id
        record.updated_at = now
    session.flush()
    return _view(session, record, actor)


def handover_due(*, session: Session, actor: Actor, sla: SlaEngine, now: datetime) -> bool:
    """Whether this operator may, and should, hand the last closed evening over: from
    closing time until a day after the desk opens again (later, `desk oncall handover`
    still does it by hand). A read: the console asks every refresh and writes only when
    the answer is yes."""
    from desk_tui.services.offline import local_site

    if not actor.may(Action.ON_CALL_HANDOVER) or local_site(session) is not None:
        return False  # an election site's copy never hands over: its bundle would not carry it
    evening = last_closed_evening(sla.calendars, now)
    if evening is None:
        return False
    morning = sla.calendars.service.next_opening(evening.closes)
    if now >= morning + timedelta(days=1):
        return False
    return session.execute(
        select(OnCallHandover.id).where(OnCallHandover.evening == evening.day)
    ).first() is None


def hand_over_if_due(*, session: Session, actor: Actor, sla: SlaEngine, now: datetime,
                     scope: OnCallScope = DEFAULT_SCOPE) -> HandoverView | None:
    """At or after closing time, hand the evening over if nobody has: the console calls
    this, so what is left at 20:00 reaches the morning even when no one pressed a key."""
    if not handover_due(session=session, actor=actor, sla=sla, now=now):
        return None
    return hand_over(session=session, actor=actor, sla=sla, now=now, scope=scope)
