"""Human reference numbers ("M2026-000123"), counted per kind, site and year.

Each site (the central database, an offline election laptop) counts its own numbers, so
references made apart never collide when their records are merged.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.orm import Session

from desk_tui.store.tables.base import CENTRAL_SITE
from desk_tui.store.tables.sequences import NumberSequence


class ReferenceKind(StrEnum):
    """The letter that starts a reference."""

    CALL = "M"  # melding
    PROBLEM = "P"
    CHANGE = "W"  # wijziging


def sequence_key(kind: ReferenceKind, site: str, year: int) -> str:
    return f"{kind.name.lower()}:{site}:{year}"


def next_number(session: Session, kind: ReferenceKind, site: str, year: int) -> int:
    """The next number in one statement (an upsert), so concurrent writers never share
    one; it commits or rolls back with the record that uses it, leaving no gaps."""
    table = NumberSequence.__table__
    if session.get_bind().dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert
    statement = (
        insert(table)
        .values(name=sequence_key(kind, site, year), value=1)
        .on_conflict_do_update(index_elements=[table.c.name], set_={"value": table.c.value + 1})
        .returning(table.c.value)
    )
    return int(session.execute(statement).scalar_one())


def format_reference(kind: ReferenceKind, site: str, year: int, number: int) -> str:
    """"M2026-000123" for the central site, "M2026-V01-000004" for another site."""
    if site == CENTRAL_SITE:
        return f"{kind.value}{year}-{number:06d}"
    return f"{kind.value}{year}-{site.upper()}-{number:06d}"
