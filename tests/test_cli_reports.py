"""`desk report availability|sla|changes|queue` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from desk_tui.cli import main
from desk_tui.domain.calendar import build_calendars
from desk_tui.domain.classification import Level
from desk_tui.domain.sla import SlaEngine
from desk_tui.services import calls
from tests.services.test_calls import register
from tests.world import World, at, build_world


@pytest.fixture
def world(store: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("DESK_DATABASE_URL", db_url)
    world = build_world(store, SlaEngine(build_calendars(first_year=2026)))
    p1 = register(world, impact=Level.HOOG, urgency=Level.HOOG,
                  subject="<b>Alles</b> ligt plat", now=at("2026-10-02 16:00"))
    world.write(calls.resolve, actor=world.agent, call_id=p1.id, now=at("2026-10-05 10:00"),
                solution="Switch vervangen")
    return world


def test_availability_as_html_page(world: World, tmp_path: Path, capsys) -> None:
    page = tmp_path / "beschikbaarheid.html"
    code = main(["--operator", "agent", "report", "availability", "--month", "2026-10",
                 "--org", "enk", "--format", "html", "--output", str(page)])

    assert code == 0
    html = page.read_text(encoding="utf-8")
    # October 2026: 22 weekdays, none closed: 198 h; the P1 cost Fri 16–17 and Mon 8–10.
    assert "198:00" in html and "3:00" in html and "98,48 %" in html
    assert "Beschikbaarheid Gemeente Enkhuizen" in capsys.readouterr().out


def test_sla_table_lists_the_missed_targets(world: World, capsys) -> None:
    code = main(["--operator", "agent", "report", "sla", "--month", "2026-10", "--org", "ENK"])

    out = capsys.readouterr().out
    assert code == 0
    assert "storing" in out and "M2026-000001" in out  # never taken: reaction missed
    assert "<b>Alles</b> ligt plat" in out  # shown as typed


def test_refusals_and_bad_input_are_one_line(world: World, capsys) -> None:
    assert main(["--operator", "agent", "report", "sla", "--month", "oktober",
                 "--org", "ENK"]) == 2
    assert main(["--operator", "agent", "report", "sla", "--month", "2026-10",
                 "--org", "Amsterdam"]) == 2
    assert main(["--operator", "cm", "report", "sla", "--month", "2026-10",
                 "--org", "ENK"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "desk report sla: --month: 'oktober' is not a month like 2026-10",
        "desk report sla: no organisation with code or name 'Amsterdam'",
        "desk report sla: report.read refused: only the operator's own organisation"
        " is visible",
    ]


def test_without_org_every_participant_and_a_manager_their_own(world: World, capsys) -> None:
    assert main(["--operator", "agent", "report", "availability", "--month", "2026-10"]) == 0
    everyone = capsys.readouterr().out
    assert "Beschikbaarheid alle deelnemers" in everyone
    lines = [line.split() for line in everyone.splitlines()]
    # Drechterland had no P1; Enkhuizen lost Fri 16-17 and Mon 8-10 of 198 hours.
    assert ["Gemeente", "Drechterland", "198:00", "0:00", "100,00", "%", "99,50", "%",
            "ja"] in lines
    assert ["Gemeente", "Enkhuizen", "198:00", "3:00", "98,48", "%", "99,50", "%",
            "NEE"] in lines
    assert main(["--operator", "agent", "report", "sla", "--month", "2026-10"]) == 0
    both = capsys.readouterr().out
    assert "Gemeente Drechterland: Normen per soort" in both
    assert "Gemeente Enkhuizen: Gemiste normen" in both
    assert main(["--operator", "cm", "report", "availability", "--month", "2026-10"]) == 0
    own = capsys.readouterr().out
    assert "Beschikbaarheid Gemeente Drechterland" in own and "Enkhuizen" not in own
    assert main(["--operator", "agent", "report", "changes", "--month", "2026-10",
                 "--org", "gemeente enkhuizen"]) == 0
    assert "Wijzigingen en problemen Gemeente Enkhuizen" in capsys.readouterr().out


def test_queue_and_changes_as_csv(world: World, capsys) -> None:
    assert main(["--operator", "agent", "report", "queue", "--format", "csv"]) == 0
    assert main(["--operator", "agent", "report", "changes", "--month", "2026-10",
                 "--org", "ENK", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("section,open meldingen,over een norm\nTotaal,0,0\n")
    assert "section,geopend,opgelost\nProblemen,0,0\n" in out


def test_in_english_on_request(world: World, capsys) -> None:
    assert main(["--lang", "en", "--operator", "agent", "report", "availability",
                 "--month", "2026-10", "--org", "ENK"]) == 0
    out = capsys.readouterr().out
    assert "Availability Gemeente Enkhuizen" in out and "October 2026" in out
    assert "98.48 %" in out and "Availability does NOT meet the norm." in out
