"""Importing a CMDB from CSV on both engines: refusals with line and reason, nothing twice."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desk_tui.services.access import Actor
from desk_tui.services.cmdb_import import (
    ImportOptions,
    ImportReport,
    UnusableInput,
    import_cis,
    map_columns,
    parse_date,
    parse_map_options,
    read_csv,
    read_mapping_file,
)
from desk_tui.services.cmdb_write import CiDraft, register_ci
from desk_tui.services.errors import Refused
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import CiHistoryField, CiStatus, CiType, OperatorRole
from desk_tui.store.models import CiHistory, ConfigurationItem
from desk_tui.store.search import matching_ci_ids
from tests.services.test_cmdb_write import add_operator
from tests.world import MONDAY_9, World

HEADER = ("Objectnummer;Naam;Type;Serienummer;IP-adres;Organisatie;Eigenaar;Status;"
          "In gebruik sinds;Vervaldatum;Configuratie")


@pytest.fixture
def admin(world: World) -> Actor:
    return add_operator(world, "beheer", OperatorRole.ADMINISTRATOR)


def write_csv(folder: Path, *lines: str, name: str = "cmdb.csv", bom: bool = False) -> Path:
    path = folder / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "\n".join(lines).encode() + b"\n")
    return path


def run_import(
    world: World, actor: Actor, path: Path, explicit: dict[str, str] | None = None,
    **options,
) -> ImportReport:
    source = read_csv(path, options.pop("delimiter", None))
    columns = map_columns(source.header, explicit or {})
    return import_cis(engine=world.db, actor=actor, source=source, columns=columns,
                      options=ImportOptions(**options), now=MONDAY_9)


def stored(world: World) -> dict[str, ConfigurationItem]:
    """Every CI but the world's own workstation, by name."""
    with read_session(world.db) as session:
        items = session.execute(select(ConfigurationItem)).scalars().all()
    return {item.name: item for item in items if item.id != world.workstation.id}


def refusals(report: ImportReport) -> dict[int, str]:
    return {refusal.line: refusal.reason for refusal in report.refused}


GOOD_AND_BAD = (
    HEADER,
    "TD-1;ENK-PC-001;Desktop;SN-1;10.1.2.3;ENK;ajansen;Actief;1-2-2024;;standaard",
    "TD-2;Koffie;Koffiezetapparaat;;;ENK;;;;;",
    "TD-3;Ergens;laptop;;;Gemeente Nergens;;;;;",
    "TD-4;Slecht IP;laptop;;10.1.2.300;ENK;;;;;",
    "TD-5;Slechte datum;laptop;;;ENK;;;31-02-2024;;",
    "TD-6;;laptop;;;ENK;;;;;",
    "TD-7;" + "x" * 201 + ";laptop;;;ENK;;;;;",
    "TD-8;Onbekende eigenaar;laptop;;;ENK;k@dre.example;;;;",
    "TD-9;Kapot;laptop;;;ENK;;stuk;;;",
    "TD-10;*.enkhuizen.nl;certificate;;;ENK;;;;;",
    "TD-11;Teveel;laptop;;;ENK;;;;;;extra",
    "TD-12;mail.enkhuizen.nl;Certificaat;;;Gemeente Enkhuizen;;;;2027-01-31;",
    "TD-13;DRE-LT-001;Notebook;SN-2;;dre;K@DRE.EXAMPLE;In stock;;;",
    "TD-14;SRV-01;vm;;2001:DB8::1;;;;2020-05-04 00:00:00;;",
)


def test_good_rows_are_imported_and_each_bad_row_refused_with_its_line_and_reason(
    world, admin, tmp_path
):
    report = run_import(world, admin, write_csv(tmp_path, *GOOD_AND_BAD))
    assert (report.rows, report.imported, report.skipped) == (14, 4, 0)
    assert refusals(report) == {
        3: "unknown CI type 'Koffiezetapparaat'",
        4: "unknown organisation 'Gemeente Nergens'",
        5: "ip_address: '10.1.2.300' is not an IP address",
        6: "bad date in in_service_on: '31-02-2024' (write YYYY-MM-DD or D-M-YYYY)",
        7: "name is required",
        8: "name is 201 characters long; at most 200 fit",
        9: "unknown owner 'k@dre.example' at ENK",  # works at DRE
        10: "unknown status 'stuk'",
        11: "expires_on: a certificate needs an expiry date",
        12: "12 fields, the header has 11",
    }
    assert report.by_organisation == {"ENK": 2, "DRE": 1, "": 1}
    items = stored(world)
    assert set(items) == {"ENK-PC-001", "mail.enkhuizen.nl", "DRE-LT-001", "SRV-01"}
    pc = items["ENK-PC-001"]
    assert (pc.ci_type, pc.status, pc.external_ref, pc.serial_number, pc.ip_address) == (
        CiType.WERKPLEK, CiStatus.IN_GEBRUIK, "TD-1", "SN-1", "10.1.2.3")
    assert (pc.organisation_id, pc.owner_id) == (world.organisation.id, world.caller.id)
    assert (pc.in_service_on, pc.configuration) == (date(2024, 2, 1), "standaard")
    assert items["mail.enkhuizen.nl"].expires_on == date(2027, 1, 31)
    laptop = items["DRE-LT-001"]  # owner by e-mail in any case, organisation code in any case
    assert (laptop.ci_type, laptop.status, laptop.owner_id) == (
        CiType.LAPTOP, CiStatus.VOORRAAD, world.stranger.id)
    server = items["SRV-01"]  # no organisation: the servicedesk's own infrastructure
    assert (server.ci_type, server.organisation_id, server.ip_address) == (
        CiType.SERVER, None, "2001:db8::1")
    assert server.in_service_on == date(2020, 5, 4)
    with read_session(world.db) as session:
        assert matching_ci_ids(session.connection(), "ajansen") == [pc.id]
        notes = session.execute(
            select(CiHistory.note).where(CiHistory.ci_id == pc.id,
                                         CiHistory.field == CiHistoryField.IMPORTED)
        ).scalars().all()
    assert notes == ["cmdb.csv line 2"]


