"""`desk db upgrade | status | path`: create, migrate and inspect the configured database."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from desk_tui.commands.guard import EXIT_OK, EXIT_REFUSED, configured_url, guarded
from desk_tui.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

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
    except DatabaseNeedsUpgrade as error:
        print(f"{error}: {shown}", file=out)
        return EXIT_NEEDS_UPGRADE
    finally:
        engine.dispose()
    print(f"the database is up to date (revision {revision}): {shown}", file=out)
    return EXIT_OK


