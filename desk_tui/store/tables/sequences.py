"""Counters for human reference numbers (calls, problems, changes)."""

from sqlalchemy import BigInteger
from sqlmodel import Field

from desk_tui.store.tables.base import StoreModel


class NumberSequence(StoreModel, table=True):
    """The last number handed out per key, e.g. "call:main:2026"."""

    __tablename__ = "number_sequence"

    name: str = Field(primary_key=True, max_length=100)
    value: int = Field(default=0, sa_type=BigInteger)
