"""Mail the desk sends, queued in the outbox in the same transaction as its cause.

A background sender (not here) delivers it; the dedupe key keeps a retried save from
queueing the same mail twice.
"""

from __future__ import annotations

from datetime import datetime
from string import Template

from sqlalchemy import select
from sqlmodel import Session

from desk_tui.domain.sla import CallSla
from desk_tui.store.models import Call, OutboxMessage, Person

CONFIRMATION = {
    "nl": (
        Template("Melding $reference geregistreerd: $subject"),
        Template(
            "Beste $name,\n\n"
            "Uw melding is geregistreerd onder nummer $reference.\n\n"
            "Onderwerp: $subject\n"
            "Prioriteit: $priority\n"
            "Reactie uiterlijk: $reaction_due\n"
            "Oplossing streefdatum: $resolution_due\n\n"
            "Vermeld het nummer bij contact over deze melding.\n\n"
            "Met vriendelijke groet,\nde ICT Servicedesk\n"
        ),
    ),
    "en": (
        Template("Call $reference registered: $subject"),
        Template(
            "Dear $name,\n\n"
            "Your call has been registered as $reference.\n\n"
            "Subject: $subject\n"
            "Priority: $priority\n"
            "Reaction due: $reaction_due\n"
            "Resolution target: $resolution_due\n\n"
            "Please quote the number whenever you contact us about it.\n\n"
            "Kind regards,\nthe ICT Servicedesk\n"
        ),
    ),
}


def _when(instant: datetime | None) -> str:
    return "—" if instant is None else instant.strftime("%Y-%m-%d %H:%M")


def queue_confirmation(
    session: Session, *, call: Call, reference: str, caller: Person, plan: CallSla,
    now: datetime, language: str = "nl",
) -> None:
    """Queue the automatic confirmation the SLA promises for every registered call."""
    key = f"call-registered:{call.id}"
    if session.execute(
        select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)
    ).first():
        return
    subject_template, body_template = CONFIRMATION.get(language, CONFIRMATION["nl"])
    values = {
        "reference": reference,
        "subject": call.subject,
        "name": caller.name,
        "priority": "—" if plan.priority is None else str(plan.priority),
        "reaction_due": _when(plan.reaction_due),
        "resolution_due": _when(plan.resolution_due),
    }
    session.add(
        OutboxMessage(
            dedupe_key=key,
            recipient=caller.email or "",
            subject=subject_template.safe_substitute(values)[:300],
            body=body_template.safe_substitute(values),
            language=language,
            call_id=call.id,
            created_at=now,
            next_attempt_at=now,
        )
    )
