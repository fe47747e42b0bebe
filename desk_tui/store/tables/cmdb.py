"""Configuration items (CMDB), their relations and history, and supplier contracts
(SPEC 8)."""

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, SmallInteger, Text, UniqueConstraint
from sqlmodel import Field

from desk_tui.store.enums import CiHistoryField, CiRelationKind, CiStatus, CiType, ContractKind
from desk_tui.store.tables.base import Record, StoreModel, enum_column, reference
from desk_tui.store.types import UtcDateTime, new_id, utcnow


class ConfigurationItem(Record, table=True):
    """A registered asset: hardware, application, certificate, licence, ...; counts per
    organisation, type and configuration drive the quarterly invoice."""

    __tablename__ = "configuration_item"
    __table_args__ = (
        CheckConstraint(
            "retired_on IS NULL OR in_service_on IS NULL OR retired_on >= in_service_on",
            name="service_period",
        ),
    )

    ci_type: CiType = enum_column(CiType, index=True)
    name: str = Field(max_length=200, index=True)
    asset_tag: str | None = Field(default=None, max_length=100, unique=True)
    serial_number: str | None = Field(default=None, max_length=100, index=True)
    hostname: str | None = Field(default=None, max_length=255, index=True)
    ip_address: str | None = Field(default=None, max_length=45)  # fits IPv6 text
    location: str | None = Field(default=None, max_length=200)
    status: CiStatus = enum_column(CiStatus, CiStatus.IN_GEBRUIK)
    owner_id: uuid.UUID | None = reference("person.id", ondelete="SET NULL")
    # None: the servicedesk's own infrastructure.
    organisation_id: uuid.UUID | None = reference("organisation.id")
    attributes: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    expires_on: date | None = Field(default=None, index=True)  # certificates, licences
    notes: str | None = Field(default=None, sa_type=Text)
    # (Columns below were added by a later revision; their order matches it.)
    # The billed configuration within the type ("standaard", "zwaar", ...); the invoice
    # counts per organisation, type and configuration.
    configuration: str | None = Field(default=None, max_length=100)
    # Billed while in service: from in_service_on up to (not including) retired_on.
    in_service_on: date | None = None
    retired_on: date | None = None
    # The key of this item in the CMDB it was imported from: an import never adds it twice.
    external_ref: str | None = Field(default=None, max_length=200, unique=True)
    # Name, tags, addresses, owner, location and organisation in one text: what the
    # search index (desk_tui.store.search) is built from. Written by services.cmdb_text.
    search_text: str = Field(
        default="", sa_type=Text, sa_column_kwargs={"server_default": ""}
    )


class CiRelation(Record, table=True):
    """A directed relation, read "from <kind> to": an application runs-on a server."""

    __tablename__ = "ci_relation"
    __table_args__ = (
        UniqueConstraint("from_ci_id", "to_ci_id", "kind"),
        CheckConstraint("from_ci_id <> to_ci_id", name="not_self"),
    )

    from_ci_id: uuid.UUID = reference("configuration_item.id", ondelete="CASCADE", index=False)
    to_ci_id: uuid.UUID = reference("configuration_item.id", ondelete="CASCADE")
    kind: CiRelationKind = enum_column(CiRelationKind)


class CiHistory(StoreModel, table=True):
    """One change of a CI (status, owner, relation, contract, ...): who and when."""

    __tablename__ = "ci_history"
    __table_args__ = (Index("ix_ci_history_ci_at", "ci_id", "at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    ci_id: uuid.UUID = reference("configuration_item.id", ondelete="CASCADE", index=False)
    at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    operator_id: uuid.UUID | None = reference("operator.id", ondelete="SET NULL", index=False)
    field: CiHistoryField = enum_column(CiHistoryField)
    old_value: str | None = Field(default=None, max_length=500)
    new_value: str | None = Field(default=None, max_length=500)
    note: str | None = Field(default=None, sa_type=Text)


class Contract(Record, table=True):
    """A contract with a supplier (maintenance, licences, lease, ...) that CIs fall under;
    None for organisation: the servicedesk's own contract (SLA 4.2.9)."""

    __tablename__ = "contract"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="term"),
        CheckConstraint("notice_months >= 0", name="notice"),
    )

    number: str = Field(max_length=50, unique=True)  # the contract number
    title: str = Field(max_length=200)
    supplier: str = Field(max_length=200, index=True)
    kind: ContractKind = enum_column(ContractKind)
    organisation_id: uuid.UUID | None = reference("organisation.id")
    starts_on: date
    ends_on: date | None = Field(default=None, index=True)  # None: runs until cancelled
    notice_months: int = Field(default=3, sa_type=SmallInteger)  # to cancel before ends_on
    renews_automatically: bool = False
    notes: str | None = Field(default=None, sa_type=Text)


class ContractCi(StoreModel, table=True):
    """A configuration item covered by a contract."""

    __tablename__ = "contract_ci"

    contract_id: uuid.UUID = Field(
        primary_key=True, foreign_key="contract.id", ondelete="CASCADE"
    )
    ci_id: uuid.UUID = Field(
        primary_key=True, foreign_key="configuration_item.id", ondelete="CASCADE", index=True
    )
