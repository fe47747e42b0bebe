"""Minimal valid rows for store tests (the real demo data lives elsewhere)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from desk_tui.store.models import Call, Organisation
from desk_tui.store.numbers import ReferenceKind, next_number


def add_organisation(session: Session, code: str = "ALM") -> Organisation:
    organisation = Organisation(name=f"Gemeente {code}", code=code)
    session.add(organisation)
    session.flush()
    return organisation


def add_call(session: Session, organisation: Organisation, **values: object) -> Call:
    registered = values.pop("registered_at", datetime(2026, 3, 2, 8, 30, tzinfo=UTC))
    number = next_number(session, ReferenceKind.CALL, "main", registered.year)
    call = Call(
        year=registered.year,
        number=number,
        organisation_id=organisation.id,
        registered_at=registered,
        subject="Printer op 2e verdieping doet het niet",
        **values,
    )
    session.add(call)
    session.flush()
    return call
