"""`desk privacy purge`, `desk privacy status` and `desk privacy export PERSON`.

`purge` anonymises the personal data of every participant whose contract ended
[privacy] grace_months (default 3, SPEC 11) or more ago, prints what it did per
organisation and records the run; run it daily (deploy/ has a systemd timer and a cron
line). `status` shows the last runs and warns (exit 3) when the last is more than a day
old, or organisations wait. `export` writes everything desk holds about one person as
JSON. All need their right (administrator) and run as --operator. Exit 0 done, 1 the
database or output failed, 2 refused or bad input, 3 the purge is overdue (status).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from desk_tui.commands.guard import EXIT_FAILED, EXIT_OK, EXIT_REFUSED, acting_url, guarded
from desk_tui.commands.operator import acting_actor, open_current, operator_login, quiet_logs
from desk_tui.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Engine

    from desk_tui.services.access import Actor


EXIT_OVERDUE = 3  # `desk privacy status`: the daily purge did not run (for monitoring)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="privacy_action", metavar="ACTION", required=True)
    purge = actions.add_parser(
        "purge", help="anonymise participants whose contract ended (run daily)")
    purge.add_argument("--dry-run", action="store_true", help="report, change nothing")
    purge.add_argument("--today", metavar="YYYY-MM-DD", help="the day to count from")
    actions.add_parser(
        "status", help="the last purge runs; exit 3 when the last is over a day old")
    export = actions.add_parser("export", help="everything about one person, as JSON")
    export.add_argument("person", help="the person's id, login, e-mail address or phone")
    export.add_argument("--output", type=Path, metavar="FILE.json",
                        help="write to this new file (mode 0600) instead of stdout")
    export.add_argument("--force", action="store_true",
                        help="replace FILE.json if it exists")


def run(
    settings: Settings, args: argparse.Namespace, out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    today = None
    if getattr(args, "today", None):
        try:
            today = date.fromisoformat(args.today)
        except ValueError:
            print(f"desk privacy purge: --today {args.today!r} is not a date (YYYY-MM-DD)",
                  file=err)
            return EXIT_REFUSED
    configured = acting_url(settings, args, err)
    if configured is None:
        return EXIT_REFUSED
    parsed, shown = configured
    login = operator_login(settings, getattr(args, "operator", None))
    quiet_logs()
    return guarded(lambda: _run(parsed, settings, login, args, today, out, err), shown, err)


def _run(
    url: URL, settings: Settings, login: str, args: argparse.Namespace, today: date | None,
    out: TextIO, err: TextIO,
) -> int:
    from desk_tui.services.errors import InvalidInput, NotFound, Refused

    command = f"desk privacy {args.privacy_action}"
    engine = open_current(url)
    try:
        actor = acting_actor(engine, login, command, err)
        if actor is None:
            return EXIT_REFUSED
        try:
            if args.privacy_action == "purge":
                return _purge(engine, settings, actor, args, today, out)
            if args.privacy_action == "status":
                return _status(engine, settings, actor, out, err)
            return _export(engine, actor, args, out, err)
        except (Refused, InvalidInput, NotFound) as error:
            print(f"{command}: {error}", file=err)
            return EXIT_REFUSED
    finally:
        engine.dispose()


def _purge(
    engine: Engine, settings: Settings, actor: Actor, args: argparse.Namespace,
    today: date | None, out: TextIO,
) -> int:
    from desk_tui.services import privacy
    from desk_tui.store.engine import write_session
    from desk_tui.store.types import utcnow

    now = utcnow()
    zone = settings.calendar.zone
    day = today or now.astimezone(zone).date()
    with write_session(engine) as session:
        reports = privacy.purge(session=session, actor=actor, today=day, now=now,
                                grace_months=settings.privacy.grace_months,
                                dry_run=args.dry_run)
        if args.dry_run:
            session.rollback()
    verb = "would anonymise" if args.dry_run else "anonymised"
    if not reports:
        print(f"nothing to anonymise: no contract ended {settings.privacy.grace_months}"
              f" months or more before {day.isoformat()}", file=out)
    for report in reports:
        print(f"{verb} {report.describe()}", file=out)
    if not args.dry_run:
        print(f"recorded this run ({_local(now, settings)}); `desk privacy status` shows it",
              file=out)
    return EXIT_OK


def _status(
    engine: Engine, settings: Settings, actor: Actor, out: TextIO, err: TextIO
) -> int:
    from desk_tui.services import privacy
    from desk_tui.store.engine import read_session
    from desk_tui.store.types import utcnow

    now = utcnow()
    with read_session(engine) as session:
        status = privacy.purge_status(
            session=session, actor=actor, now=now,
            today=now.astimezone(settings.calendar.zone).date(),
            grace_months=settings.privacy.grace_months)
    if not status.runs:
        print("no purge run recorded", file=out)
    for run in status.runs:
        print(f"{_local(run.ran_at, settings)}  {run.describe()}", file=out)
    warning = status.warning()
    if warning is None:
        print("the daily purge keeps up: last run within a day, no organisation waits",
              file=out)
        return EXIT_OK
    print(f"warning: {warning}", file=err)
    return EXIT_OVERDUE


def _local(instant: datetime, settings: Settings) -> str:
    return instant.astimezone(settings.calendar.zone).strftime("%Y-%m-%d %H:%M %Z")


def _export(
    engine: Engine, actor: Actor, args: argparse.Namespace, out: TextIO, err: TextIO
) -> int:
    from desk_tui.services import audit_trail, privacy
    from desk_tui.store.engine import read_session

    if args.output is not None and not args.force and args.output.exists():
        print(f"desk privacy export: {args.output} exists; choose a new file or give --force"
              " to replace it", file=err)
        return EXIT_REFUSED
    with read_session(engine) as session:
        person = privacy.find_person(session=session, actor=actor, key=args.person)
        export = privacy.export_person(session=session, actor=actor, person_id=person.id)
    audit_trail.viewed_person(engine, actor, person.id, "exported on request")
    document = json.dumps(export.as_json_ready(), ensure_ascii=False, indent=2)
    if args.output is None:
        print(document, file=out)
        return EXIT_OK
    try:
        _write_private(args.output, (document + "\n").encode("utf-8"), replace=args.force)
    except FileExistsError:
        print(f"desk privacy export: {args.output} exists; choose a new file or give --force"
              " to replace it", file=err)
        return EXIT_REFUSED
    except OSError as error:
        print(f"desk privacy export: cannot write {args.output}: {error.strerror or error}",
              file=err)
        return EXIT_FAILED
    print(f"exported {len(export.calls_as_caller)} calls, {len(export.call_history)} history"
          f" entries of person {person.id} -> {args.output}", file=out)
    return EXIT_OK


def _write_private(path: Path, data: bytes, *, replace: bool) -> None:
    """Write personal data readable by its owner only (0600, like offline bundles),
    whatever the umask. A new file is created exclusively; `replace` writes a new 0600
    file beside it and renames it over the old one, so an old file's looser mode does
    not carry over. A failed write leaves no partial file."""
    target = path.with_name(f".{path.name}.{os.getpid()}.tmp") if replace else path
    descriptor = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(target, path)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
