"""`desk offline ...` from the command line: prepare, standby log, export, import."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from desk_tui.cli import main
from desk_tui.domain.calendar import build_calendars
from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.sla import SlaEngine
from desk_tui.services import calls
from desk_tui.services.calls import CallDraft
from desk_tui.services.queries import actor_for
from desk_tui.store.engine import make_engine, read_session, write_session
from desk_tui.store.enums import OperatorRole
from desk_tui.store.models import Call, Operator, OperatorRoleGrant, OutboxMessage, Person
from tests.world import World, at, build_world


@pytest.fixture
def world(store: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("DESK_DATABASE_URL", db_url)
    world = build_world(store, SlaEngine(build_calendars(first_year=2026)))
    with write_session(store) as session:
        admin = Operator(login="beheer", display_name="Beheerder")
        session.add(admin)
        session.flush()
        session.add(OperatorRoleGrant(operator_id=admin.id, role=OperatorRole.ADMINISTRATOR))
        manager = session.execute(select(Person).where(Person.login == "ajansen")).scalar_one()
        session.get(type(world.organisation), world.organisation.id).contract_manager_id = (
            manager.id)
    return world


def test_prepare_work_export_import(world: World, tmp_path: Path, capsys,
                                    monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    copy = tmp_path / "v01.sqlite3"
    assert main(["--operator", "beheer", "offline", "prepare", "--site", "v01", "--org", "ENK",
                 "--output", str(copy), "--staff", "agent"]) == 0
    assert "site V01 prepared" in capsys.readouterr().out
    assert copy.stat().st_mode & 0o077 == 0  # personal data and a private key: owner only

    monkeypatch.setenv("DESK_DATABASE_URL", f"sqlite:///{copy}")
    assert main(["--operator", "agent", "offline", "standby", "add", "--who", "Voorzitter SB 3",
                 "--location", "Stembureau 3", "--what", "Printer [/] weigert",
                 "--at", "2026-03-18T21:30"]) == 0
    site_db = make_engine(f"sqlite:///{copy}")
    try:
        with read_session(site_db) as session:
            agent = actor_for(session, "agent")
        with write_session(site_db) as session:  # a P1 at the polling station
            saved = calls.register_call(
                session=session, actor=agent, sla=world.sla, site="V01",
                now=at("2026-03-18 21:35"),
                draft=CallDraft(organisation_id=world.organisation.id,
                                call_type=CallType.STORING, subject="Uitslagprogramma faalt",
                                impact=Level.HOOG, urgency=Level.HOOG),
            )
        with write_session(site_db) as session:  # the polling station's PC broke
            from desk_tui.services.cmdb_write import update_ci
            from desk_tui.store.enums import CiStatus

            update_ci(session=session, actor=agent, ci_id=world.workstation.id,
                      changes={"status": CiStatus.IN_REPARATIE}, now=at("2026-03-18 21:40"))
    finally:
        site_db.dispose()
    bundle = tmp_path / "v01.bundle"
    assert main(["--operator", "agent", "offline", "export", "--output", str(bundle)]) == 0
    exported = capsys.readouterr().out
    assert "1 new calls" in exported and "1 CIs" in exported and "1 P1 evaluations" in exported
    assert "not in the bundle" not in exported

    monkeypatch.setenv("DESK_DATABASE_URL", db_url)
    assert main(["--operator", "agent", "offline", "import", str(bundle)]) == 0
    out = capsys.readouterr().out
    assert "new calls       1" in out and "standby entries 1" in out
    assert "CIs             0 new, 1 updated" in out and "CI history      1 lines" in out
    with read_session(world.db) as session:
        assert session.get(Call, saved.id).site == "V01"
        notices = session.execute(select(OutboxMessage.recipient).where(
            OutboxMessage.call_id == saved.id)).scalars().all()
    assert notices == ["a.jansen@enkhuizen.example"]  # the P1 managers are told centrally

    assert main(["--operator", "agent", "offline", "import", str(bundle)]) == 0
    assert "nothing new" in capsys.readouterr().out
    assert main(["--operator", "agent", "offline", "standby", "list"]) == 0
    listed = capsys.readouterr().out
    assert "2026-03-18 21:30  V01  Voorzitter SB 3  Stembureau 3  Printer [/] weigert" in listed
    assert main(["--operator", "agent", "offline", "conflicts"]) == 0
    assert "no conflicts to decide" in capsys.readouterr().out

    altered = tmp_path / "altered.bundle"
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(altered, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, data.replace(b"Printer", b"Printed"))
    assert main(["--operator", "agent", "offline", "import", str(altered)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["desk offline import: altered.bundle was altered after it was signed (its"
                   " records do not match the signed checksum); refused, nothing imported"]


def test_refusals_are_one_line(world: World, tmp_path: Path, capsys) -> None:
    assert main(["--operator", "agent", "offline", "prepare", "--site", "V01", "--org", "ENK",
                 "--output", str(tmp_path / "x.sqlite3")]) == 2
    assert main(["--operator", "agent", "offline", "export", "--output",
                 str(tmp_path / "b")]) == 2
    assert main(["--operator", "agent", "offline", "import", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("desk offline prepare: offline.prepare refused")
    assert err[1].startswith("desk offline export: this database is not an election site")
    assert err[2] == f"desk offline import: no bundle at {tmp_path / 'none'}"
    assert not (tmp_path / "x.sqlite3").exists()


def test_conflicts_list_base_central_and_site_with_names(world: World, tmp_path: Path,
                                                         capsys) -> None:
    from tests.ui.test_conflicts_screen import make_conflict

    make_conflict(world, tmp_path)
    assert main(["--operator", "agent", "offline", "conflicts"]) == 0
    out = capsys.readouterr().out
    assert ("    status: base 'geregistreerd'  central 'in-behandeling'  site 'opgelost'"
            in out)
    assert "    handler: base None  central 'Ruben Smit'  site 'Sanne de Vries'" in out


def test_a_person_conflict_is_listed_and_decided_on_the_command_line(
    world: World, tmp_path: Path, capsys
) -> None:
    from tests.ui.test_conflicts_screen import make_person_conflict

    make_person_conflict(world, tmp_path)
    assert main(["--operator", "agent", "offline", "conflicts"]) == 0
    out = capsys.readouterr().out
    [line] = [line for line in out.splitlines() if "person Anouk Jansen" in line]
    assert "    phone: base '0228-351234'  central '0228-000000'  site '06-11111111'" in out
    assert main(["--operator", "agent", "offline", "resolve", line.split()[0],
                 "--keep", "site"]) == 0
    assert "Anouk Jansen: kept the site version" in capsys.readouterr().out
    with read_session(world.db) as session:
        assert session.get(Person, world.caller.id).phone == "06-11111111"
