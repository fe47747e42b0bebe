"""`desk db`: upgrade creates or migrates, a newer database exits 2 with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from desk_tui.cli import main
from desk_tui.store.engine import make_engine, write_session
from desk_tui.store.migrate import head_revision, upgrade_database
from desk_tui.store.tables import metadata

TOO_NEW = "this database was written by a newer desk (revision ffffffffffff); upgrade desk"


def _stamp_too_new(url: str) -> None:
    upgrade_database(url)
    engine = make_engine(url)
    try:
        with write_session(engine) as session:
            session.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
    finally:
        engine.dispose()


def test_db_upgrade_creates_a_new_sqlite_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new" / "desk.sqlite3"
    monkeypatch.setenv("DESK_DATABASE_URL", f"sqlite:///{path}")
    assert main(["db", "upgrade"]) == 0
    out = capsys.readouterr().out
    assert f"created the database at revision {head_revision()}" in out
    assert str(path) in out
    engine = make_engine(f"sqlite:///{path}")
    try:
        assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert main(["db", "upgrade"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert main(["db", "status"]) == 0


def test_db_upgrade_works_on_each_engine(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DESK_DATABASE_URL", db_url)
    assert main(["db", "status"]) == 3
    assert "run `desk db upgrade`" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert "created the database" in capsys.readouterr().out


def test_db_upgrade_refuses_a_newer_database_with_exit_2(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stamp_too_new(db_url)
    monkeypatch.setenv("DESK_DATABASE_URL", db_url)
    assert main(["db", "upgrade"]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"desk: {TOO_NEW}")
    assert "Traceback" not in captured.err + captured.out
    assert main(["db", "status"]) == 2


def test_db_upgrade_of_a_newer_database_prints_no_traceback(
    sqlite_url: str, tmp_path: Path
) -> None:
    _stamp_too_new(sqlite_url)
    env = {
        **os.environ,
        "DESK_DATABASE_URL": sqlite_url,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    env.pop("DESK_CONFIG", None)
    result = subprocess.run(
        [sys.executable, "-m", "desk_tui", "db", "upgrade"],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )
    assert result.returncode == 2
    known = f"(this desk knows revisions up to {head_revision()})"
    assert result.stderr.strip().splitlines() == [f"desk: {TOO_NEW} {known}"]
    assert result.stdout == ""


def test_db_path_masks_the_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DESK_DATABASE_URL", "postgresql://desk:s3cret@db.example/desk")
    assert main(["db", "path"]) == 0
    assert capsys.readouterr().out.strip() == "postgresql+psycopg://desk:***@db.example/desk"


def test_db_path_defaults_to_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert main(["db", "path"]) == 0
    expected = tmp_path / "share" / "desk" / "desk.sqlite3"
    assert capsys.readouterr().out.strip() == f"sqlite:///{expected}"


def test_an_unreachable_database_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DESK_DATABASE_URL", "postgresql://desk:s3cret@127.0.0.1:1/desk")
    assert main(["db", "upgrade"]) == 1
    err = capsys.readouterr().err
    shown = "postgresql+psycopg://desk:***@127.0.0.1:1/desk"
    assert err.startswith(f"desk: cannot use the database {shown}: ")
    assert "s3cret" not in err and "Traceback" not in err
