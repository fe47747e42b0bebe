"""The quarterly invoice basis on both engines: who counts on the reference date."""

from __future__ import annotations

import io
from datetime import UTC, date

import pytest
from sqlalchemy import update

from desk_tui.services.errors import InvalidInput, Refused
from desk_tui.services.invoice import Quarter, invoice_basis, write_invoice_csv
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import CiStatus, CiType, OperatorRole
from desk_tui.store.models import ConfigurationItem
from tests.services.test_cmdb_write import add_operator
from tests.world import World, at

Q3 = Quarter(2026, 3)  # reference date 2026-09-30
W, LT, PRN, SRV = CiType.WERKPLEK, CiType.LAPTOP, CiType.PRINTER, CiType.SERVER
IN_USE, RETIRED = CiStatus.IN_GEBRUIK, CiStatus.UIT_GEBRUIK
EARLY = at("2025-06-01 09:00")


@pytest.fixture
def cmdb(world: World) -> World:
    """CIs on both sides of every boundary of 2026Q3's reference date; the comment says
    whether each counts."""
    enk, dre = world.organisation.id, world.other_organisation.id
    rows = [
        # (organisation, type, configuration, in service, retired, status, registered)
        (enk, W, "standaard", date(2026, 9, 30), None, IN_USE, EARLY),  # counts: starts that day
        (enk, W, "standaard", date(2026, 10, 1), None, IN_USE, EARLY),  # no: starts after
        (enk, W, "zwaar", date(2025, 1, 1), date(2026, 9, 30), RETIRED, EARLY),  # no: retired
        (enk, W, "zwaar", date(2025, 1, 1), date(2026, 10, 1), RETIRED, EARLY),  # counts
        (enk, LT, None, None, None, IN_USE, at("2026-09-30 23:30")),  # counts: local date
        (enk, LT, None, None, None, IN_USE, at("2026-10-01 00:30")),  # no: 1 Oct locally
        (enk, LT, None, None, None, CiStatus.IN_REPARATIE, EARLY),  # counts
        (enk, LT, None, None, None, RETIRED, EARLY),  # no: no date and not in use
        (enk, W, "standaard", date(2026, 1, 1), None, CiStatus.VOORRAAD, EARLY),  # no: stock
        (enk, W, "standaard", date(2026, 1, 1), None, CiStatus.GEPLAND, EARLY),  # no: planned
        (enk, PRN, "", date(2026, 1, 1), None, IN_USE, EARLY),  # counts, configuration ""
        (enk, PRN, None, date(2026, 1, 1), None, IN_USE, EARLY),  # counts, with the one above
        (None, SRV, "zwaar", date(2020, 1, 1), None, IN_USE, EARLY),  # no: own infrastructure
        (dre, SRV, "zwaar", date(2020, 1, 1), None, IN_USE, EARLY),  # counts
        (dre, SRV, "zwaar", None, None, IN_USE, at("2026-07-01 12:00").astimezone(UTC)),  # counts
    ]
    with write_session(world.db) as session:
        for index, (organisation, kind, configuration, start, end, status, made) in enumerate(rows):
            session.add(ConfigurationItem(
                ci_type=kind, name=f"CI-{index}", organisation_id=organisation,
                configuration=configuration, in_service_on=start, retired_on=end,
                status=status, created_at=made, updated_at=made,
            ))
        # The world's own workstation was registered today: give it a fixed start.
        session.execute(update(ConfigurationItem)
                        .where(ConfigurationItem.id == world.workstation.id)
                        .values(in_service_on=date(2020, 1, 1)))
    return world


def basis(world: World, actor, quarter: Quarter = Q3, organisation_id=None) -> list[tuple]:
    with read_session(world.db) as session:
        lines = invoice_basis(session=session, actor=actor, quarter=quarter,
                              organisation_id=organisation_id)
    return [line.cells() for line in lines]


