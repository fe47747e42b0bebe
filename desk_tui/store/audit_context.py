"""Who the audit trail writes for, per thread: light (no SQLAlchemy), because
services/access.py calls it on every rights check, also on the console's fast start."""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class AuditActor:
    """Who an entry is written for (the store does not know services' Actor)."""

    id: uuid.UUID | None
    login: str


@dataclass(slots=True)
class Refusal:
    actor: AuditActor
    action: str
    reason: str


@dataclass(slots=True)
class Context:
    """Per thread (context): the actor of the open session and refusals to write."""

    depth: int = 0
    actor: AuditActor | None = None
    refusals: list[Refusal] = field(default_factory=list)


_context: ContextVar[Context | None] = ContextVar("desk_audit_context", default=None)


def here() -> Context:
    context = _context.get()
    if context is None:
        context = Context()
        _context.set(context)
    return context


def act_as(actor_id: uuid.UUID | None, login: str) -> None:
    """The operator whose rights were just checked: the writes of this session are theirs."""
    here().actor = AuditActor(actor_id, login)


def note_refusal(actor_id: uuid.UUID | None, login: str, action: str, reason: str) -> None:
    """A refused action; written when the session it happened in has closed."""
    here().refusals.append(Refusal(AuditActor(actor_id, login), action, reason))


def begin_session() -> None:
    """A session opens (the outermost one forgets the last actor)."""
    context = here()
    if context.depth == 0:
        context.actor = None
    context.depth += 1
