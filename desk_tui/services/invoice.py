"""The quarterly invoice basis (SPEC 8): per participating organisation, how many CIs of
each type and configuration were in service on the quarter's reference date.

The rule. The reference date is the last day of the quarter (2026Q3: 30 September 2026).
A CI counts when, on that day, all of these hold:

- it belongs to a participant (CIs of the servicedesk's own infrastructure, organisation
  NULL, are not invoiced);
- it was in service: in_service_on on or before the reference date; or, when
  in_service_on is empty, it was registered (created_at, local date) on or before that day
  and its status is in-gebruik or in-reparatie;
- it was not yet retired: retired_on empty or after the reference date;
- its status is not gepland or voorraad (planned or in stock are not billed).

A CI retired on the reference date itself no longer counts for that quarter.
"""

from __future__ import annotations

import csv
import re
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TextIO

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from desk_tui.services.access import Action, Actor, require
from desk_tui.services.cmdb_write import AMSTERDAM
from desk_tui.services.errors import InvalidInput
from desk_tui.store.enums import CiStatus, CiType
from desk_tui.store.models import ConfigurationItem, Organisation

CSV_COLUMNS = (
    "organisation_code", "organisation_name", "quarter", "reference_date", "ci_type",
    "configuration", "count",
)
_QUARTER = re.compile(r"(\d{4})\s*[Qq]([1-4])")
NOT_BILLED = (CiStatus.GEPLAND, CiStatus.VOORRAAD)
IN_USE = (CiStatus.IN_GEBRUIK, CiStatus.IN_REPARATIE)


@dataclass(frozen=True, slots=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """A quarter written like 2026Q3 (or 2026q3); InvalidInput saying what is expected
        otherwise."""
        match = _QUARTER.fullmatch(text.strip())
        if match is None or not 1 <= int(match.group(1)) <= 9999:
            raise InvalidInput(
                "quarter", "quarter “{quarter}” is not a year and quarter like 2026Q3"
                " (Q1 to Q4)", quarter=text,
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def reference_date(self) -> date:
        """The last day of the quarter: what was in service then is invoiced."""
        if self.number == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.number + 1, 1) - timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    organisation_code: str
    organisation_name: str
    quarter: Quarter
    reference_date: date
    ci_type: CiType
    configuration: str  # "" when the CI has none
    count: int

    def cells(self) -> tuple[str, ...]:
        return (
            self.organisation_code, self.organisation_name, str(self.quarter),
            self.reference_date.isoformat(), self.ci_type.value, self.configuration,
            str(self.count),
        )


def invoice_basis(
    *, session: Session, actor: Actor, quarter: Quarter,
    organisation_id: uuid.UUID | None = None, zone: tzinfo = AMSTERDAM,
) -> list[InvoiceLine]:
    """The counts of the module docstring's rule, sorted by organisation code, type and
    configuration. A contract or information manager gets their own organisation only."""
    require(actor, Action.REPORT_INVOICE, organisation_id)
    if not actor.sees_all_organisations:
        if actor.organisation_id is None:  # a manager of no participant: nothing to see
            return []
        organisation_id = actor.organisation_id
    reference = quarter.reference_date
    # Registered on or before the reference date, in local time: before the next midnight.
    registered_by = datetime.combine(reference + timedelta(days=1), time(), zone).astimezone(UTC)
    item = ConfigurationItem
    in_service = or_(
        item.in_service_on <= reference,
        and_(item.in_service_on.is_(None), item.created_at < registered_by,
             item.status.in_(IN_USE)),
    )
    statement = (
        select(Organisation.code, Organisation.name, item.ci_type, item.configuration,
               func.count())
        .join(Organisation, Organisation.id == item.organisation_id)
        .where(
            in_service,
            or_(item.retired_on.is_(None), item.retired_on > reference),
            item.status.not_in(NOT_BILLED),
        )
        .group_by(Organisation.code, Organisation.name, item.ci_type, item.configuration)
    )
    if organisation_id is not None:
        statement = statement.where(item.organisation_id == organisation_id)
    counts: Counter[tuple[str, str, CiType, str]] = Counter()
    for code, name, ci_type, configuration, count in session.execute(statement):
        counts[(code, name, CiType(ci_type), configuration or "")] += count
    return [
        InvoiceLine(code, name, quarter, reference, ci_type, configuration, count)
        for (code, name, ci_type, configuration), count in sorted(
            counts.items(), key=lambda entry: (entry[0][0], entry[0][2].value, entry[0][3])
        )
    ]


def write_invoice_csv(lines: Sequence[InvoiceLine], stream: TextIO) -> None:
    """The lines as CSV with a header row (comma-separated, the caller opens the stream
    as UTF-8)."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for line in lines:
        writer.writerow(line.cells())
