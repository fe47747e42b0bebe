"""Configuration items (CMDB) and their relations (SPEC 8)."""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field

from desk_tui.store.enums import CiRelationKind, CiStatus, CiType
from desk_tui.store.tables.base import Record, enum_column, reference


class ConfigurationItem(Record, table=True):
    """A registered asset: hardware, application, certificate, licence, ...; counts per
    organisation drive the quarterly invoice."""

    __tablename__ = "configuration_item"

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
