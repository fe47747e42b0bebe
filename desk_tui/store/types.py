"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import uuid6
from sqlalchemy import DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

ENUM_LENGTH = 32  # room for new enum values without a migration


def new_id() -> uuid.UUID:
    """A time-ordered UUIDv7, so keys made on another machine merge without clashes."""
    return uuid.UUID(int=uuid6.uuid7().int)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """An instant: refuses naive datetimes, stores UTC (naive on SQLite, timestamptz on
    PostgreSQL) and always returns an aware UTC datetime."""

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} given; instants must be aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class StrEnumType(TypeDecorator[StrEnum]):
    """A StrEnum stored as its value in a VARCHAR: no native PostgreSQL enum, the same text
    on both engines; an unknown value read back raises ValueError (see store/enums.py)."""

    impl = String
    cache_ok = True

    def __init__(self, enum_class: type[StrEnum], length: int = ENUM_LENGTH) -> None:
        longest = max(len(member.value) for member in enum_class)
        if longest > length:
            raise ValueError(f"{enum_class.__name__} has a value longer than {length}")
        super().__init__(length)
        self.enum_class = enum_class
        # Read back by a dict lookup: calling the enum class costs ~1.5 µs a value, and a
        # 300-call queue reads some 1,800 of them.
        self._members: dict[str, StrEnum] = {member.value: member for member in enum_class}

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return self.enum_class(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> StrEnum | None:
        if value is None:
            return None
        member = self._members.get(value)
        return member if member is not None else self.enum_class(value)  # unknown: raises

    @property
    def python_type(self) -> type[StrEnum]:
        return self.enum_class
