"""`desk demo`: creates the configured database, prints the logins, and leaves a filled
database alone (`--if-missing`) or refuses it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desk_tui.cli import main
from desk_tui.store.engine import make_engine, read_session
from desk_tui.store.models import Call, Operator

SMALL_ARGS = ["--calls", "120", "--cis", "80", "--people", "40", "--now", "2026-03-04T10:30"]
NAMED_LOGINS = ("agent", "agent2", "specialist", "oncall", "probleem", "change", "admin",
                "cm-med", "im-enk")


def _count(url: str, table: type) -> int:
    engine = make_engine(url)
    try:
        with read_session(engine) as session:
            return session.execute(select(func.count()).select_from(table)).scalar_one()
    finally:
        engine.dispose()


def test_desk_demo_creates_the_database_and_prints_the_operator_logins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new" / "desk.sqlite3"
    monkeypatch.setenv("DESK_DATABASE_URL", f"sqlite:///{path}")
    assert main(["demo", *SMALL_ARGS]) == 0
    captured = capsys.readouterr()
    assert "demo database created in" in captured.out and str(path) in captured.out
    assert "120 calls" in captured.out
    logins = {line.split()[0] for line in captured.out.splitlines() if line.startswith("  ")}
    assert set(NAMED_LOGINS) <= logins
    assert captured.err == ""  # no progress bar when stderr is not a terminal
    assert _count(f"sqlite:///{path}", Call) == 120


def test_if_missing_leaves_a_filled_database_alone_and_a_plain_run_refuses_it(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DESK_DATABASE_URL", db_url)
    assert main(["demo", "--if-missing", *SMALL_ARGS]) == 0  # empty: --if-missing fills it
    assert "demo database created" in capsys.readouterr().out
    operators = _count(db_url, Operator)

    assert main(["demo", "--if-missing", *SMALL_ARGS]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("desk demo: the database already holds data, left as it is")
    assert len(captured.out.splitlines()) == 1 and captured.err == ""

    assert main(["demo", *SMALL_ARGS]) == 2
    captured = capsys.readouterr()
    assert "already holds data" in captured.err and "--if-missing" in captured.err
    assert _count(db_url, Call) == 120 and _count(db_url, Operator) == operators


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--people", "3"], "--people must be at least 30"),
        (["--calls", "-1"], "--calls cannot be negative"),
        (["--now", "yesterday"], "not an ISO 8601 date-time"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(
    arguments: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DESK_DATABASE_URL", f"sqlite:///{tmp_path / 'desk.sqlite3'}")
    assert main(["demo", *arguments]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"desk demo: {message}") and len(err.splitlines()) == 1
    assert not (tmp_path / "desk.sqlite3").exists()


def test_python_m_desk_tui_demo_runs_without_a_terminal(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    env = {**os.environ, "DESK_DATABASE_URL": url, "XDG_CONFIG_HOME": str(tmp_path / "c")}
    env.pop("DESK_CONFIG", None)
    result = subprocess.run(
        [sys.executable, "-m", "desk_tui", "demo", *SMALL_ARGS],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "agent" in result.stdout
