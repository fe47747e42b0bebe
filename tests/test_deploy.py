"""deploy/: the systemd units and the cron line that run the daily privacy purge must
name each other and the real command, or the purge silently never runs."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

from desk_tui.cli import build_parser

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


def desk_arguments(command: str) -> list[str]:
    words = shlex.split(command)
    return words[[Path(word).name for word in words].index("desk") + 1:]


def test_the_timer_starts_the_purge_service_daily_and_catches_up() -> None:
    timer = unit("desk-privacy-purge.timer")
    assert (DEPLOY / timer["Timer"]["Unit"]).is_file()
    assert timer["Timer"]["OnCalendar"].startswith("*-*-* ")  # every day
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_the_service_and_the_cron_line_run_desk_privacy_purge() -> None:
    service = unit("desk-privacy-purge.service")
    assert service["Service"]["Type"] == "oneshot"
    assert "DESK_OPERATOR=" in service["Service"]["Environment"]
    [cron] = [line for line in (DEPLOY / "desk-privacy-purge.cron").read_text().splitlines()
              if line.strip() and not line.startswith("#") and "=" not in line.split()[0]]
    _minute, hour, day, month, weekday, _user, *command = cron.split()
    assert (day, month, weekday) == ("*", "*", "*") and 0 <= int(hour) < 24
    for line in (service["Service"]["ExecStart"], " ".join(command)):
        arguments = desk_arguments(line)
        assert arguments == ["privacy", "purge"]
        parsed = build_parser().parse_args(arguments)
        assert (parsed.command, parsed.privacy_action) == ("privacy", "purge")
