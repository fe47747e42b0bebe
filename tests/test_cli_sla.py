"""`desk sla` as a person and a script use it."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from desk_tui.cli import main
from desk_tui.commands.sla import make_engine, run_json_lines
from desk_tui.config import Settings


def test_one_call_prints_priority_due_times_and_handler(capsys, monkeypatch):
    monkeypatch.delenv("DESK_CONFIG", raising=False)
    code = main(
        ["sla", "--registered", "2026-11-27T16:50", "--type", "storing",
         "--impact", "hoog", "--urgency", "hoog"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "priority        1" in out
    assert "reaction_due    2026-11-30T08:05:00+01:00" in out
    assert "resolution_due  2026-11-30T11:50:00+01:00" in out
    assert "handled_by      desk" in out


def test_standard_change_lead_time(capsys, monkeypatch):
    monkeypatch.delenv("DESK_CONFIG", raising=False)
    assert main(["sla", "--change", "wachtwoord", "--registered", "2026-11-27T16:50"]) == 0
    assert "lead_time_due  2026-11-30T08:05:00+01:00" in capsys.readouterr().out


def test_a_bad_value_names_the_field_and_exits_2(capsys, monkeypatch):
    monkeypatch.delenv("DESK_CONFIG", raising=False)
    assert main(["sla", "--registered", "2026-11-27T16:50", "--impact", "groot"]) == 2
    assert "impact" in capsys.readouterr().err


def answers(lines: list[object]) -> list[dict]:
    out = io.StringIO()
    text = [line if isinstance(line, str) else json.dumps(line) for line in lines]
    run_json_lines(make_engine(Settings()), text, out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_json_lines_with_pauses_and_now():
    [answer] = answers([{
        "registered": "2026-11-30T09:00", "type": "storing", "impact": "midden",
        "urgency": "hoog", "pauses": [["2026-11-30T11:00", "2026-12-01T14:00"]],
        "now": "2026-12-01T15:00",
    }])
    assert answer == {
        "priority": 2,
        "reaction_due": "2026-11-30T09:30:00+01:00",
        "resolution_due": "2026-12-02T11:00:00+01:00",
        "handled_by": "desk",
        "reaction_remaining_s": -52200,
        "reaction_state": "breached",
        "resolution_remaining_s": 18000,
        "resolution_state": "ok",
        "resolution_running": True,
        "state": "breached",
    }


def test_json_input_with_an_offset_or_utc_is_honoured():
    [local, utc] = answers([
        {"registered": "2026-11-27T16:50+01:00", "type": "storing", "impact": 3, "urgency": 3},
        {"registered": "2026-11-27T15:50Z", "type": "incident", "impact": "high",
         "urgency": "high"},
    ])
    assert local["reaction_due"] == utc["reaction_due"] == "2026-11-30T08:05:00+01:00"


def test_bad_lines_get_an_error_naming_the_field_and_the_run_goes_on():
    result = answers([
        {"registered": "not a date", "type": "storing"},
        "{broken json",
        {"registered": "2026-11-30T09:00", "type": "storing", "impact": "hoog"},
        {"registered": "2026-11-30T09:00", "type": "melding"},
        {"registered": "2026-11-30T09:00", "type": "serviceverzoek", "pauses": "yes"},
        [1, 2],
        {"id": "A-7", "registered": "2026-11-30T09:00", "type": "informatieverzoek"},
    ])
    assert [a.get("field") for a in result[:6]] == [
        "registered", None, "urgency", "type", "pauses", "line",
    ]
    assert all("error" in a for a in result[:6])
    assert result[6] == {
        "id": "A-7", "priority": None, "reaction_due": "2026-11-30T11:00:00+01:00",
        "resolution_due": None, "handled_by": "desk",
    }


def test_on_call_and_change_over_json():
    on_call, change = answers([
        {"registered": "2026-11-30T18:10", "type": "storing", "impact": "hoog",
         "urgency": "hoog"},
        {"registered": "2026-11-27T16:00", "change": "noodwijziging"},
    ])
    assert on_call["handled_by"] == "on-call"
    assert on_call["reaction_due"] == "2026-11-30T18:40:00+01:00"
    assert change["reaction_due"] == "2026-11-30T09:00:00+01:00"


def test_the_installed_command_streams_json(tmp_path):
    lines = "\n".join([
        json.dumps({"registered": "2026-12-23T10:00", "type": "storing", "impact": "hoog",
                    "urgency": "laag"}),
        json.dumps({"registered": "2026-12-23T10:00"}),
    ])
    done = subprocess.run(
        [sys.executable, "-m", "desk_tui", "sla", "--json"], input=lines, text=True,
        capture_output=True, env={"DESK_CONFIG": "", "PATH": ""}, check=False,
    )
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["resolution_due"] == "2026-12-28T16:00:00+01:00"
    assert second["field"] == "type"
    assert done.returncode == 1  # some lines failed


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_calendar_from_a_config_file(tmp_path, capsys, lang):
    config = tmp_path / "desk.toml"
    config.write_text(
        '[calendar.bridge_days]\n2026 = ["2026-05-15"]\n[sla]\non_call_reaction_minutes = 15\n'
    )
    assert main(["--config", str(config), "--lang", lang, "sla", "--registered",
                 "2026-05-13T16:00", "--type", "serviceverzoek"]) == 0
    assert "reaction_due    2026-05-18T09:00:00+02:00" in capsys.readouterr().out


def test_a_broken_config_file_is_a_clear_message(tmp_path, capsys):
    config = tmp_path / "desk.toml"
    config.write_text("[calendar]\nliberation_day = 'sometimes'\n")
    assert main(["--config", str(config), "sla", "--registered", "2026-05-13T16:00"]) == 2
    err = capsys.readouterr().err
    assert "sometimes" in err and "Traceback" not in err
