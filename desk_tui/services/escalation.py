"""The hierarchical ladder in use (SPEC 5): the organisation's named contacts per level,
and the calls that need someone to act. Moving a call on the ladder is calls.escalate."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from desk_tui.domain.escalation import TOP_LEVEL, Alert, AlertKind, EscalationPolicy, alerts, rung
from desk_tui.domain.sla import SlaEngine
from desk_tui.services.access import Action, Actor, require
from desk_tui.services.queries import open_queue
from desk_tui.services.views import QueueFilter, QueueRow
from desk_tui.store.enums import EscalationSide
from desk_tui.store.models import Call, EscalationContact


@dataclass(frozen=True, slots=True)
class Contact:
    side: EscalationSide
    role: str
    name: str | None
    phone: str | None
    email: str | None


@dataclass(frozen=True, slots=True)
class LadderLevel:
    """One level of the ladder for one organisation: the SLA's roles and who fills them."""

    level: int
    participant_role: str
    servicedesk_role: str
    contacts: tuple[Contact, ...]


@dataclass(frozen=True, slots=True)
class NeedsAction:
    row: QueueRow
    level: int  # where the call stands on the ladder now
    alerts: tuple[Alert, ...]


def ladder(*, session: Session, actor: Actor, organisation_id: uuid.UUID) -> list[LadderLevel]:
    """The five levels with the organisation's named contacts on both sides."""
    require(actor, Action.CALL_READ, organisation_id)
    rows = session.execute(
        select(EscalationContact)
        .where(EscalationContact.organisation_id == organisation_id)
        .order_by(EscalationContact.level, EscalationContact.side,
                  EscalationContact.sort_order)
    ).scalars().all()
    levels = []
    for level in range(1, TOP_LEVEL + 1):
        step = rung(level)
        contacts = tuple(
            Contact(row.side, row.role_title, row.person_name, row.phone, row.email)
            for row in rows if row.level == level
        )
        levels.append(LadderLevel(level, step.participant_role, step.servicedesk_role,
                                  contacts))
    return levels


def needing_action(
    *, session: Session, actor: Actor, sla: SlaEngine, now: datetime,
    policy: EscalationPolicy = EscalationPolicy(),
) -> list[NeedsAction]:
    """Open calls whose clocks warn or ran out, or whose ladder level is due; the calls
    with a level due first, then by the queue's order."""
    rows = open_queue(session=session, actor=actor, sla=sla, now=now,
                      query=QueueFilter(limit=100_000))
    if not rows:
        return []
    levels = dict(session.execute(
        select(Call.id, Call.escalation_level).where(Call.id.in_([row.id for row in rows]))
    ).all())
    positions = sla.now_positions(now)
    found: list[NeedsAction] = []
    for row in rows:
        reaction = sla.countdowns((row.reaction,), positions)[0]
        resolution = (
            None if row.resolution is None else sla.countdowns((row.resolution,), positions)[0]
        )
        current = levels.get(row.id, 0)
        raised = alerts(policy, priority=row.priority, reacted=row.reaction.held_at is not None,
                        reaction=reaction, resolution=resolution, current_level=current)
        if raised:
            found.append(NeedsAction(row, current, tuple(raised)))
    found.sort(key=lambda item: item.alerts[0].kind is not AlertKind.LEVEL_DUE)
    return found
