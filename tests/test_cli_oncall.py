"""`desk oncall queue|handover|show|ack` from the command line."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from desk_tui.cli import main
from desk_tui.domain.calendar import build_calendars
from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.sla import SlaEngine
from desk_tui.services import calls
from desk_tui.services.calls import CallDraft
from desk_tui.store.engine import write_session
from desk_tui.store.models import Organisation
from tests.world import World, at, build_world


@pytest.fixture
def world(store: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("DESK_DATABASE_URL", db_url)
    world = build_world(store, SlaEngine(build_calendars(first_year=2026)))
    with write_session(store) as session:
        session.get(Organisation, world.organisation.id).evening_opening = True
    draft = CallDraft(organisation_id=world.organisation.id, call_type=CallType.STORING,
                      subject="Paspoortprinter balie 2", impact=Level.MIDDEN,
                      urgency=Level.MIDDEN, category_id=world.category.id)
    world.write(calls.register_call, actor=world.agent, draft=draft, now=at("2026-11-30 17:10"))
    return world


def test_queue_then_handover_at_eight(world: World, capsys) -> None:
    assert main(["--operator", "agent", "oncall", "queue", "--now", "2026-11-30T17:25"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "on-call open now: Mon 2026-11-30 17:00-20:00, 1 call(s)"
    assert "react 0:15" in out[1] and "Paspoortprinter balie 2" in out[1]

    assert main(["--operator", "agent", "oncall", "handover", "--now",
                 "2026-11-30T20:00"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("on-call evening 2026-11-30: handed over 2026-11-30 20:00")
    assert "left open for the morning: 1\n    M2026-000001  P3  ENK" in out
    assert main(["--operator", "agent", "oncall", "handover", "--now",
                 "2026-11-30T20:30"]) == 0
    assert capsys.readouterr().out.startswith("(handed over before)")
    assert main(["--operator", "agent2", "oncall", "ack"]) == 0
    assert "marked as read" in capsys.readouterr().out
    assert main(["--operator", "agent2", "oncall", "show"]) == 0
    assert "seen by the morning: Ruben Smit" in capsys.readouterr().out


def test_bad_time_and_no_right(world: World, capsys) -> None:
    assert main(["--operator", "agent", "oncall", "queue", "--now", "vanavond"]) == 2
    assert main(["--operator", "cm", "oncall", "handover", "--now", "2026-11-30T20:00"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "desk oncall queue: --now 'vanavond' is not a time like 2026-11-30T20:00"
    assert err[1].startswith("desk oncall handover: on-call.handover refused")


def test_the_on_call_section_of_the_config_decides_what_on_call_handles(
    world: World, capsys, tmp_path
) -> None:
    """Enkhuizen is marked as opening in the evening, but [on_call] lists only DRE."""
    config = tmp_path / "desk.toml"
    config.write_text('[on_call]\nmunicipalities = ["DRE"]\n', encoding="utf-8")
    assert main(["--config", str(config), "--operator", "agent", "oncall", "queue",
                 "--now", "2026-11-30T17:25"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "on-call open now: Mon 2026-11-30 17:00-20:00, 0 call(s)"]
    config.write_text('[on_call]\nci_types = ["printr"]\n', encoding="utf-8")
    assert main(["--config", str(config), "--operator", "agent", "oncall", "queue"]) != 0
    assert "'printr' is not a CI type" in capsys.readouterr().err
