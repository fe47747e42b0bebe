"""The audit trail as operators use it: verify the chain, prune past retention, read
the newest entries, and log who viewed a person's data."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.engine import Engine

from desk_tui.services.access import Action, Actor, require
from desk_tui.store import audit
from desk_tui.store.audit import PruneReport, Verdict
from desk_tui.store.engine import read_session, write_session

DEFAULT_RETENTION_DAYS = 7 * 365 + 2  # seven years: the SLA and the data statement are silent


def verify(engine: Engine, actor: Actor) -> Verdict:
    with read_session(engine) as session:
        require(actor, Action.AUDIT_READ)
        return audit.verify(session.connection())


def recent(engine: Engine, actor: Actor, limit: int = 50) -> list[dict[str, object]]:
    with read_session(engine) as session:
        require(actor, Action.AUDIT_READ)
        return audit.entries(session.connection(), limit=limit)


def prune(engine: Engine, actor: Actor, *, retention_days: int, now: datetime) -> PruneReport:
    """Remove entries older than the retention, keeping the chain verifiable."""
    who = audit.AuditActor(actor.id, actor.login)
    with write_session(engine) as session:
        require(actor, Action.AUDIT_PRUNE)
        return audit.prune(session.connection(), retention_days=retention_days, now=now,
                           actor=who)


def viewed_person(engine: Engine, actor: Actor, person_id: uuid.UUID, what: str) -> None:
    """Log that `actor` saw this person's data (the caller in a call view, an export)."""
    audit.record_read(engine, audit.AuditActor(actor.id, actor.login), "person", person_id,
                      what)
