"""The tables' own registry and the columns every record shares."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, MetaData
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from desk_tui.store.references import CENTRAL_SITE as CENTRAL_SITE  # re-exported
from desk_tui.store.types import StrEnumType, UtcDateTime, new_id, utcnow

# Named constraints: Alembic's batch mode on SQLite and later migrations need the names,
# and both engines then carry the same ones.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

desk_registry = registry(metadata=MetaData(naming_convention=NAMING_CONVENTION))
metadata = desk_registry.metadata



class StoreModel(SQLModel, registry=desk_registry):
    """Base of all desk tables; keeps them out of SQLModel's global metadata."""


class Record(StoreModel):
    """A row with a time-ordered UUID key and creation/update instants."""

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UtcDateTime, sa_column_kwargs={"onupdate": utcnow}
    )


def instant(*, index: bool = False) -> Any:
    """An optional aware-UTC instant column."""
    return Field(default=None, sa_type=UtcDateTime, index=index)


def enum_column(enum_class: type[StrEnum], default: Any = None, *, index: bool = False) -> Any:
    """A StrEnum stored as text."""
    return Field(default=default, sa_type=StrEnumType(enum_class), index=index)


def reference(
    target: str, *, ondelete: str = "RESTRICT", index: bool = True, use_alter: bool = False
) -> Any:
    """A foreign key to `target` ("table.column"); nullable when the annotation allows None."""
    return Field(
        default=None,
        sa_column_args=[ForeignKey(target, ondelete=ondelete, use_alter=use_alter)],
        index=index,
    )
