"""Subcommands act as an operator only once that operator proved it with their PIN;
`desk operator set-pin` sets one."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from desk_tui.cli import main
from desk_tui.commands import operator as operator_command
from desk_tui.domain.calendar import build_calendars
from desk_tui.domain.sla import SlaEngine
from desk_tui.services.identity import hash_pin
from desk_tui.store.engine import write_session
from desk_tui.store.enums import OperatorRole
from desk_tui.store.models import AuditEntry, Operator, OperatorRoleGrant
from tests.world import World, build_world

pytestmark = pytest.mark.real_identity
ADMIN_PIN = "7391"


@pytest.fixture
def world(store: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("DESK_DATABASE_URL", db_url)
    world = build_world(store, SlaEngine(build_calendars(first_year=2026)))
    with write_session(store) as session:
        admin = Operator(login="admin", display_name="Beheer", pin_hash=hash_pin(ADMIN_PIN))
        session.add(admin)
        session.flush()
        session.add(OperatorRoleGrant(operator_id=admin.id, role=OperatorRole.ADMINISTRATOR))
    return world


class Keyboard:
    """What the person at the terminal types at each hidden prompt, in turn."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *typed: str) -> None:
        self.typed: Iterator[str] = iter(typed)
        self.prompts: list[str] = []
        monkeypatch.setattr(operator_command.sys.stdin, "isatty", lambda: True,
                            raising=False)
        monkeypatch.setattr(operator_command.getpass, "getpass", self._getpass)

    def _getpass(self, prompt: str = "") -> str:
        self.prompts.append(prompt)
        return next(self.typed)


def _refusals(world: World, login: str) -> list[str]:
    with world.db.connect() as connection:
        rows = connection.execute(select(AuditEntry.detail).where(
            AuditEntry.event == "refused", AuditEntry.actor_login == login)).scalars()
        return [json.loads(row)["reason"] for row in rows]


def test_an_administrator_command_is_refused_without_the_pin(world: World, capsys) -> None:
    # no terminal (pytest's stdin) and no DESK_PIN: refused, nothing done
    assert main(["--operator", "admin", "role", "grant", "agent", "role.manage"]) == 2
    err = capsys.readouterr().err
    assert "operator admin needs their PIN" in err and "DESK_PIN" in err
    assert main(["--operator", "agent", "role", "list"]) == 2  # and the agent still may not


def test_a_wrong_pin_is_refused_and_audited_the_right_one_works(
    world: World, capsys, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DESK_PIN", "0000")
    assert main(["--operator", "admin", "audit", "log"]) == 2
    assert "refused: wrong PIN for admin; 4 more" in capsys.readouterr().err
    assert any("wrong PIN" in reason for reason in _refusals(world, "admin"))
    monkeypatch.setenv("DESK_PIN", ADMIN_PIN)
    assert main(["--operator", "admin", "audit", "log"]) == 0


def test_the_pin_is_asked_at_a_terminal_without_echo(
    world: World, capsys, monkeypatch: pytest.MonkeyPatch,
) -> None:
    keyboard = Keyboard(monkeypatch, ADMIN_PIN)
    assert main(["--operator", "admin", "role", "list", "agent"]) == 0
    assert keyboard.prompts == ["PIN for admin: "]
    assert "agent  call.close" in capsys.readouterr().out


def test_five_wrong_pins_lock_the_command_line_too(
    world: World, capsys, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DESK_PIN", "1111")
    for _ in range(5):
        assert main(["--operator", "admin", "audit", "verify"]) == 2
    monkeypatch.setenv("DESK_PIN", ADMIN_PIN)
    assert main(["--operator", "admin", "audit", "verify"]) == 2
    assert "locked after 5 wrong PINs" in capsys.readouterr().err.splitlines()[-1]


def test_an_administrator_sets_an_agents_pin_read_twice(
    world: World, capsys, monkeypatch: pytest.MonkeyPatch,
) -> None:
    keyboard = Keyboard(monkeypatch, ADMIN_PIN, "5820", "5820")
    assert main(["--operator", "admin", "operator", "set-pin", "agent"]) == 0
    assert keyboard.prompts == ["PIN for admin: ", "new PIN for agent: ",
                                "new PIN for agent again: "]
    assert "PIN of agent set" in capsys.readouterr().out
    monkeypatch.setenv("DESK_PIN", "5820")
    monkeypatch.setattr(operator_command.sys.stdin, "isatty", lambda: False, raising=False)
    assert main(["--operator", "agent", "report", "queue"]) == 0
    monkeypatch.delenv("DESK_PIN")
    assert main(["--operator", "agent", "report", "queue"]) == 2  # now it needs it


def test_an_operator_changes_their_own_pin_with_the_old_one(
    world: World, capsys, monkeypatch: pytest.MonkeyPatch,
) -> None:
    Keyboard(monkeypatch, "9999", "1234", "1234")  # a wrong old PIN: nothing changes
    assert main(["--operator", "admin", "operator", "set-pin", "admin"]) == 2
    Keyboard(monkeypatch, ADMIN_PIN, "1234", "1243")  # typed differently the second time
    assert main(["--operator", "admin", "operator", "set-pin", "admin"]) == 2
    assert "the two PINs differ; nothing changed" in capsys.readouterr().err
    Keyboard(monkeypatch, ADMIN_PIN, "12", )  # too short
    assert main(["--operator", "admin", "operator", "set-pin", "admin"]) == 2
    assert "at least 4 characters" in capsys.readouterr().err
    Keyboard(monkeypatch, ADMIN_PIN, "4321", "4321")
    assert main(["--operator", "admin", "operator", "set-pin", "admin"]) == 0
    monkeypatch.setenv("DESK_PIN", "4321")
    assert main(["--operator", "admin", "audit", "verify"]) == 0


def test_an_agent_may_not_set_a_colleagues_pin(
    world: World, capsys, monkeypatch: pytest.MonkeyPatch,
) -> None:
    with write_session(world.db) as session:
        agent = session.execute(select(Operator).where(Operator.login == "agent")).scalar_one()
        agent.pin_hash = hash_pin("2580")
    Keyboard(monkeypatch, "2580", "1111", "1111")
    assert main(["--operator", "agent", "operator", "set-pin", "agent2"]) == 2
    assert "role.manage refused" in capsys.readouterr().err
