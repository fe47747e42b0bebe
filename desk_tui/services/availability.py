"""Availability per participant per month (SPEC 9), from the calls' own history: a call
counts as an open priority 1 incident from the moment it is P1 and open (registered as
P1, raised to P1, reopened as P1) until it is resolved or its priority is lowered."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlmodel import Session

from desk_tui.domain.availability import Availability, availability, month_bounds
from desk_tui.domain.sla import SlaEngine
from desk_tui.services.access import Action, Actor, require
from desk_tui.services.calls import reference_of
from desk_tui.store.enums import CallStatus, HistoryField
from desk_tui.store.models import Call, CallHistory

_OPEN = {CallStatus.GEREGISTREERD.value, CallStatus.IN_BEHANDELING.value, CallStatus.WACHT.value}

Interval = tuple[datetime, datetime | None, str]


def p1_intervals(
    session: Session, organisation_id: uuid.UUID, start: datetime, end: datetime
) -> list[Interval]:
    """The stretches in which each call of the organisation was an open P1, overlapping
    [start, end); the end is None while it still is."""
    touched = select(CallHistory.call_id).where(
        CallHistory.field == HistoryField.PRIORITY,
        or_(CallHistory.new_value == "1", CallHistory.old_value == "1"),
    )
    calls = session.execute(
        select(Call).where(
            Call.organisation_id == organisation_id,
            Call.registered_at < end,
            or_(Call.priority == 1, Call.id.in_(touched)),
        )
    ).scalars().all()
    if not calls:
        return []
    events: dict[uuid.UUID, list[tuple[datetime, HistoryField, str | None]]] = defaultdict(list)
    for call_id, at, field, value in session.execute(
        select(CallHistory.call_id, CallHistory.at, CallHistory.field, CallHistory.new_value)
        .where(CallHistory.call_id.in_([call.id for call in calls]),
               CallHistory.field.in_((HistoryField.PRIORITY, HistoryField.STATUS)))
        .order_by(CallHistory.at, CallHistory.id)
    ):
        events[call_id].append((at, field, value))
    found: list[Interval] = []
    for call in calls:
        for begin, finish in _replay(events[call.id]):
            if begin < end and (finish is None or finish > start):
                found.append((begin, finish, reference_of(call)))
    return found


def _replay(
    events: list[tuple[datetime, HistoryField, str | None]],
) -> list[tuple[datetime, datetime | None]]:
    priority: str | None = None
    status: str | None = None
    since: datetime | None = None
    stretches: list[tuple[datetime, datetime | None]] = []
    for at, field, value in events:
        if field is HistoryField.PRIORITY:
            priority = value
        else:
            status = value
        down = priority == "1" and status in _OPEN
        if down and since is None:
            since = at
        elif not down and since is not None:
            stretches.append((since, at))
            since = None
    if since is not None:
        stretches.append((since, None))
    return stretches


def monthly_availability(
    *, session: Session, actor: Actor, sla: SlaEngine, organisation_id: uuid.UUID,
    month: date, now: datetime,
) -> Availability:
    require(actor, Action.REPORT_READ, organisation_id)
    zone = sla.calendars.config.zone
    start, end = month_bounds(month, zone)
    intervals = p1_intervals(session, organisation_id, start, end)
    return availability(sla.calendars.service, month, zone, intervals, now=now)
