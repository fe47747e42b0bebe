"""Election sites that work offline (SPEC 10): their registration and key, what a site's
bundle brought in, the conflicts an operator must decide, and the standby log."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Text, UniqueConstraint
from sqlmodel import Field

from desk_tui.store.tables.base import Record, StoreModel, instant, reference
from desk_tui.store.types import UtcDateTime, new_id, utcnow


class OfflineSite(Record, table=True):
    """A site prepared for offline work. Centrally the row holds only the public key that
    checks the site's bundles; in the laptop's copy (`here`) it also holds the private key
    that signs them, so a stolen central database cannot forge a bundle."""

    __tablename__ = "offline_site"

    code: str = Field(max_length=16, unique=True)  # in the site's call numbers: M2026-V01-…
    name: str = Field(max_length=200)
    organisation_id: uuid.UUID = reference("organisation.id")
    public_key: str = Field(max_length=100)  # Ed25519, raw bytes as hex
    private_key: str | None = Field(default=None, max_length=100)  # only in the site copy
    here: bool = False  # this database is that site's copy
    prepared_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    prepared_by_id: uuid.UUID | None = reference("operator.id", ondelete="SET NULL", index=False)
    active: bool = True


class OfflineCallBase(StoreModel, table=True):
    """A call as a site last had it: in the site copy, the call as prepared (what export
    compares with); centrally, the site's values at the last bundle and the central
    version they were merged into (what import compares with)."""

    __tablename__ = "offline_call_base"

    site_id: uuid.UUID = Field(primary_key=True, foreign_key="offline_site.id",
                               ondelete="CASCADE")
    call_id: uuid.UUID = Field(primary_key=True, foreign_key="call.id", ondelete="CASCADE",
                               index=True)
    version: int
    fields: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    history_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class OfflineRecordBase(StoreModel, table=True):
    """Another record (a person, CI, change, problem, P1 evaluation) as a site and the
    central database last agreed on it: in the site copy, as prepared; centrally, the
    site's values at the last bundle or decision. Three-way merges compare with it, so
    a record edited again after an import is not mistaken for a two-sided change."""

    __tablename__ = "offline_record_base"

    site_id: uuid.UUID = Field(primary_key=True, foreign_key="offline_site.id",
                               ondelete="CASCADE")
    kind: str = Field(primary_key=True, max_length=32)  # person, ci, change, problem, ...
    record_id: uuid.UUID = Field(primary_key=True)  # for an evaluation: its call's id
    fields: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class OfflineImport(StoreModel, table=True):
    """One import of a site's bundle, with what it changed (an audit of the merge)."""

    __tablename__ = "offline_import"
    __table_args__ = (Index("ix_offline_import_site_bundle", "site_id", "bundle_id"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    site_id: uuid.UUID = reference("offline_site.id", ondelete="CASCADE", index=False)
    bundle_id: str = Field(max_length=64)
    exported_at: datetime = Field(sa_type=UtcDateTime)
    imported_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    imported_by_id: uuid.UUID | None = reference("operator.id", ondelete="SET NULL",
                                                 index=False)
    summary: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class OfflineConflict(Record, table=True):
    """A record (a call, person, CI, ...) changed both centrally and at a site since they
    last agreed: kept with the site's changes until an operator decides; never merged
    silently. `record_id` names the record of `kind`; `call_id` is set for a call."""

    __tablename__ = "offline_conflict"
    __table_args__ = (UniqueConstraint("site_id", "kind", "record_id", "payload_hash"),)

    site_id: uuid.UUID = reference("offline_site.id", ondelete="CASCADE", index=False)
    call_id: uuid.UUID | None = reference("call.id", ondelete="CASCADE")
    bundle_id: str = Field(max_length=64)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    payload_hash: str = Field(max_length=64)
    central_version: int
    status: str = Field(default="open", max_length=16, index=True)  # open, site, central
    resolved_by_id: uuid.UUID | None = reference("operator.id", ondelete="SET NULL",
                                                 index=False)
    resolved_at: datetime | None = instant()
    note: str | None = Field(default=None, sa_type=Text)
    # (Columns below were added by a later revision; their order matches it.)
    kind: str = Field(default="call", max_length=32,
                      sa_column_kwargs={"server_default": "call"})
    record_id: uuid.UUID


class StandbyEntry(Record, table=True):
    """One line of the standby log of an election day and evening: when, who, where,
    what (SPEC 10), optionally the call it led to."""

    __tablename__ = "standby_entry"
    __table_args__ = (Index("ix_standby_entry_site_at", "site", "at"),)

    site: str = Field(max_length=16)  # where it was logged ("main": centrally)
    at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    operator_id: uuid.UUID | None = reference("operator.id", ondelete="SET NULL", index=False)
    who: str = Field(max_length=200)  # who called or was on standby
    location: str = Field(default="", max_length=200)  # e.g. the polling station
    what: str = Field(sa_type=Text)
    call_id: uuid.UUID | None = reference("call.id", ondelete="SET NULL", index=False)
