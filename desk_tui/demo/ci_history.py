"""The CMDB's history as the services would have written it, for a sample: a "created" row
per server, application and certificate, every status change of items that went out of
service or into repair, and the renewals of certificates.

A created row for every one of 100k items would double the build for rows nobody reads;
the end-user devices start without one, as items taken over from an older CMDB do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from desk_tui.demo.world import Row, World
from desk_tui.store.enums import CiHistoryField, CiStatus, CiType, OperatorRole

WITH_CREATED_ROW = frozenset({CiType.SERVER, CiType.APPLICATIE, CiType.CERTIFICAAT})
TAKEN_OVER = "Overgenomen uit het vorige CMDB"
RENEWED = "Certificaat vernieuwd"


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A status change of `item` to its current status: on which day, from what, why."""

    item: Row
    old: CiStatus
    day: date
    note: str


def build_ci_history(
    world: World, items: Iterable[Row], changes: Iterable[StatusChange]
) -> list[Row]:
    """History rows for `items` and `changes`; stamps each changed item's updated_at."""
    rng = world.rng
    technicians = [operator.id for operator in world.operators_with(OperatorRole.SPECIALIST)]
    zone = world.now.tzinfo
    history: list[Row] = []

    def add(item: Row, at: datetime, field: CiHistoryField, old: str | None,
            new: str | None, note: str | None) -> None:
        history.append({
            "id": world.ids.at(at), "ci_id": item["id"], "at": at,
            "operator_id": rng.choice(technicians) if technicians else None,
            "field": field, "old_value": old, "new_value": new, "note": note,
        })
        item["updated_at"] = max(item["updated_at"], at)

    def during_office_hours(day: date) -> datetime:
        moment = time(rng.randrange(8, 17), rng.randrange(60))
        return datetime.combine(day, moment, zone).astimezone(UTC)

    for item in items:
        if item["ci_type"] not in WITH_CREATED_ROW:
            continue
        add(item, item["created_at"], CiHistoryField.CREATED, None, item["name"], TAKEN_OVER)
        issued = item["in_service_on"]
        if item["ci_type"] is CiType.CERTIFICAAT and issued > item["created_at"].date():
            previous = issued + timedelta(days=rng.randrange(5, 30))
            add(item, during_office_hours(issued), CiHistoryField.EXPIRES_ON,
                previous.isoformat(), item["expires_on"].isoformat(), RENEWED)
    for change in changes:
        add(change.item, during_office_hours(change.day), CiHistoryField.STATUS,
            change.old.value, change.item["status"].value, change.note)
    return history
