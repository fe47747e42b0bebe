"""`desk role`, `desk audit` and `desk privacy` from the command line."""

from __future__ import annotations

import json
import os
import stat
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from desk_tui.cli import main
from desk_tui.config import ConfigError, PrivacySettings, settings_from_mapping
from desk_tui.domain.calendar import build_calendars
from desk_tui.domain.sla import SlaEngine
from desk_tui.store.engine import write_session
from desk_tui.store.enums import OperatorRole
from desk_tui.store.models import Operator, OperatorRoleGrant, Organisation
from tests.services.test_calls import register
from tests.world import World, build_world


@pytest.fixture
def world(store: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("DESK_DATABASE_URL", db_url)
    world = build_world(store, SlaEngine(build_calendars(first_year=2026)))
    with write_session(store) as session:
        admin = Operator(login="admin", display_name="Beheer")
        session.add(admin)
        session.flush()
        session.add(OperatorRoleGrant(operator_id=admin.id, role=OperatorRole.ADMINISTRATOR))
    register(world)
    return world


def test_roles_are_listed_granted_and_revoked(world: World, capsys) -> None:
    assert main(["--operator", "admin", "role", "list", "agent"]) == 0
    listed = capsys.readouterr().out.split("\n")
    assert "agent  call.close" in listed
    assert main(["--operator", "admin", "role", "revoke", "agent", "call.close"]) == 0
    assert "call.close revoked from agent" in capsys.readouterr().out
    assert main(["--operator", "admin", "role", "list", "agent"]) == 0
    assert "agent  call.close" not in capsys.readouterr().out.split("\n")
    assert main(["--operator", "admin", "role", "grant", "agent", "call.close"]) == 0
    assert "call.close granted to agent" in capsys.readouterr().out


def test_role_changes_are_refused_to_others_and_bad_names_named(world: World, capsys) -> None:
    assert main(["--operator", "agent", "role", "grant", "agent", "cmdb.import"]) == 2
    assert main(["--operator", "admin", "role", "grant", "boss", "call.close"]) == 2
    assert main(["--operator", "admin", "role", "grant", "agent", "call.delete"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == ("desk role: role.manage refused: no role of agent (roles: agent)"
                      " grants role.manage")
    assert err[1].startswith("desk role: unknown role 'boss' (one of: agent, specialist")
    assert err[2].startswith("desk role: unknown action 'call.delete' (one of: call.read")


def test_audit_verify_reports_ok_then_the_broken_link(world: World, capsys) -> None:
    assert main(["--operator", "admin", "audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("audit log OK: ") and "rows, every link intact" in out
    with world.db.begin() as connection:
        if world.db.dialect.name == "sqlite":
            connection.exec_driver_sql("DROP TRIGGER audit_log_no_update")
        else:
            connection.exec_driver_sql("DROP TRIGGER audit_log_append_only ON audit_log")
        connection.execute(text("UPDATE audit_log SET detail = '{}' WHERE seq = 3"))
    assert main(["--operator", "admin", "audit", "verify"]) == 1
    assert capsys.readouterr().err.startswith("audit log BROKEN at row 3 (")


def test_audit_log_and_prune(world: World, capsys) -> None:
    assert main(["--operator", "admin", "audit", "log", "--limit", "3"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
    assert main(["--operator", "admin", "audit", "prune"]) == 0
    assert "nothing older than" in capsys.readouterr().out
    assert main(["--operator", "agent", "audit", "verify"]) == 2
    assert "audit.read refused" in capsys.readouterr().err


def test_privacy_purge_reports_per_organisation(world: World, capsys) -> None:
    with write_session(world.db) as session:
        session.get(Organisation, world.other_organisation.id).contract_end = date(2026, 1, 31)
    assert main(["--operator", "admin", "privacy", "purge", "--today", "2026-11-30"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("anonymised DRE (Gemeente Drechterland, contract ended 2026-01-31):"
                          " 1 persons, 1 operators")
    assert main(["--operator", "admin", "privacy", "purge", "--today", "30-11-2026"]) == 2
    assert "is not a date" in capsys.readouterr().err


def test_privacy_export_writes_json(world: World, tmp_path: Path, capsys) -> None:
    target = tmp_path / "anouk.json"
    assert main(["--operator", "admin", "privacy", "export", "a.jansen@enkhuizen.example",
                 "--output", str(target)]) == 0
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["person"]["login"] == "ajansen"
    assert len(document["calls_as_caller"]) == 1
    assert "exported 1 calls" in capsys.readouterr().out
    assert main(["--operator", "admin", "privacy", "export", "niemand"]) == 2
    assert "no person with" in capsys.readouterr().err


def test_privacy_export_file_is_private_and_not_overwritten(
    world: World, tmp_path: Path, capsys
) -> None:
    (tmp_path / "exports").mkdir()
    target = tmp_path / "exports" / "anouk.json"
    export = ["--operator", "admin", "privacy", "export", "ajansen", "--output", str(target)]
    old_umask = os.umask(0o022)  # the usual default: new files readable by everyone
    try:
        assert main(export) == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        capsys.readouterr()
        target.write_text("earlier export", encoding="utf-8")
        assert main(export) == 2
        assert "exists; choose a new file or give --force" in capsys.readouterr().err
        assert target.read_text(encoding="utf-8") == "earlier export"
        target.chmod(0o644)
        assert main([*export, "--force"]) == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        document = json.loads(target.read_text(encoding="utf-8"))
        assert document["person"]["login"] == "ajansen"
        # The first export was a read of her data (the refused one read nothing): the
        # next export lists it.
        assert [(read["by"], read["what"]) for read in document["viewed_by"]] == [
            ("admin", "exported on request")]
        assert [path.name for path in target.parent.iterdir()] == ["anouk.json"]
    finally:
        os.umask(old_umask)


def test_retention_and_grace_are_settings() -> None:
    settings = settings_from_mapping({"audit": {"retention_days": 400},
                                      "privacy": {"grace_months": 2}})
    assert settings.privacy == PrivacySettings(audit_retention_days=400, grace_months=2)
    assert settings_from_mapping({}).privacy.audit_retention_days == 2557
    with pytest.raises(ConfigError, match="within 3 months"):
        settings_from_mapping({"privacy": {"grace_months": 6}})
    with pytest.raises(ConfigError, match="unknown"):
        settings_from_mapping({"audit": {"keep": 1}})
