"""`desk privacy status`: the record of the daily purge runs, and a warning (exit 3)
when the last run is more than a day old."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.engine import Engine

from desk_tui.cli import main
from desk_tui.domain.calendar import build_calendars
from desk_tui.domain.sla import SlaEngine
from desk_tui.store.engine import write_session
from desk_tui.store.enums import OperatorRole
from desk_tui.store.models import PurgeRun
from desk_tui.store.types import utcnow
from tests.services.test_cmdb_write import add_operator
from tests.world import World, build_world


@pytest.fixture
def world(store: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> World:
    """The test world with an administrator, and `desk` pointed at it."""
    monkeypatch.setenv("DESK_DATABASE_URL", db_url)
    world = build_world(store, SlaEngine(build_calendars(first_year=2026)))
    add_operator(world, "admin", OperatorRole.ADMINISTRATOR)
    return world


def test_status_warns_until_a_purge_ran_then_shows_the_run(world: World, capsys) -> None:
    assert main(["--operator", "admin", "privacy", "status"]) == 3
    captured = capsys.readouterr()
    assert "no purge run recorded" in captured.out
    assert captured.err.startswith("warning: the privacy purge has never run")

    assert main(["--operator", "admin", "privacy", "purge"]) == 0
    assert "recorded this run" in capsys.readouterr().out
    assert main(["--operator", "admin", "privacy", "status"]) == 0
    captured = capsys.readouterr()
    [line, verdict] = captured.out.strip().splitlines()
    assert "by admin" in line and "0 organisations" in line
    assert verdict.startswith("the daily purge keeps up")
    assert captured.err == ""


def test_status_warns_when_the_last_run_is_more_than_a_day_old(world: World, capsys) -> None:
    with write_session(world.db) as session:
        session.add(PurgeRun(ran_at=utcnow() - timedelta(hours=49), operator_login="admin",
                             today=date(2026, 11, 1), grace_months=3))
    assert main(["--operator", "admin", "privacy", "status"]) == 3
    captured = capsys.readouterr()
    assert "by admin" in captured.out
    assert captured.err.startswith("warning: the privacy purge last ran 49 hours ago")


def test_status_and_a_dry_run_need_the_right_and_record_nothing(world: World, capsys) -> None:
    assert main(["--operator", "agent", "privacy", "status"]) == 2
    assert "privacy.purge refused" in capsys.readouterr().err
    assert main(["--operator", "admin", "privacy", "purge", "--dry-run"]) == 0
    assert "recorded" not in capsys.readouterr().out
    assert main(["--operator", "admin", "privacy", "status"]) == 3


def test_a_role_change_says_running_consoles_apply_it(world: World, capsys) -> None:
    assert main(["--operator", "admin", "role", "revoke", "agent", "call.close"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "call.close revoked from agent", "(running consoles apply it within a few seconds)"]
