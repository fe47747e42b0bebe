"""The db folder is found in a checkout and in an installed wheel; imports stay cheap."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from desk_tui.store import resources

REPO = Path(__file__).resolve().parents[2]


def test_the_checkout_db_folder_is_found() -> None:
    assert resources.db_dir() == REPO / "db"
    assert (resources.migrations_dir() / "env.py").is_file()
    assert list((resources.migrations_dir() / "versions").glob("*.py"))


def test_the_installed_layout_comes_first() -> None:
    package = Path("/site-packages/desk_tui")
    assert resources.candidate_dirs(package) == (
        package / "_data" / "db",
        Path("/site-packages/db"),
    )


def test_importing_the_store_builds_nothing() -> None:
    code = (
        "import sys, desk_tui.store, desk_tui.store.resources;"
        "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'alembic') if m in sys.modules];"
        "print(heavy)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
