"""Find the shipped `db/` folder (migrations, calendar) in a checkout or an installed wheel."""

from __future__ import annotations

from pathlib import Path

MARKER = Path("migrations") / "env.py"


def db_dir() -> Path:
    """The wheel carries `db/` as `desk_tui/_data/db`; an editable checkout has `repo/db`."""
    # The package folder, from this file, as ui/themes.py finds it.
    package = Path(__file__).parent.parent
    for candidate in candidate_dirs(package):
        if (candidate / MARKER).is_file():
            return candidate
    raise FileNotFoundError(
        f"desk's db folder (with {MARKER}) is missing near {package}; reinstall desk"
    )


def candidate_dirs(package: Path) -> tuple[Path, ...]:
    """Where `db/` may be, given the `desk_tui` package folder, installed layout first."""
    return (package / "_data" / "db", package.parent / "db")


def migrations_dir() -> Path:
    return db_dir() / "migrations"
