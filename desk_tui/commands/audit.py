"""`desk role list|grant|revoke` and `desk audit verify|prune|log`.

They run as --operator (else DESK_OPERATOR, the config file or the OS user) and need
role.manage, audit.read or audit.prune (administrators). Exit 0 on success, 1 when the
database fails or `verify` finds a broken link, 2 for a refusal, an unknown operator,
role or action.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from desk_tui.commands.guard import EXIT_FAILED, EXIT_OK, EXIT_REFUSED, acting_url, guarded
from desk_tui.commands.operator import acting_actor, open_current, operator_login, quiet_logs
from desk_tui.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from desk_tui.services.access import Actor

Work = Callable[["Engine", "Actor", TextIO, TextIO], int]


def add_role_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="role_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="what each role may do")
    listing.add_argument("role", nargs="?", help="one role only, e.g. agent")
    for name, verb in (("grant", "let ROLE do ACTION"), ("revoke", "take ACTION from ROLE")):
        action = actions.add_parser(name, help=verb)
        action.add_argument("role", help="agent, specialist, on_call, problem_manager, ...")
        action.add_argument("action", help="e.g. call.close (desk role list shows them)")


def add_audit_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    actions.add_parser("verify", help="walk the hash chain; report the first broken link")
    prune = actions.add_parser(
        "prune", help="remove entries older than [audit] retention_days (default 7 years)"
    )
    prune.add_argument("--retention-days", type=int, metavar="DAYS",
                       help="override [audit] retention_days for this run")
    log = actions.add_parser("log", help="the newest entries")
    log.add_argument("--limit", type=int, default=20, help="how many (default 20)")


def run_role(
    settings: Settings, args: argparse.Namespace, out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    return _run(settings, args, _role_work(args), "desk role", out or sys.stdout,
                err or sys.stderr)


def run_audit(
    settings: Settings, args: argparse.Namespace, out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    return _run(settings, args, _audit_work(settings, args), "desk audit", out or sys.stdout,
                err or sys.stderr)


def _run(
    settings: Settings, args: argparse.Namespace, work: Work, command: str, out: TextIO,
    err: TextIO,
) -> int:
    configured = acting_url(settings, args, err)
    if configured is None:
        return EXIT_REFUSED
    parsed, shown = configured
    login = operator_login(settings, getattr(args, "operator", None))
    quiet_logs()

    def action() -> int:
        from desk_tui.services.errors import InvalidInput, Refused

        engine = open_current(parsed)
        try:
            actor = acting_actor(engine, login, command, err)
            if actor is None:
                return EXIT_REFUSED
            try:
                return work(engine, actor, out, err)
            except (Refused, InvalidInput) as error:
                print(f"{command}: {error}", file=err)
                return EXIT_REFUSED
        finally:
            engine.dispose()

    return guarded(action, shown, err)


def _role_work(args: argparse.Namespace) -> Work:
    def work(engine: Engine, actor: Actor, out: TextIO, err: TextIO) -> int:
        from desk_tui.services import roles
        from desk_tui.store.engine import read_session, write_session

        if args.role_action == "list":
            role = roles.parse_role(args.role) if args.role else None
            with read_session(engine) as session:
                found = roles.permissions(session=session, actor=actor, role=role)
            width = max((len(p.role.value) for p in found), default=4)
            for permission in found:
                print(f"{permission.role.value:<{width}}  {permission.action.value}", file=out)
            return EXIT_OK
        role = roles.parse_role(args.role)
        action = roles.parse_action(args.action)
        change = roles.grant if args.role_action == "grant" else roles.revoke
        with write_session(engine) as session:
            changed = change(session=session, actor=actor, role=role, action=action)
        if args.role_action == "grant":
            said = "granted" if changed else "was already granted"
            print(f"{action.value} {said} to {role.value}", file=out)
        else:
            said = "revoked from" if changed else "was not granted to"
            print(f"{action.value} {said} {role.value}", file=out)
        print("(running consoles apply it within a few seconds)", file=out)
        return EXIT_OK

    return work


def _audit_work(settings: Settings, args: argparse.Namespace) -> Work:
    def work(engine: Engine, actor: Actor, out: TextIO, err: TextIO) -> int:
        from desk_tui.services import audit_trail
        from desk_tui.store.types import utcnow

        if args.audit_action == "verify":
            verdict = audit_trail.verify(engine, actor)
            print(verdict.describe(), file=out if verdict.ok else err)
            return EXIT_OK if verdict.ok else EXIT_FAILED
        if args.audit_action == "prune":
            days = args.retention_days or settings.privacy.audit_retention_days
            if days < 1:
                print("desk audit prune: --retention-days must be at least 1", file=err)
                return EXIT_REFUSED
            report = audit_trail.prune(engine, actor, retention_days=days, now=utcnow())
            if report.removed:
                print(f"removed {report.removed} audit entries older than"
                      f" {report.cutoff.date().isoformat()} ({days} days), through row"
                      f" {report.through_seq}; the chain is anchored there", file=out)
            else:
                print(f"nothing older than {report.cutoff.date().isoformat()} ({days} days)",
                      file=out)
            return EXIT_OK
        for entry in audit_trail.recent(engine, actor, limit=max(1, args.limit)):
            at = entry["at"]
            shown = at.isoformat(timespec="seconds") if hasattr(at, "isoformat") else at
            detail = str(entry["detail"])
            detail = detail if len(detail) <= 100 else detail[:99] + "…"
            print(f"{entry['seq']:>8} {shown} {entry['actor_login']:<12} {entry['event']:<8}"
                  f" {entry['table_name']:<20} {entry['row_key']} {detail}", file=out)
        return EXIT_OK

    return work
