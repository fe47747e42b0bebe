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
from desk_tui.store.enums import HistoryField
from desk_tui.store.models import Call, CallHistory, Organisation, OutboxMessage, Person

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


P1_NOTICE = {
    "nl": (
        Template("Prioriteit 1: melding $reference van $organisation"),
        Template(
            "Beste $name,\n\n"
            "Bij de servicedesk is een verstoring met prioriteit 1 voor $organisation"
            " geregistreerd onder nummer $reference.\n\n"
            "Onderwerp: $subject\n"
            "Geregistreerd: $registered\n"
            "Reactie uiterlijk: $reaction_due\n"
            "Oplossing streefdatum: $resolution_due\n\n"
            "Wij houden u op de hoogte. Na afloop plannen wij met u een evaluatie.\n\n"
            "Met vriendelijke groet,\nde ICT Servicedesk\n"
        ),
    ),
    "en": (
        Template("Priority 1: call $reference of $organisation"),
        Template(
            "Dear $name,\n\n"
            "The servicedesk has registered a priority 1 incident for $organisation"
            " as $reference.\n\n"
            "Subject: $subject\n"
            "Registered: $registered\n"
            "Reaction due: $reaction_due\n"
            "Resolution target: $resolution_due\n\n"
            "We will keep you informed, and plan an evaluation with you afterwards.\n\n"
            "Kind regards,\nthe ICT Servicedesk\n"
        ),
    ),
}


LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"


def recipient_language(person: Person, organisation: Organisation | None) -> str:
    """The language desk writes to `person` in: their own, else their organisation's,
    else Dutch; a language without templates falls back to Dutch too."""
    for language in (person.language, organisation.language if organisation else None):
        if language:
            code = language.strip().lower()
            return code if code in LANGUAGES else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def p1_notice_key(call_id: object, person_id: object) -> str:
    return f"p1-notice:{call_id}:{person_id}"


def queue_p1_notice(
    session: Session, *, call: Call, reference: str, organisation: Organisation,
    plan: CallSla, now: datetime, language: str | None = None,
) -> list[Person]:
    """Tell the organisation's contract manager and information manager of a priority 1
    incident at once (SLA 4.3.2), each in their own language unless `language` is given.
    Returns whom it was queued for."""
    managers = [
        person for person_id in dict.fromkeys(
            (organisation.contract_manager_id, organisation.information_manager_id)
        )
        if person_id is not None and (person := session.get(Person, person_id)) is not None
    ]
    for manager in managers:
        key = p1_notice_key(call.id, manager.id)
        if session.execute(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)
        ).first():
            continue
        written_in = language or recipient_language(manager, organisation)
        subject_template, body_template = P1_NOTICE.get(written_in, P1_NOTICE["nl"])
        registered = call.registered_at.astimezone(plan.reaction_due.tzinfo)
        values = {
            "reference": reference, "organisation": organisation.name, "name": manager.name,
            "subject": call.subject, "registered": _when(registered),
            "reaction_due": _when(plan.reaction_due),
            "resolution_due": _when(plan.resolution_due),
        }
        session.add(OutboxMessage(
            dedupe_key=key, recipient=manager.email or "",
            subject=subject_template.safe_substitute(values)[:300],
            body=body_template.safe_substitute(values), language=written_in,
            call_id=call.id, created_at=now, next_attempt_at=now,
        ))
        _note(session, call, now, f"Prioriteit 1: bericht aan {manager.name} in de outbox"
              + ("" if manager.email else " (geen e-mailadres bekend)"))
    if not managers:
        _note(session, call, now, "Prioriteit 1: de organisatie heeft geen contract- of"
              " informatiemanager opgegeven; niemand ingelicht")
    return managers


def _note(session: Session, call: Call, now: datetime, note: str) -> None:
    """The notice is a step of the P1 flow: it belongs in the call's history (by desk)."""
    session.add(CallHistory(call_id=call.id, operator_id=None, at=now,
                            field=HistoryField.NOTE, note=note))


def _when(instant: datetime | None) -> str:
    return "—" if instant is None else instant.strftime("%Y-%m-%d %H:%M")


def queue_confirmation(
    session: Session, *, call: Call, reference: str, caller: Person, plan: CallSla,
    now: datetime, language: str | None = None,
) -> None:
    """Queue the automatic confirmation the SLA promises for every registered call, in
    the caller's language unless `language` is given."""
    key = f"call-registered:{call.id}"
    if session.execute(
        select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)
    ).first():
        return
    if language is None:
        language = recipient_language(caller, session.get(Organisation, caller.organisation_id))
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
