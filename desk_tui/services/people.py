"""Callers: registering one on the spot during a call, and the departments to pick from."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from desk_tui.services.access import Action, Actor, require
from desk_tui.services.errors import InvalidInput
from desk_tui.services.queries import Choice, PersonHit
from desk_tui.services.text_rules import NAME_MAX, clean_text
from desk_tui.store.models import Department, Organisation, Person


@dataclass(frozen=True, slots=True)
class PersonDraft:
    organisation_id: uuid.UUID
    name: str
    phone: str = ""
    email: str = ""
    login: str = ""
    department_id: uuid.UUID | None = None


def register_person(*, session: Session, actor: Actor, draft: PersonDraft) -> PersonHit:
    """A caller the desk did not know yet; only what the call needs is asked (SPEC §11)."""
    require(actor, Action.PERSON_REGISTER, draft.organisation_id)
    organisation = session.get(Organisation, draft.organisation_id)
    if organisation is None or not organisation.active:
        raise InvalidInput("organisation", "choose an active participating organisation")
    name = clean_text("name", draft.name, limit=NAME_MAX, required=True)
    phone = clean_text("phone", draft.phone, limit=40)
    email = clean_text("email", draft.email, limit=320)
    if email and ("@" not in email or " " in email):
        raise InvalidInput("email", "“{address}” is not a mail address", address=email)
    login = clean_text("login", draft.login, limit=100)
    department = None
    if draft.department_id is not None:
        department = session.get(Department, draft.department_id)
        if department is None or department.organisation_id != organisation.id:
            raise InvalidInput("department", "the department does not belong to this organisation")
    if login and session.execute(
        select(Person.id).where(Person.organisation_id == organisation.id, Person.login == login)
    ).first():
        raise InvalidInput("login", "{login} is already registered at {code}", login=login,
                           code=organisation.code)
    person = Person(
        organisation_id=organisation.id, department_id=draft.department_id, name=name,
        phone=phone or None, email=email or None, login=login or None,
    )
    session.add(person)
    session.flush()
    return PersonHit(
        person.id, person.name, person.phone, person.email, person.login,
        department.name if department else None, organisation.id, organisation.code,
        organisation.name,
    )


def departments(*, session: Session) -> list[Choice]:
    """Departments with their organisation's id in `detail`, for the new-caller form."""
    rows = session.execute(
        select(Department.id, Department.name, Department.organisation_id)
        .where(Department.active.is_(True))
        .order_by(Department.name)
    )
    return [Choice(id_, name, str(organisation_id)) for id_, name, organisation_id in rows]
