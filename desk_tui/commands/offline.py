"""`desk offline prepare|export|import|conflicts|resolve|standby`: election sites.

A site's laptop gets its own SQLite copy (`prepare`, on the central database, by an
administrator); the console runs on it without network (point DESK_DATABASE_URL at the
file); `export` there writes a signed bundle; `import` centrally merges it. Exit 2 for a
refusal (bad input, an altered bundle or an unknown site), 1 when a file or the database
fails.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from desk_tui.commands.guard import EXIT_FAILED, EXIT_OK, EXIT_REFUSED, acting_url, guarded
from desk_tui.commands.operator import acting_actor, open_current, operator_login, quiet_logs
from desk_tui.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from desk_tui.services.access import Actor

_PREPARE = """\
Register an election site and write its self-contained SQLite copy for a laptop: the
organisation's departments, escalation ladder and active staff (no e-mail addresses), its
CIs (or those at --location) and what they run on or depend on, the categories, the
operators named with --staff (and the one preparing), and the organisation's open calls.
The site signs its bundles with a key made now; centrally only its public key is kept.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="offline_action", metavar="ACTION", required=True)
    prepare = actions.add_parser("prepare", help="make a site's copy for a laptop",
                                 description=_PREPARE,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    prepare.add_argument("--site", required=True, metavar="CODE",
                         help="the site's code in its call numbers, e.g. V01")
    prepare.add_argument("--org", required=True, metavar="CODE",
                         help="the municipality the site works for")
    prepare.add_argument("--output", required=True, type=Path, metavar="FILE",
                         help="the new SQLite file")
    prepare.add_argument("--name", default="", help="e.g. 'Stembureau Stadhuis'")
    prepare.add_argument("--staff", action="append", default=[], metavar="LOGIN",
                         help="an operator who works at the site (repeatable)")
    prepare.add_argument("--location", action="append", default=[], metavar="TEXT",
                         help="only CIs whose location contains TEXT (repeatable)")
    export = actions.add_parser("export", help="at the site: write the signed bundle")
    export.add_argument("--output", required=True, type=Path, metavar="BUNDLE")
    imported = actions.add_parser("import", help="centrally: merge a site's bundle")
    imported.add_argument("bundle", type=Path)
    listed = actions.add_parser("conflicts", help="calls changed both centrally and at a site")
    listed.add_argument("--all", action="store_true", help="also the decided ones")
    resolve = actions.add_parser("resolve", help="decide a conflict")
    resolve.add_argument("conflict", help="its id as listed (8 hex digits) or the call's reference")
    resolve.add_argument("--keep", required=True, choices=("site", "central"))
    resolve.add_argument("--note", default="", help="why (kept in the call's history)")
    standby = actions.add_parser("standby", help="the standby log of election day")
    standby_actions = standby.add_subparsers(dest="standby_action", metavar="ACTION",
                                             required=True)
    add = standby_actions.add_parser("add", help="write one line")
    add.add_argument("--who", required=True, help="who called or is on standby")
    add.add_argument("--what", required=True, help="what happened or was done")
    add.add_argument("--location", default="", help="e.g. the polling station")
    add.add_argument("--call", metavar="REFERENCE", help="the call it led to")
    add.add_argument("--at", help="when, ISO 8601 (no offset: Amsterdam); default now")
    show = standby_actions.add_parser("list", help="the log, oldest first")
    show.add_argument("--site", metavar="CODE", help="one site's lines only")


def run(settings: Settings, args: argparse.Namespace, out: TextIO | None = None,
        err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    command = f"desk offline {args.offline_action}"
    configured = acting_url(settings, args, err)
    if configured is None:
        return EXIT_REFUSED
    parsed, shown = configured
    login = operator_login(settings, getattr(args, "operator", None))
    quiet_logs()
    action = _ACTIONS[args.offline_action]

    def body() -> int:
        from desk_tui.services.errors import ServiceError

        engine = open_current(parsed)
        try:
            actor = acting_actor(engine, login, command, err)
            if actor is None:
                return EXIT_REFUSED
            try:
                return action(engine, actor, settings, args, out)
            except ServiceError as error:
                print(f"{command}: {error}", file=err)
                return EXIT_REFUSED
            except OSError as error:
                print(f"{command}: {error.strerror or error}: {error.filename or ''}",
                      file=err)
                return EXIT_FAILED
        finally:
            engine.dispose()

    return guarded(body, shown, err)


def _now() -> datetime:
    return datetime.now(UTC)


def _prepare(engine: Engine, actor: Actor, _settings: Settings, args: argparse.Namespace,
             out: TextIO) -> int:
    from desk_tui.services.offline import prepare_site

    report = prepare_site(
        central=engine, actor=actor, code=args.site, organisation_code=args.org,
        output=args.output, now=_now(), name=args.name, operator_logins=args.staff,
        locations=args.location,
    )
    print(report.describe(), file=out)
    print(f"at the site: DESK_DATABASE_URL=sqlite:///{args.output.resolve()} desk", file=out)
    return EXIT_OK


def _export(engine: Engine, actor: Actor, _settings: Settings, args: argparse.Namespace,
            out: TextIO) -> int:
    from desk_tui.services.offline_sync import export_site

    print(export_site(db=engine, actor=actor, output=args.output, now=_now()).describe(),
          file=out)
    return EXIT_OK


def _import(engine: Engine, actor: Actor, settings: Settings, args: argparse.Namespace,
            out: TextIO) -> int:
    from desk_tui.domain.calendar import build_calendars
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.services.offline_sync import import_bundle

    sla = SlaEngine(build_calendars(settings.calendar), settings.sla)
    report = import_bundle(db=engine, actor=actor, path=args.bundle, now=_now(), sla=sla)
    print(report.describe(), file=out)
    return EXIT_OK


def _conflicts(engine: Engine, actor: Actor, settings: Settings, args: argparse.Namespace,
               out: TextIO) -> int:
    from desk_tui.services.offline_sync import conflicts, field_word
    from desk_tui.store.engine import read_session

    with read_session(engine) as session:
        views = conflicts(session=session, actor=actor, include_resolved=args.all)
    if not views:
        print("no conflicts to decide" if not args.all else "no conflicts", file=out)
        return EXIT_OK
    zone = settings.calendar.zone
    for view in views:
        when = view.detected_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        what = "" if view.kind == "call" else f"{view.what} "
        print(f"{view.short_id}  {what}{view.reference}  site {view.site}  {when}"
              f"  {view.status}  {view.subject!r}", file=out)
        names = view.labels  # an operator's or CI's name instead of its id
        for name, (central, site) in view.site_changes.items():
            base = view.base.get(name)
            print(f"    {field_word(name)}: base {_shown(names, base)!r}"
                  f"  central {_shown(names, central)!r}"
                  f"  site {_shown(names, site)!r}", file=out)
        if view.site_history:
            print(f"    {view.site_history} history line(s) from the site", file=out)
        if view.breach_steps:
            print(f"    {view.breach_steps} breach protocol step(s) done at the site,"
                  " waiting with this conflict", file=out)
        if view.refused:
            print(f"    held back: {view.refused}", file=out)
    print("decide with: desk offline resolve ID --keep site|central [--note TEXT]", file=out)
    return EXIT_OK


def _shown(names: dict[str, str], value: Any) -> Any:
    """An id by its name; a list of ids (linked CIs) by theirs."""
    if isinstance(value, list):
        return [names.get(str(item), item) for item in value]
    return names.get(str(value), value)


def _resolve(engine: Engine, actor: Actor, settings: Settings, args: argparse.Namespace,
             out: TextIO) -> int:
    from desk_tui.domain.calendar import build_calendars
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.services.offline_sync import resolve_conflict
    from desk_tui.store.engine import write_session

    sla = SlaEngine(build_calendars(settings.calendar), settings.sla)
    with write_session(engine) as session:  # a P1 taken over: the managers are told
        view = resolve_conflict(session=session, actor=actor, conflict=args.conflict,
                                keep=args.keep, now=_now(), note=args.note, sla=sla)
    print(f"{view.reference}: kept the {args.keep} version (conflict {view.short_id})",
          file=out)
    return EXIT_OK


def _standby(engine: Engine, actor: Actor, settings: Settings, args: argparse.Namespace,
             out: TextIO) -> int:
    from desk_tui.services.offline import log_standby, standby_log
    from desk_tui.store.engine import read_session, write_session

    zone = settings.calendar.zone
    if args.standby_action == "add":
        from desk_tui.services.errors import InvalidInput

        at = None
        if args.at:
            try:
                at = datetime.fromisoformat(args.at)
            except ValueError as error:
                raise InvalidInput("at", f"--at {args.at!r} is not a time like"
                                   " 2026-03-18T21:30") from error
            at = at.replace(tzinfo=zone) if at.tzinfo is None else at
        with write_session(engine) as session:
            line = log_standby(session=session, actor=actor, now=_now(), who=args.who,
                               what=args.what, location=args.location,
                               call_reference=args.call, at=at)
        print(f"logged at {line.at.astimezone(zone):%Y-%m-%d %H:%M} ({line.site})", file=out)
        return EXIT_OK
    with read_session(engine) as session:
        lines = standby_log(session=session, actor=actor, site=args.site)
    for line in lines:
        print("  ".join(part for part in (
            f"{line.at.astimezone(zone):%Y-%m-%d %H:%M}", line.site, line.who,
            line.location, line.what, line.call_reference or "",
            f"({line.operator})" if line.operator else "",
        ) if part), file=out)
    if not lines:
        print("the standby log is empty", file=out)
    return EXIT_OK


_ACTIONS: dict[str, Callable[..., Any]] = {
    "prepare": _prepare, "export": _export, "import": _import, "conflicts": _conflicts,
    "resolve": _resolve, "standby": _standby,
}
