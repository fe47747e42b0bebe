"""`desk crisis set ORG LEVEL` / `clear ORG` / `status` / `contact ORG ROLE PHONE` /
`contact --remove ID` / `contacts [ORG]`: the GRIP
level of a municipality (SPEC 10). From GRIP 3 every console shows the crisis banner
with the 24/7 crisis number and the public-order-and-safety contacts, and the
organisation's crisis calls sort first (services/crisis.py defines them).

Runs as --operator (else DESK_OPERATOR, the config file or the OS user) and needs the
crisis.manage right to set or clear. Exit 2 for a refusal, an unknown operator or
organisation or a bad level; exit 1 when the database fails.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from typing import TYPE_CHECKING, TextIO

from desk_tui.commands.guard import EXIT_OK, EXIT_REFUSED, acting_url, guarded
from desk_tui.commands.operator import acting_actor, open_current, operator_login, quiet_logs
from desk_tui.config import Settings

if TYPE_CHECKING:
    from datetime import tzinfo

    from sqlalchemy.engine import URL

    from desk_tui.services.crisis import ContactRow, OrganisationCrisis

COMMAND = "desk crisis"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="crisis_action", metavar="ACTION", required=True)
    set_level = actions.add_parser("set", help="set the GRIP level (0-4) of an organisation")
    set_level.add_argument("org", metavar="ORG", help="the organisation's code, e.g. ENK")
    set_level.add_argument("level", metavar="LEVEL", help="GRIP level 0, 1, 2, 3 or 4")
    set_level.add_argument("--note", default="", help="why, or who declared it")
    clear = actions.add_parser("clear", help="end the crisis: no GRIP level any more")
    clear.add_argument("org", metavar="ORG", help="the organisation's code")
    actions.add_parser("status", help="the GRIP levels set now, with the crisis contacts")
    contact = actions.add_parser(
        "contact", help="record a 24/7 crisis number or an OOV contact of an organisation,"
        " or remove one (--remove ID)")
    contact.add_argument("org", metavar="ORG", nargs="?", help="the organisation's code")
    contact.add_argument("role", metavar="ROLE", nargs="?",
                         help='e.g. "Adviseur OOV" or "Crisislijn"')
    contact.add_argument("phone", metavar="PHONE", nargs="?", help="the number to ring, 24/7")
    contact.add_argument("--remove", metavar="ID",
                         help="remove the contact with this id (see `desk crisis contacts`)")
    contact.add_argument("--name", default="", help="the person, if any")
    contact.add_argument("--email", default="")
    contact.add_argument("--crisis-line", action="store_true",
                         help="a 24/7 crisis number (else a public-order-and-safety contact)")
    contacts = actions.add_parser("contacts", help="the recorded crisis contacts, with ids")
    contacts.add_argument("org", metavar="ORG", nargs="?", help="only this organisation")


def run(
    settings: Settings, args: argparse.Namespace, out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    level: int | None = None
    if args.crisis_action == "set":
        try:
            level = int(args.level)
        except ValueError:
            level = -1
        if not 0 <= level <= 4:
            print(f"{COMMAND} set: LEVEL must be a GRIP level 0, 1, 2, 3 or 4, not "
                  f"{args.level!r}", file=err)
            return EXIT_REFUSED
    contact_id: uuid.UUID | None = None
    if args.crisis_action == "contact":
        if args.remove is not None:
            if args.org is not None:
                print(f"{COMMAND} contact: --remove ID takes no ORG, ROLE or PHONE", file=err)
                return EXIT_REFUSED
            try:
                contact_id = uuid.UUID(args.remove.strip())
            except ValueError:
                print(f"{COMMAND} contact: {args.remove!r} is not a contact id; "
                      f"`{COMMAND} contacts` lists them", file=err)
                return EXIT_REFUSED
        elif args.phone is None:
            print(f"{COMMAND} contact: give ORG ROLE PHONE to record a contact, "
                  "or --remove ID", file=err)
            return EXIT_REFUSED
    configured = acting_url(settings, args, err)
    if configured is None:
        return EXIT_REFUSED
    parsed, shown = configured
    login = operator_login(settings, getattr(args, "operator", None))
    quiet_logs()
    return guarded(lambda: _run(parsed, settings, login, args, level, contact_id, out, err),
                   shown, err)


def _run(
    url: URL, settings: Settings, login: str, args: argparse.Namespace, level: int | None,
    contact_id: uuid.UUID | None, out: TextIO, err: TextIO,
) -> int:
    from datetime import datetime

    from desk_tui.services import crisis
    from desk_tui.services.errors import ServiceError
    from desk_tui.store.engine import read_session, write_session

    engine = open_current(url)
    zone = settings.calendar.zone
    try:
        actor = acting_actor(engine, login, COMMAND, err)
        if actor is None:
            return EXIT_REFUSED
        try:
            if args.crisis_action == "set":
                assert level is not None
                with write_session(engine) as session:
                    change = crisis.set_level(session=session, actor=actor, code=args.org,
                                              level=level, now=datetime.now(zone),
                                              note=args.note)
                before = "none" if change.before is None else f"GRIP {change.before}"
                print(f"{change.code}: GRIP {change.after} (was {before})", file=out)
            elif args.crisis_action == "contact" and contact_id is not None:
                with write_session(engine) as session:
                    removed = crisis.remove_contact(session=session, actor=actor,
                                                    contact_id=contact_id)
                print(f"{removed.code}: removed {removed.role_title}: {removed.phone}",
                      file=out)
            elif args.crisis_action == "contacts":
                with read_session(engine) as session:
                    rows = crisis.list_contacts(session=session, actor=actor, code=args.org)
                _contacts(rows, out)
            elif args.crisis_action == "contact":
                from desk_tui.store.models import CrisisContactKind

                kind = (CrisisContactKind.CRISIS_LINE if args.crisis_line
                        else CrisisContactKind.OOV)
                with write_session(engine) as session:
                    added = crisis.add_contact(
                        session=session, actor=actor, code=args.org, kind=kind,
                        role_title=args.role, phone=args.phone, name=args.name,
                        email=args.email, now=datetime.now(zone))
                print(f"{args.org.strip().upper()}: {added.role_title}: {added.phone}", file=out)
            elif args.crisis_action == "clear":
                with write_session(engine) as session:
                    change = crisis.clear_level(session=session, actor=actor, code=args.org,
                                                now=datetime.now(zone))
                print(f"{change.code}: GRIP level cleared (was GRIP {change.before})", file=out)
            else:
                with read_session(engine) as session:
                    levels = crisis.current_levels(session=session, actor=actor)
                _status(levels, zone, out)
        except ServiceError as error:
            print(f"{COMMAND} {args.crisis_action}: {error}", file=err)
            return EXIT_REFUSED
    finally:
        engine.dispose()
    return EXIT_OK


def _status(levels: list[OrganisationCrisis], zone: tzinfo, out: TextIO) -> None:
    if not levels:
        print("no GRIP level set", file=out)
        return
    for crisis in levels:
        since = crisis.started_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        print(f"{crisis.code}  GRIP {crisis.level}  since {since}  {crisis.name}", file=out)
        for contact in (*crisis.crisis_lines, *crisis.oov_contacts):
            who = f" ({contact.name})" if contact.name else ""
            print(f"    {contact.role_title}{who}: {contact.phone}", file=out)


def _contacts(rows: list[ContactRow], out: TextIO) -> None:
    """One line a contact, its id first (to remove it by)."""
    if not rows:
        print("no crisis contacts recorded", file=out)
        return
    for row in rows:
        kind = "crisis line" if row.crisis_line else "OOV"
        who = f" ({row.name})" if row.name else ""
        mail = f" {row.email}" if row.email else ""
        print(f"{row.id}  {row.code}  {kind:<11}  {row.role_title}{who}: {row.phone}{mail}",
              file=out)
