"""Crisis mode (SPEC 10): the GRIP level of a municipality, and what the console needs
when it is GRIP 3 or higher (ICT action is then required).

A **crisis call** is an open call of an organisation that stands at GRIP 3 or 4 now,
registered at or after the moment that organisation reached GRIP 3 in the current run
(`GripLevel.crisis_since`; going from 3 to 4 keeps it, dropping below 3 ends it). Calls
registered before the crisis are ordinary calls; they keep their place in the queue.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from desk_tui.domain.crisis import CRISIS_FROM_LEVEL
from desk_tui.services.access import Action, Actor, require
from desk_tui.services.errors import Conflict, InvalidInput, NotFound, Phrase
from desk_tui.services.text_rules import NOTE_MAX, clean_text
from desk_tui.store.models import CrisisContact, CrisisContactKind, GripLevel, Organisation

GRIP_LEVELS = range(0, 5)


@dataclass(frozen=True, slots=True)
class Contact:
    role_title: str
    name: str | None
    phone: str
    email: str | None


@dataclass(frozen=True, slots=True)
class OrganisationCrisis:
    """The current GRIP level of one organisation and whom to ring."""

    organisation_id: uuid.UUID
    code: str
    name: str
    level: int
    started_at: datetime
    crisis_since: datetime | None
    crisis_lines: tuple[Contact, ...]
    oov_contacts: tuple[Contact, ...]

    @property
    def in_crisis(self) -> bool:
        return self.level >= CRISIS_FROM_LEVEL


@dataclass(frozen=True, slots=True)
class GripChange:
    code: str
    before: int | None  # None: no GRIP level was set
    after: int | None  # None: cleared


def organisation_by_code(session: Session, code: str) -> Organisation:
    found = session.execute(
        select(Organisation).where(Organisation.code == code.strip().upper())
    ).scalars().first()
    if found is None:
        raise NotFound("no organisation with code “{code}”", code=code.strip())
    return found


def _current(session: Session, organisation_id: uuid.UUID) -> GripLevel | None:
    return session.execute(
        select(GripLevel).where(
            GripLevel.organisation_id == organisation_id, GripLevel.ended_at.is_(None)
        )
    ).scalars().first()


def _flush(session: Session, code: str) -> None:
    try:
        session.flush()
    except IntegrityError as error:  # two operators set a level at the same moment
        raise Conflict(
            "the GRIP level of {code} was changed by someone else meanwhile; look again",
            code=code,
        ) from error


def _central_only(session: Session, what: Phrase) -> None:
    """GRIP levels and crisis contacts are set centrally, never at an election site."""
    from desk_tui.services.offline import refuse_at_site

    refuse_at_site(session, what)


def set_level(
    *, session: Session, actor: Actor, code: str, level: int, now: datetime, note: str = ""
) -> GripChange:
    """Set the GRIP level (0–4) of one organisation; the previous level's period ends."""
    organisation = organisation_by_code(session, code)
    require(actor, Action.CRISIS_MANAGE, organisation.id)
    _central_only(session, Phrase("A GRIP level"))
    if level not in GRIP_LEVELS:
        raise InvalidInput("level", "a GRIP level is 0, 1, 2, 3 or 4")
    reason = clean_text("note", note, limit=NOTE_MAX) or None
    current = _current(session, organisation.id)
    before = None if current is None else current.level
    if current is not None and current.level == level:
        return GripChange(organisation.code, before, level)
    since = None
    if level >= CRISIS_FROM_LEVEL:
        carried = current.crisis_since if current is not None else None
        since = carried or now
    if current is not None:
        current.ended_at = max(now, current.started_at)
        current.ended_by_id = actor.id
        _flush(session, organisation.code)
    session.add(GripLevel(
        organisation_id=organisation.id, level=level, started_at=now, crisis_since=since,
        set_by_id=actor.id, note=reason, created_at=now, updated_at=now,
    ))
    _flush(session, organisation.code)
    return GripChange(organisation.code, before, level)


def clear_level(*, session: Session, actor: Actor, code: str, now: datetime) -> GripChange:
    """End the crisis of one organisation: no GRIP level any more."""
    organisation = organisation_by_code(session, code)
    require(actor, Action.CRISIS_MANAGE, organisation.id)
    _central_only(session, Phrase("A GRIP level"))
    current = _current(session, organisation.id)
    if current is None:
        raise NotFound("{code} has no GRIP level set", code=organisation.code)
    current.ended_at = max(now, current.started_at)
    current.ended_by_id = actor.id
    _flush(session, organisation.code)
    return GripChange(organisation.code, current.level, None)


