"""`desk db upgrade | status | path`: create, migrate and inspect the configured database."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from desk_tui.commands.guard import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_REFUSED,
    configured_url,
    guarded,
)
from desk_tui.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Engine

EXIT_NEEDS_UPGRADE = 3  # `desk db status` only


def run(
    settings: Settings, args: argparse.Namespace, out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run one `desk db` action; errors become one line on stderr, never a traceback."""
    out = out or sys.stdout
    err = err or sys.stderr
    configured = configured_url(settings, err)
    if configured is None:
        return EXIT_REFUSED
    parsed, shown = configured
    if args.db_action == "path":
        print(shown, file=out)
        return EXIT_OK
    if args.db_action == "upgrade":
        return guarded(lambda: _upgrade(parsed, shown, out), shown, err)
    return guarded(lambda: _status(parsed, shown, out), shown, err)


def _upgrade(url: URL, shown: str, out: TextIO) -> int:
    from desk_tui.store.migrate import upgrade_database

    report = upgrade_database(url)
    print(f"{report.describe()}: {shown}", file=out)
    return EXIT_OK


def _status(url: URL, shown: str, out: TextIO) -> int:
    from desk_tui.store.engine import make_engine
    from desk_tui.store.migrate import DatabaseNeedsUpgrade, check_database

    engine = make_engine(url)
    try:
        revision = check_database(engine)
        problems = quick_check(engine)
    except DatabaseNeedsUpgrade as error:
        print(f"{error}: {shown}", file=out)
        return EXIT_NEEDS_UPGRADE
    finally:
        engine.dispose()
    if problems:
        more = f"; {len(problems) - 1} more problems" if len(problems) > 1 else ""
        print(f"the database file is damaged (PRAGMA quick_check: {problems[0]}{more});"
              f" desk changes nothing in it: restore it from a backup: {shown}", file=out)
        return EXIT_FAILED
    print(f"the database is up to date (revision {revision}), its pages check out:"
          f" {shown}", file=out)
    return EXIT_OK


def quick_check(engine: Engine) -> list[str]:
    """What SQLite's quick integrity check finds wrong (empty: sound). The schema check
    reads only the revision, so a damaged table would otherwise pass as "up to date".
    PostgreSQL checks its own pages: nothing to do there."""
    if engine.dialect.name != "sqlite":
        return []
    with engine.connect() as connection:
        rows = [str(row[0]) for row in connection.exec_driver_sql("PRAGMA quick_check")]
    if rows == ["ok"]:
        return []
    # One row may hold many lines, under a "*** in database main ***" heading.
    return [line.strip() for row in rows for line in row.splitlines()
            if line.strip() and not line.startswith("***")] or rows


