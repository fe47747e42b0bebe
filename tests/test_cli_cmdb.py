"""`desk cmdb import` and `desk report invoice` from the command line, on both engines."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine

from desk_tui.cli import main
from desk_tui.domain.calendar import build_calendars
from desk_tui.domain.sla import SlaEngine
from desk_tui.store.engine import make_engine, read_session, write_session
from desk_tui.store.enums import CiStatus, OperatorRole
from desk_tui.store.migrate import upgrade_database
from desk_tui.store.models import ConfigurationItem
from tests.services.test_cmdb_write import add_operator
from tests.world import World, build_world

CSV = (
    "Objectnummer;Naam;Type;Organisatie;Configuratie;In gebruik sinds;Uit gebruik sinds\n"
    "TD-1;ENK-PC-001;Desktop;ENK;standaard;1-7-2026;\n"
    "TD-2;Koffie;Koffiezetapparaat;ENK;;;\n"
    "TD-3;ENK-PC-002;pc;ENK;standaard;30-9-2026;\n"
    "TD-4;ENK-PC-003;pc;ENK;standaard;1-1-2026;30-9-2026\n"
    "TD-5;DRE-LT-001;laptop;DRE;;2026-01-01;\n"
    "TD-6;SRV-01;server;;zwaar;2020-01-01;\n"
    "TD-7;Verkeerd IP;pc;ENK;;;\n"
    "TD-1;Dubbel;pc;ENK;;;\n"
)


@pytest.fixture(scope="module")
def sla_engine() -> SlaEngine:
    return SlaEngine(build_calendars(first_year=2026))


@pytest.fixture
def world(
    store: Engine, db_url: str, sla_engine: SlaEngine, monkeypatch: pytest.MonkeyPatch
) -> World:
    monkeypatch.setenv("DESK_DATABASE_URL", db_url)
    world = build_world(store, sla_engine)
    add_operator(world, "beheer", OperatorRole.ADMINISTRATOR)
    with write_session(store) as session:  # in stock: the invoice leaves it out
        session.execute(update(ConfigurationItem).values(status=CiStatus.VOORRAAD))
    return world


def csv_file(folder: Path, text: str = CSV, name: str = "export.csv") -> Path:
    path = folder / name
    path.write_text(text.replace("TD-7;Verkeerd IP;pc;ENK", "TD-7;Verkeerd IP;pc;XYZ"),
                    encoding="utf-8")
    return path


def ci_count(world: World) -> int:
    with read_session(world.db) as session:
        return session.execute(select(func.count()).select_from(ConfigurationItem)).scalar_one()


def test_import_reports_refusals_and_a_second_run_skips_everything(world, tmp_path, capsys):
    path = csv_file(tmp_path)
    assert main(["--operator", "beheer", "cmdb", "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "desk cmdb import: export.csv, delimiter ';'" in out
    assert "8 rows: imported 5 (DRE 1, ENK 3, own infrastructure 1), skipped 0" in out
    assert "refused 3" in out
    assert "  line 3: unknown CI type 'Koffiezetapparaat'" in out
    assert "  line 8: unknown organisation 'XYZ'" in out
    assert "  line 9: duplicate of line 2 (same external reference 'TD-1')" in out
    assert ci_count(world) == 6  # and the world's own workstation

    assert main(["--operator", "beheer", "cmdb", "import", str(path)]) == 0
    assert "imported 0, skipped 5 (already present), refused 3" in capsys.readouterr().out
    assert ci_count(world) == 6


def test_the_invoice_of_what_was_imported(world, tmp_path, capsys):
    main(["--operator", "beheer", "cmdb", "import", str(csv_file(tmp_path))])
    capsys.readouterr()
    assert main(["--operator", "beheer", "report", "invoice", "--quarter", "2026Q3"]) == 0
    # PC-003 retired on the reference date; the server is the desk's own; the world's
    # workstation is in stock.
    assert capsys.readouterr().out.splitlines() == [
        "organisation_code,organisation_name,quarter,reference_date,ci_type,configuration,"
        "count",
        "DRE,Gemeente Drechterland,2026Q3,2026-09-30,laptop,,1",
        "ENK,Gemeente Enkhuizen,2026Q3,2026-09-30,werkplek,standaard,2",
    ]


def test_the_invoice_to_a_file_for_one_organisation(world, tmp_path, capsys):
    main(["--operator", "beheer", "cmdb", "import", str(csv_file(tmp_path))])
    capsys.readouterr()
    output = tmp_path / "factuur.csv"
    assert main(["--operator", "beheer", "report", "invoice", "--quarter", "2026q3",
                 "--org", "enk", "--output", str(output)]) == 0
    assert "2 CIs in 1 lines for 1 organisations" in capsys.readouterr().out
    assert output.read_text(encoding="utf-8").splitlines()[1:] == [
        "ENK,Gemeente Enkhuizen,2026Q3,2026-09-30,werkplek,standaard,2",
    ]


def test_a_contract_manager_gets_their_own_organisation_only(world, tmp_path, capsys):
    main(["--operator", "beheer", "cmdb", "import", str(csv_file(tmp_path))])
    capsys.readouterr()
    assert main(["--operator", "cm", "report", "invoice", "--quarter", "2026Q3"]) == 0
    assert [line.split(",")[0] for line in capsys.readouterr().out.splitlines()[1:]] == ["DRE"]
    assert main(["--operator", "cm", "report", "invoice", "--quarter", "2026Q3",
                 "--org", "ENK"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "desk report invoice: report.invoice refused: only the operator's own organisation"
        " is visible"
    ]


def test_refused_rows_beyond_the_limit_go_to_the_refused_file(world, tmp_path, capsys):
    refused = tmp_path / "refused.csv"
    assert main(["--operator", "beheer", "cmdb", "import", str(csv_file(tmp_path)),
                 "--show", "1", "--refused-out", str(refused)]) == 0
    out = capsys.readouterr().out
    assert "  line 3: unknown CI type 'Koffiezetapparaat'" in out
    assert "line 8" not in out
    assert "  ... and 2 more; all are in refused.csv" in out
    assert refused.read_text(encoding="utf-8").splitlines() == [
        "line;reason;Objectnummer;Naam;Type;Organisatie;Configuratie;In gebruik sinds;"
        "Uit gebruik sinds",
        "3;unknown CI type 'Koffiezetapparaat';TD-2;Koffie;Koffiezetapparaat;ENK;;;",
        "8;unknown organisation 'XYZ';TD-7;Verkeerd IP;pc;XYZ;;;",
        "9;duplicate of line 2 (same external reference 'TD-1');TD-1;Dubbel;pc;ENK;;;",
    ]


def test_a_dry_run_writes_nothing(world, tmp_path, capsys):
    assert main(["--operator", "beheer", "cmdb", "import", str(csv_file(tmp_path)),
                 "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would import 5" in out and "dry run: nothing was written" in out
    assert ci_count(world) == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missing.csv"], "desk cmdb import: cannot read missing.csv"),
        (["bad.csv"], "desk cmdb import: no column for name"),
        (["export.csv", "--map", "kleur=Kleur"], "desk cmdb import: --map kleur: not a field"),
        (["export.csv", "--delimiter", ";;"],
         "desk cmdb import: --delimiter ';;': give one character"),
        (["export.csv", "--organisation", "XYZ"],
         "desk cmdb import: --organisation 'XYZ': no such organisation"),
    ],
)
def test_unusable_input_exits_2_with_one_line(world, tmp_path, capsys, arguments, message):
    csv_file(tmp_path)
    csv_file(tmp_path, "Omschrijving;Type\nA;pc\n", name="bad.csv")
    arguments = [str(tmp_path / arguments[0]), *arguments[1:]]
    assert main(["--operator", "beheer", "cmdb", "import", *arguments]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(message)
    assert ci_count(world) == 1


def test_unknown_operators_and_missing_rights_exit_2(world, tmp_path, capsys):
    path = str(csv_file(tmp_path))
    assert main(["--operator", "ghost", "cmdb", "import", path]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "desk cmdb import: no active operator with login 'ghost'; name one with"
        " --operator LOGIN or DESK_OPERATOR"
    ]
    assert main(["--operator", "agent", "cmdb", "import", path]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "desk cmdb import: cmdb.import refused: no role of agent (roles: agent) grants"
        " cmdb.import"
    ]
    assert main(["--operator", "agent", "report", "invoice", "--quarter", "2026Q3"]) == 2
    assert "report.invoice refused" in capsys.readouterr().err
    assert ci_count(world) == 1


def test_bad_quarter_and_unknown_organisation_exit_2(world, capsys):
    assert main(["--operator", "beheer", "report", "invoice", "--quarter", "2026Q5"]) == 2
    assert capsys.readouterr().err.strip() == (
        "desk report invoice: --quarter: quarter '2026Q5' is not a year and quarter like"
        " 2026Q3 (Q1 to Q4)"
    )
    assert main(["--operator", "beheer", "report", "invoice", "--quarter", "2026Q3",
                 "--org", "XYZ"]) == 2
    assert "no organisation with code 'XYZ'" in capsys.readouterr().err


def test_a_database_that_needs_an_upgrade_is_named(sqlite_url, monkeypatch, capsys):
    monkeypatch.setenv("DESK_DATABASE_URL", sqlite_url)
    assert main(["report", "invoice", "--quarter", "2026Q3"]) == 2
    assert "desk db upgrade" in capsys.readouterr().err


def test_text_from_the_file_reaches_the_terminal_escaped(sqlite_url, tmp_path, sla_engine):
    store = make_engine(sqlite_url)
    try:
        upgrade_database(store)
        add_operator(build_world(store, sla_engine), "beheer", OperatorRole.ADMINISTRATOR)
    finally:
        store.dispose()
    path = tmp_path / "evil.csv"
    path.write_text("Naam,Type\nA,\x1b]0;title\x07\n", encoding="utf-8")
    env = {**os.environ, "DESK_DATABASE_URL": sqlite_url, "DESK_OPERATOR": "beheer"}
    result = subprocess.run(
        [sys.executable, "-m", "desk_tui", "cmdb", "import", str(path)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "line 2: unknown CI type '\\x1b]0;title\\x07'" in result.stdout
    assert result.stderr == ""
