"""`desk crisis set ORG LEVEL | clear ORG | status` from the command line."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from desk_tui.cli import main
from desk_tui.domain.calendar import build_calendars
from desk_tui.domain.sla import SlaEngine
from desk_tui.store.engine import write_session
from desk_tui.store.models import CrisisContact, CrisisContactKind
from tests.world import World, build_world


@pytest.fixture
def world(store: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("DESK_DATABASE_URL", db_url)
    world = build_world(store, SlaEngine(build_calendars(first_year=2026)))
    with write_session(store) as session:
        session.add(CrisisContact(organisation_id=world.organisation.id,
                                  kind=CrisisContactKind.OOV, role_title="Adviseur OOV",
                                  name="Joost Stam", phone="06-12345678"))
    return world


def test_set_raise_show_and_clear(world, capsys):
    assert main(["--operator", "agent", "crisis", "set", "enk", "3", "--note", "brand"]) == 0
    assert capsys.readouterr().out == "ENK: GRIP 3 (was none)\n"
    assert main(["--operator", "agent", "crisis", "set", "ENK", "4"]) == 0
    assert capsys.readouterr().out == "ENK: GRIP 4 (was GRIP 3)\n"
    assert main(["--operator", "agent", "crisis", "status"]) == 0
    shown = capsys.readouterr().out
    assert "ENK  GRIP 4" in shown and "Adviseur OOV (Joost Stam): 06-12345678" in shown
    assert main(["--operator", "agent", "crisis", "clear", "ENK"]) == 0
    assert capsys.readouterr().out == "ENK: GRIP level cleared (was GRIP 4)\n"
    assert main(["--operator", "agent", "crisis", "status"]) == 0
    assert capsys.readouterr().out == "no GRIP level set\n"


@pytest.mark.parametrize(("arguments", "message"), [
    (["--operator", "cm", "crisis", "set", "ENK", "3"], "crisis.manage refused"),
    (["--operator", "agent", "crisis", "set", "ENK", "5"], "LEVEL must be a GRIP level"),
    (["--operator", "agent", "crisis", "set", "ENK", "drie"], "LEVEL must be a GRIP level"),
    (["--operator", "agent", "crisis", "set", "XYZ", "3"], "no organisation with code 'XYZ'"),
    (["--operator", "agent", "crisis", "clear", "ENK"], "ENK has no GRIP level set"),
    (["--operator", "onbekend", "crisis", "status"], "no active operator"),
])
def test_refusals_are_one_line_and_exit_2(world, capsys, arguments, message):
    assert main(arguments) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_crisis_contacts_are_recorded_and_shown(world, capsys):
    assert main(["--operator", "agent", "crisis", "contact", "enk", "Crisislijn regio",
                 "088-0120112", "--crisis-line"]) == 0
    assert capsys.readouterr().out == "ENK: Crisislijn regio: 088-0120112\n"
    assert main(["--operator", "agent", "crisis", "contact", "ENK", "Burgemeester",
                 "0228-360100", "--name", "E. Struis", "--email", "nee"]) == 2
    assert "'nee' is not a mail address" in capsys.readouterr().err
    assert main(["--operator", "cm", "crisis", "contact", "ENK", "X", "1"]) == 2
    assert main(["--operator", "agent", "crisis", "set", "ENK", "3"]) == 0
    assert main(["--operator", "agent", "crisis", "status"]) == 0
    shown = capsys.readouterr().out
    assert shown.index("Crisislijn regio: 088-0120112") < shown.index("Adviseur OOV")


def test_contacts_are_listed_with_ids_and_removed_by_id(world, capsys):
    assert main(["--operator", "agent", "crisis", "contact", "ENK", "Crisislijn",
                 "088-0120112", "--crisis-line"]) == 0
    capsys.readouterr()
    assert main(["--operator", "agent", "crisis", "contacts"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    stale = next(line for line in lines if "Adviseur OOV" in line)
    assert "ENK  OOV" in stale and "(Joost Stam): 06-12345678" in stale
    assert main(["--operator", "agent", "crisis", "contact", "--remove",
                 stale.split()[0]]) == 0
    assert capsys.readouterr().out == "ENK: removed Adviseur OOV: 06-12345678\n"
    assert main(["--operator", "agent", "crisis", "contacts", "ENK"]) == 0
    [left] = capsys.readouterr().out.splitlines()
    assert "crisis line" in left and "Crisislijn: 088-0120112" in left
    assert main(["--operator", "agent", "crisis", "set", "ENK", "3"]) == 0
    assert main(["--operator", "agent", "crisis", "status"]) == 0
    assert "Joost Stam" not in capsys.readouterr().out


@pytest.mark.parametrize(("arguments", "message"), [
    (["contact", "--remove", "nope"], "'nope' is not a contact id"),
    (["contact", "--remove", "01a20a2a-3605-7c05-99c6-cdb2a6169fad"], "no crisis contact"),
    (["contact", "ENK", "--remove", "01a20a2a-3605-7c05-99c6-cdb2a6169fad"], "takes no ORG"),
    (["contact", "ENK", "Adviseur"], "give ORG ROLE PHONE"),
])
def test_bad_contact_removals_say_why(world, capsys, arguments, message):
    assert main(["--operator", "agent", "crisis", *arguments]) == 2
    assert message in capsys.readouterr().err


def test_a_contract_manager_may_not_remove_a_contact(world, capsys):
    assert main(["--operator", "agent", "crisis", "contacts"]) == 0
    contact_id = capsys.readouterr().out.split()[0]
    assert main(["--operator", "cm", "crisis", "contact", "--remove", contact_id]) == 2
    assert "crisis.manage refused" in capsys.readouterr().err
