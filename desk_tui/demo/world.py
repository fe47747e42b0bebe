"""What one stage of the demo hands to the next: ids and facts the call generator needs,
kept in memory so no stage has to read back what an earlier one wrote."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from desk_tui.demo.ids import IdFactory
from desk_tui.domain.classification import Level
from desk_tui.store.enums import CiType, OperatorRole, SupportLine

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class PersonInfo:
    id: uuid.UUID
    organisation_id: uuid.UUID
    department_id: uuid.UUID | None
    department: str
    name: str
    email: str | None


@dataclass(slots=True)
class OrganisationInfo:
    id: uuid.UUID
    code: str
    name: str
    domain: str
    area_code: str
    call_weight: float
    evening_opening: bool
    locations: tuple[str, ...]
    own: bool  # the servicedesk's own organisation
    calls_until: datetime | None = None  # the contract ended: no calls after this
    departments: list[str] = field(default_factory=list)
    people: list[PersonInfo] = field(default_factory=list)
    applications: list[str] = field(default_factory=list)  # names for call texts

    def takes_calls_at(self, instant: datetime) -> bool:
        return self.calls_until is None or instant < self.calls_until


@dataclass(frozen=True, slots=True)
class OperatorInfo:
    id: uuid.UUID
    login: str
    display_name: str
    roles: frozenset[OperatorRole]
    line: SupportLine


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    id: uuid.UUID
    name: str
    suggested_urgency: Level | None


@dataclass(slots=True)
class CiIndex:
    """CIs by (organisation, type) and by owner, to link calls to the right device."""

    by_organisation: dict[tuple[uuid.UUID | None, CiType], list[uuid.UUID]] = field(
        default_factory=lambda: defaultdict(list)
    )
    by_owner: dict[tuple[uuid.UUID, CiType], list[uuid.UUID]] = field(
        default_factory=lambda: defaultdict(list)
    )
    servers: list[str] = field(default_factory=list)  # hostnames, for monitoring calls

    def add(
        self, ci_id: uuid.UUID, organisation_id: uuid.UUID | None, ci_type: CiType,
        owner_id: uuid.UUID | None,
    ) -> None:
        self.by_organisation[(organisation_id, ci_type)].append(ci_id)
        if owner_id is not None:
            self.by_owner[(owner_id, ci_type)].append(ci_id)


@dataclass(slots=True)
class World:
    """The shared state of one demo build: the clock, the random streams and the records
    made so far."""

    now: datetime  # Amsterdam time
    rng: random.Random
    ids: IdFactory
    organisations: list[OrganisationInfo] = field(default_factory=list)
    operators: dict[str, OperatorInfo] = field(default_factory=dict)  # by login
    categories: dict[str, CategoryInfo] = field(default_factory=dict)  # by name
    cis: CiIndex = field(default_factory=CiIndex)
    _tick: int = 0

    @property
    def reference_epoch(self) -> datetime:
        """When the reference data (organisations, people, CMDB) was entered."""
        return self.now.astimezone(UTC) - timedelta(days=420)

    def next_created_at(self) -> datetime:
        """A distinct, increasing creation instant for reference rows."""
        self._tick += 1
        return self.reference_epoch + timedelta(seconds=self._tick * 7)

    def organisation(self, code: str) -> OrganisationInfo:
        for organisation in self.organisations:
            if organisation.code == code:
                return organisation
        raise KeyError(code)

    def operators_with(self, role: OperatorRole, line: SupportLine | None = None) -> list[
        OperatorInfo
    ]:
        return [
            operator for operator in self.operators.values()
            if role in operator.roles and (line is None or operator.line is line)
        ]


def record(world: World, at: datetime | None = None) -> Row:
    """The columns every `Record` row shares."""
    created = at if at is not None else world.next_created_at()
    return {"id": world.ids.at(created), "created_at": created, "updated_at": created}


def apportion(total: int, shares: list[float]) -> list[int]:
    """Split `total` by `shares` with the largest-remainder method (sums exactly)."""
    whole = sum(shares)
    exact = [total * share / whole for share in shares]
    counts = [int(value) for value in exact]
    order = sorted(range(len(shares)), key=lambda i: exact[i] - counts[i], reverse=True)
    for index in order[: total - sum(counts)]:
        counts[index] += 1
    return counts
