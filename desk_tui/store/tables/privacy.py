"""The record of each `desk privacy purge` run: when, by whom, what it anonymised.

Nothing inside desk runs the purge by itself (a systemd timer or cron does, see deploy/);
this record is how desk knows it ran, and warns when it did not (SPEC 11: personal data of
an ended contract must become inaccessible within 3 months)."""

import uuid
from datetime import date, datetime

from sqlmodel import Field

from desk_tui.store.tables.base import Record, reference
from desk_tui.store.types import UtcDateTime


class PurgeRun(Record, table=True):
    """One purge that changed the database (a dry run is not recorded), with its counts
    summed over the organisations it handled."""

    __tablename__ = "purge_run"

    ran_at: datetime = Field(sa_type=UtcDateTime, index=True)
    operator_id: uuid.UUID | None = reference("operator.id", ondelete="SET NULL", index=False)
    operator_login: str = Field(max_length=200)
    today: date  # the local day the contract ends were counted from
    grace_months: int
    organisations: int = 0  # organisations whose contract ended long enough ago
    persons: int = 0
    operators: int = 0
    escalation_contacts: int = 0
    calls: int = 0
    changes: int = 0
    mails: int = 0
