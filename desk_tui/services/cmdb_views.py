"""What the CMDB services hand to the UI and the reports: plain, immutable values."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from desk_tui.store.enums import CiHistoryField, CiRelationKind, CiStatus, CiType, ContractKind

__all__ = [
    "ENDING_SOON_DAYS",
    "EXPIRY_WINDOWS",
    "CertificateRow",
    "CiDetail",
    "CiHistoryRow",
    "CiHit",
    "CiLinkedCall",
    "CiLinkedChange",
    "CiNeighbour",
    "ContractDetail",
    "ContractRow",
    "Direction",
    "ImpactReport",
    "LicenceRow",
]

# Days ahead in which a certificate or contract counts as expiring (SLA 4.2.11).
EXPIRY_WINDOWS = (30, 60, 90)
ENDING_SOON_DAYS = EXPIRY_WINDOWS[-1]  # the contracts list marks these as ending soon


class Direction(StrEnum):
    """Which way a relation points from the CI being viewed."""

    OUTGOING = "outgoing"  # this CI <kind> the neighbour: "runs on srv-01"
    INCOMING = "incoming"  # the neighbour <kind> this CI: "Key2 runs on this"


@dataclass(frozen=True, slots=True)
class CiHit:
    """One search result: enough to recognise the item while the caller waits."""

    id: uuid.UUID
    ci_type: CiType
    name: str
    asset_tag: str | None
    hostname: str | None
    ip_address: str | None
    serial_number: str | None
    status: CiStatus
    owner: str | None
    location: str | None
    organisation: str | None  # None: the servicedesk's own infrastructure
    expires_on: date | None


@dataclass(frozen=True, slots=True)
class CiNeighbour:
    """A CI at the other end of a relation; `has_more` tells the tree whether it can be
    opened further (it has relations beyond the one that led here)."""

    id: uuid.UUID
    ci_type: CiType
    name: str
    kind: CiRelationKind
    direction: Direction
    status: CiStatus
    has_more: bool


@dataclass(frozen=True, slots=True)
class CiLinkedCall:
    id: uuid.UUID
    reference: str
    subject: str
    status: str
    priority: int | None
    registered_at: datetime
    open: bool
    via_ci: str | None = None  # impact view: the dependent CI the call is on, if not this one


@dataclass(frozen=True, slots=True)
class CiLinkedChange:
    id: uuid.UUID
    reference: str
    title: str
    status: str
    planned_for: datetime | None


@dataclass(frozen=True, slots=True)
class ContractRow:
    id: uuid.UUID
    number: str
    title: str
    supplier: str
    kind: ContractKind
    organisation: str | None
    starts_on: date
    ends_on: date | None
    notice_months: int
    renews_automatically: bool
    ci_count: int
    # The last day to cancel (ends_on minus the notice period); None when open-ended.
    notice_by: date | None

    def ends_within(self, today: date, days: int) -> bool:
        """Still running on `today` and ending, or to be cancelled, within `days`: what
        "ending soon" means everywhere."""
        if self.ends_on is None or self.ends_on < today:
            return False
        horizon = today + timedelta(days=days)
        return self.ends_on <= horizon or (
            self.notice_by is not None and self.notice_by <= horizon)


@dataclass(frozen=True, slots=True)
class ContractDetail:
    """A contract in full: the CIs it covers (those the reader may see), by type then
    name, and its notes."""

    contract: ContractRow
    notes: str | None
    cis: tuple[CiHit, ...]


@dataclass(frozen=True, slots=True)
class CiHistoryRow:
    at: datetime
    operator: str | None
    field: CiHistoryField
    old_value: str | None
    new_value: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class CiDetail:
    """Everything the CI view shows."""

    hit: CiHit
    configuration: str | None
    in_service_on: date | None
    retired_on: date | None
    owner_id: uuid.UUID | None
    owner_login: str | None
    organisation_id: uuid.UUID | None
    attributes: dict[str, object]
    notes: str | None
    external_ref: str | None
    relations: tuple[CiNeighbour, ...]
    calls: tuple[CiLinkedCall, ...]
    changes: tuple[CiLinkedChange, ...]
    contracts: tuple[ContractRow, ...]
    history: tuple[CiHistoryRow, ...]


@dataclass(frozen=True, slots=True)
class ImpactReport:
    """An outage of `ci`: the CIs that depend on it (transitively) and the open calls on
    it and on them."""

    ci: CiHit
    affected: tuple[CiNeighbour, ...]
    open_calls: tuple[CiLinkedCall, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class CertificateRow:
    """A certificate (or licence) with an expiry date; `days_left` is negative once it
    has expired."""

    id: uuid.UUID
    ci_type: CiType
    name: str
    organisation: str | None
    expires_on: date
    days_left: int
    attributes: dict[str, object]


@dataclass(frozen=True, slots=True)
class LicenceRow:
    """A licence in use: what it is for, from whom, how many seats, until when; `for_cis`
    names the CIs that use it (its used-by relations)."""

    id: uuid.UUID
    name: str
    organisation: str | None
    vendor: str | None
    product: str | None
    seats: int | None
    seats_in_use: int | None
    expires_on: date | None
    for_cis: tuple[str, ...]
