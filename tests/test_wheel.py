"""A non-editable install finds its migrations, themes and catalogue and runs `desk demo`."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout, unpacked into a folder of its own."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "-w", str(work), str(ROOT)],
        check=True, capture_output=True,
    )
    [wheel] = work.glob("desk_tui-*.whl")
    target = work / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def run_installed(target: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    code = (
        "import sys, desk_tui, desk_tui.cli as cli\n"
        f"assert desk_tui.__file__.startswith({str(target)!r}), desk_tui.__file__\n"
        "raise SystemExit(cli.main(sys.argv[1:]))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=target.parent, capture_output=True,
        text=True, env={**env, "PYTHONPATH": str(target)}, check=False, timeout=300,
    )


def test_the_wheel_carries_migrations_themes_and_the_dutch_catalogue(installed):
    package = installed / "desk_tui"
    assert list((package / "_data" / "db" / "migrations" / "versions").glob("*.py"))
    assert (package / "_data" / "themes" / "desk.tcss").is_file()
    assert (package / "ui" / "locale" / "nl" / "LC_MESSAGES" / "desk.mo").is_file()


def test_a_non_editable_install_runs_desk_demo(installed, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESK_")}
    env["DESK_DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    done = run_installed(
        installed, "demo", "--calls", "200", "--cis", "100", "--people", "40",
        "--now", "2026-11-30T10:00", env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "agent" in done.stdout
    status = run_installed(installed, "db", "status", env=env)
    assert status.returncode == 0, status.stderr[-2000:]