def test_importing_the_same_file_again_changes_nothing(world, admin, tmp_path):
    path = write_csv(tmp_path, *GOOD_AND_BAD)
    first = run_import(world, admin, path)
    before = {name: (item.id, item.updated_at) for name, item in stored(world).items()}
    again = run_import(world, admin, path)
    assert (again.imported, again.skipped) == (0, first.imported)
    assert refusals(again) == refusals(first)
    assert {name: (item.id, item.updated_at) for name, item in stored(world).items()} == before
    with read_session(world.db) as session:
        history = session.execute(select(func.count()).select_from(CiHistory)).scalar_one()
    assert history == first.imported


@pytest.mark.parametrize("batch_size", [1000, 2])
def test_a_second_row_for_the_same_ci_is_refused_naming_the_first(
    world, admin, tmp_path, batch_size
):
    path = write_csv(
        tmp_path,
        "Objectnummer,Naam,Type,Asset tag,Serienummer,Organisatie",
        "TD-1,PC een,pc,AT-1,,ENK",
        "TD-2,PC twee,pc,AT-2,,ENK",
        "TD-1,PC een weer,pc,AT-9,,ENK",  # same external reference as line 2
        ",PC drie,pc,AT-3,,ENK",
        ",PC drie weer,pc,AT-3,,ENK",  # same asset tag as line 5
        ",Monitor,pc,,SN-7,ENK",
        ",Monitor weer,pc,,SN-7,ENK",  # same type and serial number as line 7
        ",Monitor,laptop,,SN-7,ENK",  # another type: another CI
        ",Key2,applicatie,,,ENK",
        ",Key2,applicatie,,,ENK",  # same organisation, type and name as line 10
        ",Key2,applicatie,,,DRE",  # another organisation: another CI
        "TD-3,PC vier,pc,AT-1,,ENK",  # another key, but line 2's asset tag
    )
    report = run_import(world, admin, path, batch_size=batch_size)
    assert refusals(report) == {
        4: "duplicate of line 2 (same external reference 'TD-1')",
        6: "duplicate of line 5 (same asset tag 'AT-3')",
        8: "duplicate of line 7 (same werkplek with serial number 'SN-7')",
        11: "duplicate of line 10 (same applicatie named 'Key2' at the same organisation)",
        13: "asset tag 'AT-1' is already used on line 2",
    }
    assert report.imported == 7
    assert run_import(world, admin, path, batch_size=batch_size).skipped == 7


def test_a_ci_registered_by_hand_is_recognised(world, admin, tmp_path):
    with write_session(world.db) as session:
        register_ci(session=session, actor=admin, now=MONDAY_9, draft=CiDraft(
            ci_type=CiType.LAPTOP, name="LT-7", asset_tag="AT-7", serial_number="SN-7",
            organisation_id=world.organisation.id,
        ))
    path = write_csv(
        tmp_path,
        "Objectnummer,Naam,Type,Asset tag,Serienummer,Organisatie",
        ",LT-7 (tag),laptop,AT-7,,ENK",  # the same asset tag: present
        ",LT-7 (serial),laptop,,SN-7,ENK",  # the same type and serial: present
        ",Werkplek,pc,,SN-7,ENK",  # the serial of a laptop, but a workstation: new
    )
    report = run_import(world, admin, path)
    assert (report.imported, report.skipped, report.refused) == (1, 2, [])
    clash = write_csv(
        tmp_path, "Objectnummer,Naam,Type,Asset tag", "TD-70,Ander,laptop,AT-7", name="2.csv"
    )  # a new key with a taken asset tag
    report = run_import(world, admin, clash)
    assert refusals(report) == {2: "asset tag 'AT-7' already belongs to 'LT-7'"}


