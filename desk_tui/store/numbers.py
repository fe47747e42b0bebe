"""Human reference numbers ("M2026-000123"), counted per kind, site and year.

Each site (the central database, an offline election laptop) counts its own numbers, so
references made apart never collide when their records are merged.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from desk_tui.store.references import ReferenceKind, format_reference
from desk_tui.store.tables.sequences import NumberSequence

__all__ = ["ReferenceKind", "format_reference", "next_number", "sequence_key"]


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
