"""The `desk` command. Subcommands import their modules only when they run."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desk", description="Keyboard-driven servicedesk console with exact SLA time."
    )
    parser.add_argument("--config", type=Path, help="TOML settings file (else $DESK_CONFIG)")
    parser.add_argument(
        "--database", metavar="FILE|URL",
        help="SQLite file or database URL for the console and every subcommand"
        " (else $DESK_DATABASE_URL, else [database] url in the config file)",
    )
    parser.add_argument("--lang", choices=("nl", "en"), help="interface language")
    parser.add_argument("--operator", metavar="LOGIN",
                        help="operator to work as (else $DESK_OPERATOR or the config file)")
    parser.add_argument("--theme", help="desk-dark, desk-light or desk-high-contrast")
    parser.add_argument("--on-call", action="store_true",
                        help="open the queue in on-call mode (evening on-call, key O)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    sla = commands.add_parser(
        "sla",
        help="due times of a call or change",
        description="Priority, reaction and resolution due times from the SLA engine.",
    )
    sla.add_argument("--registered", help="registration time, ISO 8601 (no offset: Amsterdam)")
    sla.add_argument("--type", default="storing", help="storing, serviceverzoek, ...")
    sla.add_argument("--impact", help="laag, midden or hoog")
    sla.add_argument("--urgency", help="laag, midden or hoog")
    sla.add_argument("--change", help="standard change kind, e.g. wachtwoord, in-dienst")
    sla.add_argument(
        "--pause", action="append", metavar="START/END",
        help="a waiting period (repeatable; END may be empty while still waiting)",
    )
    sla.add_argument("--now", help="also print the countdowns at this instant")
    sla.add_argument(
        "--json", action="store_true", help="read JSON objects from stdin, one per line"
    )

    db = commands.add_parser(
        "db",
        help="create, upgrade or inspect the database",
        description="The database is --database, else DESK_DATABASE_URL, else [database]"
        " url in the config file, else a SQLite file in the user's data folder.",
    )
    db_actions = db.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    db_actions.add_parser("upgrade", help="create the database, or apply new migrations")
    db_actions.add_parser("status", help="show the database's revision (exit 3: needs upgrade)")
    db_actions.add_parser("path", help="print the database URL (password masked)")

    from desk_tui.commands import demo as demo_command

    demo = commands.add_parser(
        "demo",
        help="fill an empty database with demo data",
        description="Create or upgrade the configured database (as `desk db upgrade`) and"
        " fill it with synthetic organisations, people, CMDB and six months of calls.",
    )
    demo_command.add_arguments(demo)

    from desk_tui.commands import cmdb as cmdb_command

    cmdb = commands.add_parser(
        "cmdb",
        help="import configuration items",
        description="Work on the CMDB of the configured database, as --operator.",
    )
    cmdb_command.add_arguments(cmdb)

    from desk_tui.commands import report as report_command

    report = commands.add_parser(
        "report",
        help="reports: invoice basis, availability, SLA norms, changes, work queues",
        description="Reports from the configured database, as --operator.",
    )
    report_command.add_arguments(report)

    from desk_tui.commands import mail as mail_command

    mail = commands.add_parser(
        "mail", help="send the outbox, or see what waits",
        description="The outbox goes through the SMTP server of [mail] in the config.",
    )
    mail_command.add_mail_arguments(mail)
    from desk_tui.commands import crisis as crisis_command

    crisis = commands.add_parser(
        "crisis", help="GRIP levels of municipalities (crisis mode)",
        description="Set, clear or show the GRIP level of an organisation, as --operator.",
    )
    crisis_command.add_arguments(crisis)
    secret = commands.add_parser("secret", help="keep a password in the system keyring")
    mail_command.add_secret_arguments(secret)

    from desk_tui.commands import audit as audit_command

    role = commands.add_parser(
        "role", help="what each role may do: list, grant, revoke",
        description="The roles' rights live in the database; nothing is allowed unless"
        " granted. Needs role.manage (administrator).",
    )
    audit_command.add_role_arguments(role)
    audit = commands.add_parser(
        "audit", help="the audit trail: verify its hash chain, prune, read",
        description="Every write, every view of a person's data and every refusal, in an"
        " append-only, hash-chained log.",
    )
    audit_command.add_audit_arguments(audit)

    from desk_tui.commands import privacy as privacy_command

    privacy = commands.add_parser(
        "privacy", help="anonymise ended participants, export one person's data",
        description="SPEC 11: personal data of a participant whose contract ended is made"
        " inaccessible within 3 months; a person's data can be exported on request.",
    )
    privacy_command.add_arguments(privacy)
    from desk_tui.commands import offline as offline_command

    offline = commands.add_parser(
        "offline", help="election sites: prepare a laptop, export, import, conflicts",
        description="Election sites that work without network (SPEC 10), as --operator.",
    )
    offline_command.add_arguments(offline)

    from desk_tui.commands import oncall as oncall_command

    oncall = commands.add_parser(
        "oncall", help="evening on-call: its queue and the handover to the morning",
        description="The evening on-call service (Mon, Wed, Thu 17:00-20:00), as --operator.",
    )
    oncall_command.add_arguments(oncall)

    from desk_tui.commands import operator as operator_command

    operator = commands.add_parser(
        "operator", help="operators' own PINs: set-pin",
        description="Operators prove who they are with a PIN kept as a salted hash.",
    )
    operator_command.add_arguments(operator)
    return parser


def database_url_from_argument(value: str) -> str:
    """`--database` takes a URL as is; anything else is a SQLite file, made absolute so
    the URL means the same file whatever folder a subcommand later works in."""
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from desk_tui.config import ConfigError, load_settings

    try:
        settings = load_settings(args.config)
    except ConfigError as error:
        print(f"desk: {error}", file=sys.stderr)
        return 2
    from dataclasses import replace

    if args.database is not None:
        if not args.database.strip():
            parser.error("--database: give a SQLite file or a database URL")
        settings = replace(settings, database_url=database_url_from_argument(args.database))
    if args.lang:
        settings = replace(settings, language=args.lang)

    if args.command == "sla":
        from desk_tui.commands import sla

        if not args.json and not args.registered:
            parser.error("sla: --registered is required (or use --json)")
        return sla.run(settings, args)
    if args.command == "db":
        from desk_tui.commands import db

        return db.run(settings, args)
    if args.command == "demo":
        from desk_tui.commands import demo

        return demo.run(settings, args)
    if args.command == "cmdb":
        from desk_tui.commands import cmdb

        return cmdb.run(settings, args)
    if args.command == "report":
        from desk_tui.commands import report

        return report.run(settings, args)
    if args.command == "mail":
        from desk_tui.commands import mail

        return mail.run_mail(settings, args)
    if args.command == "crisis":
        from desk_tui.commands import crisis

        return crisis.run(settings, args)
    if args.command == "secret":
        from desk_tui.commands import mail

        return mail.run_secret(args)
    if args.command == "role":
        from desk_tui.commands import audit as audit_command

        return audit_command.run_role(settings, args)
    if args.command == "audit":
        from desk_tui.commands import audit as audit_command

        return audit_command.run_audit(settings, args)
    if args.command == "privacy":
        from desk_tui.commands import privacy as privacy_command

        return privacy_command.run(settings, args)
    if args.command == "oncall":
        from desk_tui.commands import oncall

        return oncall.run(settings, args)
    if args.command == "offline":
        from desk_tui.commands import offline

        return offline.run(settings, args)
    if args.command == "operator":
        from desk_tui.commands import operator as operator_command

        return operator_command.run(settings, args)
    if args.command is None:
        from desk_tui.commands import console

        return console.run(settings, operator=args.operator, theme=args.theme,
                           on_call=args.on_call)
    parser.print_help()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
