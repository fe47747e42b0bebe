"""`desk --database FILE|URL` points the console and every subcommand at one database, as
DESK_DATABASE_URL does, and wins over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk_tui.cli import build_parser, main
from desk_tui.commands import console
from desk_tui.config import Settings


@pytest.fixture(autouse=True)
def _no_configured_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DESK_CONFIG", raising=False)
    monkeypatch.setenv("DESK_DATABASE_URL", "sqlite:////elsewhere/other.sqlite3")


def test_a_file_given_with_database_is_the_database_of_a_subcommand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--database", "site.sqlite3", "db", "path"]) == 0
    assert capsys.readouterr().out.strip() == f"sqlite:///{tmp_path / 'site.sqlite3'}"


def test_a_url_given_with_database_is_used_as_is(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--database", "postgresql://desk@db.example/desk", "db", "path"]) == 0
    shown = capsys.readouterr().out.strip()
    assert shown.startswith("postgresql") and shown.endswith("://desk@db.example/desk")


def test_database_creates_and_upgrades_the_file_it_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "new.sqlite3"
    assert main(["--database", str(target), "db", "upgrade"]) == 0
    assert target.exists()
    assert str(target) in capsys.readouterr().out


def test_the_console_opens_the_database_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Settings] = []

    def fake_console(settings: Settings, **_: object) -> int:
        opened.append(settings)
        return 0

    monkeypatch.setattr(console, "run", fake_console)
    assert main(["--database", str(tmp_path / "desk.sqlite3")]) == 0
    assert opened[0].resolved_database_url() == f"sqlite:///{tmp_path / 'desk.sqlite3'}"


def test_an_empty_database_argument_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--database", "", "db", "path"])
    assert stopped.value.code == 2
    assert "--database" in capsys.readouterr().err


def test_help_names_the_database_option() -> None:
    text = build_parser().format_help()
    assert "--database FILE|URL" in text
    assert "DESK_DATABASE_URL" in text