def add_contact(
    *, session: Session, actor: Actor, code: str, kind: CrisisContactKind, role_title: str,
    phone: str, name: str = "", email: str = "", now: datetime,
) -> Contact:
    """Record a 24/7 crisis number or a public-order-and-safety contact of an organisation."""
    organisation = organisation_by_code(session, code)
    require(actor, Action.CRISIS_MANAGE, organisation.id)
    _central_only(session, Phrase("A crisis contact"))
    title = clean_text("role", role_title, limit=200, required=True)
    number = clean_text("phone", phone, limit=40, required=True)
    who = clean_text("name", name, limit=200) or None
    address = clean_text("email", email, limit=320) or None
    if address is not None and "@" not in address:
        raise InvalidInput("email", "“{address}” is not a mail address", address=address)
    order = len(session.execute(
        select(CrisisContact.id).where(CrisisContact.organisation_id == organisation.id)
    ).all())
    session.add(CrisisContact(
        organisation_id=organisation.id, kind=kind, role_title=title, name=who, phone=number,
        email=address, sort_order=order, created_at=now, updated_at=now,
    ))
    session.flush()
    return Contact(title, who, number, address)


@dataclass(frozen=True, slots=True)
class ContactRow:
    """One recorded crisis contact with its id, to list and to remove by."""

    id: uuid.UUID
    code: str
    crisis_line: bool  # a 24/7 crisis number; else a public-order-and-safety contact
    role_title: str
    name: str | None
    phone: str
    email: str | None


def list_contacts(*, session: Session, actor: Actor, code: str | None = None) -> list[ContactRow]:
    """The crisis contacts recorded (of one organisation, or all the actor may see)."""
    require(actor, Action.CALL_READ)
    statement = (
        select(CrisisContact, Organisation.code)
        .join(Organisation, Organisation.id == CrisisContact.organisation_id)
        .order_by(Organisation.code, CrisisContact.sort_order, CrisisContact.role_title)
    )
    if code is not None:
        statement = statement.where(
            CrisisContact.organisation_id == organisation_by_code(session, code).id)
    if not actor.sees_all_organisations:
        statement = statement.where(CrisisContact.organisation_id == actor.organisation_id)
    return [
        ContactRow(contact.id, org_code, contact.kind is CrisisContactKind.CRISIS_LINE,
                   contact.role_title, contact.name, contact.phone, contact.email)
        for contact, org_code in session.execute(statement).all()
    ]


def remove_contact(*, session: Session, actor: Actor, contact_id: uuid.UUID) -> ContactRow:
    """Remove a crisis contact that is no longer right (a number changed, a person left)."""
    found = session.execute(
        select(CrisisContact, Organisation.code)
        .join(Organisation, Organisation.id == CrisisContact.organisation_id)
        .where(CrisisContact.id == contact_id)
    ).one_or_none()
    if found is None:
        raise NotFound("no crisis contact with id {contact_id}", contact_id=contact_id)
    contact, org_code = found
    require(actor, Action.CRISIS_MANAGE, contact.organisation_id)
    _central_only(session, Phrase("A crisis contact"))
    row = ContactRow(contact.id, org_code, contact.kind is CrisisContactKind.CRISIS_LINE,
                     contact.role_title, contact.name, contact.phone, contact.email)
    session.delete(contact)
    session.flush()
    return row


def current_levels(*, session: Session, actor: Actor) -> list[OrganisationCrisis]:
    """Every organisation with a GRIP level set now, highest level first, with its
    crisis lines and public-order-and-safety contacts."""
    require(actor, Action.CALL_READ)
    statement = (
        select(GripLevel, Organisation.code, Organisation.name)
        .join(Organisation, Organisation.id == GripLevel.organisation_id)
        .where(GripLevel.ended_at.is_(None))
    )
    if not actor.sees_all_organisations:
        statement = statement.where(GripLevel.organisation_id == actor.organisation_id)
    rows = session.execute(statement).all()
    ids = [grip.organisation_id for grip, _code, _name in rows]
    contacts: dict[tuple[uuid.UUID, CrisisContactKind], list[Contact]] = {}
    if ids:
        for contact in session.execute(
            select(CrisisContact)
            .where(CrisisContact.organisation_id.in_(ids))
            .order_by(CrisisContact.sort_order, CrisisContact.role_title)
        ).scalars():
            contacts.setdefault((contact.organisation_id, contact.kind), []).append(
                Contact(contact.role_title, contact.name, contact.phone, contact.email)
            )
    result = [
        OrganisationCrisis(
            organisation_id=grip.organisation_id, code=code, name=name, level=grip.level,
            started_at=grip.started_at, crisis_since=grip.crisis_since,
            crisis_lines=tuple(contacts.get((grip.organisation_id, CrisisContactKind.CRISIS_LINE),
                                            ())),
            oov_contacts=tuple(contacts.get((grip.organisation_id, CrisisContactKind.OOV), ())),
        )
        for grip, code, name in rows
    ]
    return sorted(result, key=lambda crisis: (-crisis.level, crisis.code))


def crisis_since_by_code(session: Session) -> Mapping[str, datetime]:
    """Organisation code → when its GRIP 3+ run began, for organisations in crisis now
    (the queue marks and sorts their crisis calls). One small query."""
    rows = session.execute(
        select(Organisation.code, GripLevel.crisis_since)
        .join(Organisation, Organisation.id == GripLevel.organisation_id)
        .where(GripLevel.ended_at.is_(None), GripLevel.level >= CRISIS_FROM_LEVEL)
    ).all()
    return {code: since for code, since in rows if since is not None}