def test_bom_semicolons_and_quoted_lines(world, admin, tmp_path):
    path = write_csv(
        tmp_path,
        "Naam;Type;Opmerkingen",
        '"Balie; links";pc;"twee',
        'regels"',
        "Zonder type;;",
        ";;",  # a row of bare delimiters, as spreadsheets export: not a row
        "",
        bom=True,
    )
    source = read_csv(path)
    assert source.delimiter == ";" and source.header == ("Naam", "Type", "Opmerkingen")
    report = run_import(world, admin, path, organisation="ENK")
    assert report.rows == 2 and report.imported == 1
    assert refusals(report) == {4: "no CI type"}  # the quoted row spans lines 2 and 3
    item = stored(world)["Balie; links"]
    assert item.notes == "twee\nregels" and item.organisation_id == world.organisation.id


def test_commas_and_an_explicit_delimiter(world, admin, tmp_path):
    path = write_csv(tmp_path, "name|ci_type", "A|laptop")
    assert read_csv(path).delimiter == ","  # neither ';' nor ',': one column
    assert run_import(world, admin, path, delimiter="|").imported == 1


def test_columns_named_on_the_command_line_and_in_a_mapping_file(world, admin, tmp_path):
    path = write_csv(
        tmp_path,
        "Omschrijving,Soort,Model,Naam,Staat,Kleur",
        "Balie-pc,Thin client,HP t640,Niet dit,Uitgeleend,rood",
    )
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '[columns]\nname = "Omschrijving"\n"attributes.model" = "Model"\n'
        '[types]\n"Thin client" = "werkplek"\n[statuses]\n"Uitgeleend" = "in-gebruik"\n',
        encoding="utf-8",
    )
    rules = read_mapping_file(mapping)
    explicit = rules.columns | parse_map_options(["status=staat", "attributes.kleur=Kleur"])
    source = read_csv(path)
    columns = map_columns(source.header, explicit)
    assert columns.ignored == ("Naam",)
    report = import_cis(
        engine=world.db, actor=admin, source=source, columns=columns, now=MONDAY_9,
        options=ImportOptions(types=rules.types, statuses=rules.statuses, organisation="ENK"),
    )
    assert report.imported == 1, report.refused
    item = stored(world)["Balie-pc"]
    assert item.ci_type is CiType.WERKPLEK and item.status is CiStatus.IN_GEBRUIK
    assert item.attributes == {"model": "HP t640", "kleur": "rood"}


def test_a_field_can_be_left_out(tmp_path):
    header = ("Naam", "Type", "Status")
    assert "status" not in map_columns(header, {"status": ""}).fields
    assert map_columns(header, {}).fields["status"] == 2


@pytest.mark.parametrize(
    ("header", "explicit", "message"),
    [
        (("Omschrijving", "Type"), {}, "no column for name"),
        (("Naam", "Merk"), {}, "no column for ci_type"),
        (("Naam", "Type"), {"naam": "Naam"}, "--map naam: not a field"),
        (("Naam", "Type"), {"hostname": "Host"}, "the file has no such column"),
        (("Naam", "Type"), {"name": ""}, "no column for name"),
    ],
)
def test_an_unusable_mapping_is_refused_as_a_whole(header, explicit, message):
    with pytest.raises(UnusableInput, match=message):
        map_columns(header, explicit)


def test_unusable_files(tmp_path):
    with pytest.raises(UnusableInput, match="cannot read"):
        read_csv(tmp_path / "missing.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Naam;Type\nCafé;pc\n".encode("cp1252"))
    with pytest.raises(UnusableInput, match=r"not UTF-8 text \(line 2\)"):
        read_csv(latin)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(UnusableInput, match="empty"):
        read_csv(empty)
    with pytest.raises(UnusableInput, match="field=Column"):
        parse_map_options(["name"])
    bad = tmp_path / "bad.toml"
    bad.write_text('[types]\n"Thin client" = "dunne-client"\n', encoding="utf-8")
    with pytest.raises(UnusableInput, match="is not one of"):
        read_mapping_file(bad)


@pytest.mark.parametrize(
    ("written", "expected"),
    [("2024-02-01", date(2024, 2, 1)), ("1-2-2024", date(2024, 2, 1)),
     ("01/02/2024", date(2024, 2, 1)), ("1.2.2024", date(2024, 2, 1)),
     ("2024-02-01T10:00", date(2024, 2, 1))],
)
def test_dates_iso_or_day_month_year(written, expected):
    assert parse_date(written) == expected


@pytest.mark.parametrize("written", ["2024-13-01", "31-2-2024", "2/1/24", "1 feb 2024"])
def test_bad_dates(written):
    with pytest.raises(ValueError):
        parse_date(written)


def test_a_dry_run_reports_the_same_and_writes_nothing(world, admin, tmp_path):
    path = write_csv(tmp_path, *GOOD_AND_BAD)
    dry = run_import(world, admin, path, dry_run=True)
    assert stored(world) == {}
    real = run_import(world, admin, path)
    assert (dry.imported, refusals(dry)) == (real.imported, refusals(real))


def test_an_unknown_default_organisation_and_an_operator_without_the_right(
    world, admin, tmp_path
):
    path = write_csv(tmp_path, "Naam,Type", "A,pc")
    with pytest.raises(UnusableInput, match="--organisation 'XYZ'"):
        run_import(world, admin, path, organisation="XYZ")
    with pytest.raises(Refused):
        run_import(world, world.agent, path)
    assert stored(world) == {}