def test_counts_per_type_and_configuration_on_the_reference_date(cmdb):
    admin = add_operator(cmdb, "beheer", OperatorRole.ADMINISTRATOR)
    enk = ("ENK", "Gemeente Enkhuizen", "2026Q3", "2026-09-30")
    dre = ("DRE", "Gemeente Drechterland", "2026Q3", "2026-09-30")
    assert basis(cmdb, admin) == [
        (*dre, "server", "zwaar", "2"),
        (*enk, "laptop", "", "2"),
        (*enk, "printer", "", "2"),
        (*enk, "werkplek", "", "1"),  # the world's workstation
        (*enk, "werkplek", "standaard", "1"),
        (*enk, "werkplek", "zwaar", "1"),
    ]


def test_a_quarter_later_other_cis_count(cmdb):
    admin = add_operator(cmdb, "beheer", OperatorRole.ADMINISTRATOR)
    counts = {(line[4], line[5]): line[6] for line in basis(cmdb, admin, Quarter(2026, 4))
              if line[0] == "ENK"}
    # Started 1 October and registered 1 October now count; retired 1 October no longer.
    assert counts == {("laptop", ""): "3", ("printer", ""): "2", ("werkplek", ""): "1",
                      ("werkplek", "standaard"): "2"}


def test_one_organisation_only(cmdb):
    admin = add_operator(cmdb, "beheer", OperatorRole.ADMINISTRATOR)
    lines = basis(cmdb, admin, organisation_id=cmdb.other_organisation.id)
    assert [line[:1] + line[4:] for line in lines] == [("DRE", "server", "zwaar", "2")]


def test_a_contract_manager_sees_their_own_organisation_only(cmdb):
    own = cmdb.other_organisation.id
    assert {line[0] for line in basis(cmdb, cmdb.contract_manager)} == {"DRE"}
    assert basis(cmdb, cmdb.contract_manager, organisation_id=own)[0][0] == "DRE"
    with pytest.raises(Refused):
        basis(cmdb, cmdb.contract_manager, organisation_id=cmdb.organisation.id)


def test_a_manager_of_no_organisation_sees_nothing(cmdb):
    stray = add_operator(cmdb, "cm0", OperatorRole.INFORMATION_MANAGER)
    assert basis(cmdb, stray) == []


def test_desk_staff_without_the_right_are_refused(cmdb):
    for actor in (cmdb.agent, cmdb.nobody):
        with pytest.raises(Refused):
            basis(cmdb, actor)


def test_the_csv_has_a_header_and_one_row_per_line(cmdb):
    admin = add_operator(cmdb, "beheer", OperatorRole.ADMINISTRATOR)
    with read_session(cmdb.db) as session:
        lines = invoice_basis(session=session, actor=admin, quarter=Q3)
    stream = io.StringIO()
    write_invoice_csv(lines, stream)
    text = stream.getvalue().splitlines()
    assert text[0] == ("organisation_code,organisation_name,quarter,reference_date,ci_type,"
                       "configuration,count")
    assert text[1] == "DRE,Gemeente Drechterland,2026Q3,2026-09-30,server,zwaar,2"
    assert len(text) == 7


@pytest.mark.parametrize(
    ("written", "reference"),
    [("2026Q1", date(2026, 3, 31)), ("2026q2", date(2026, 6, 30)),
     (" 2026Q3 ", date(2026, 9, 30)), ("2028Q4", date(2028, 12, 31))],
)
def test_the_reference_date_is_the_last_day_of_the_quarter(written, reference):
    assert Quarter.parse(written).reference_date == reference


@pytest.mark.parametrize("written", ["2026Q5", "2026Q0", "2026-3", "Q3 2026", "26Q3", "", "0000Q1"])
def test_a_bad_quarter_says_what_is_expected(written):
    with pytest.raises(InvalidInput) as refused:
        Quarter.parse(written)
    assert refused.value.field == "quarter"
    assert "like 2026Q3" in str(refused.value)
