"""`desk mail send | status` and `desk secret set NAME`: the outbox and its password."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TextIO

from desk_tui.commands.guard import EXIT_FAILED, EXIT_OK, EXIT_REFUSED, configured_url, guarded
from desk_tui.config import MailSettings, Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

def add_mail_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="mail_action", metavar="ACTION", required=True)
    actions.add_parser("send", help="send the mail that is due now, once")
    actions.add_parser("status", help="how much mail waits, and what could not be delivered")


def add_secret_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="secret_action", metavar="ACTION", required=True)
    store = actions.add_parser(
        "set", help="keep a password in the system keyring",
        description="NAME is what desk asks for, e.g. smtp:<user>@<host> for the mail"
        " server ([mail] in the config), postgresql:<role>@<host>[:<port>] for a database"
        " role. The password is read without echo, or from standard input with --stdin.",
    )
    store.add_argument("name")
    store.add_argument("--stdin", action="store_true", help="read the password from stdin")


def run_mail(
    settings: Settings, args: argparse.Namespace, out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    configured = configured_url(settings, err)
    if configured is None:
        return EXIT_REFUSED
    parsed, shown = configured
    if args.mail_action == "status":
        return guarded(lambda: _status(parsed, out), shown, err)
    if not settings.mail.enabled:
        print("desk: no mail server configured ([mail] host in the config); mail waits in"
              " the outbox", file=err)
        return EXIT_REFUSED
    return guarded(lambda: _send(parsed, settings.mail, out, err), shown, err)


def _send(url: URL, mail: MailSettings, out: TextIO, err: TextIO) -> int:
    from desk_tui.secrets import SecretUnavailable
    from desk_tui.services.mail_sender import send_outbox, smtp_password
    from desk_tui.store.engine import make_engine
    from desk_tui.store.migrate import check_database

    try:
        password = smtp_password(mail)
    except SecretUnavailable as error:
        print(f"desk: cannot log in to {mail.host}: {error}", file=err)
        return EXIT_FAILED
    engine = make_engine(url)
    try:
        check_database(engine)
        report = send_outbox(engine, mail, lambda: datetime.now(UTC), password=password)
    finally:
        engine.dispose()
    print(f"mail: {report.describe()}", file=out)
    return EXIT_FAILED if report.problem else EXIT_OK


def _status(url: URL, out: TextIO) -> int:
    from sqlalchemy import select

    from desk_tui.services.mail_sender import pending_count
    from desk_tui.store.engine import make_engine, read_session
    from desk_tui.store.migrate import check_database
    from desk_tui.store.models import OutboxMessage

    engine = make_engine(url)
    try:
        check_database(engine)
        waiting = pending_count(engine, datetime.now(UTC))
        with read_session(engine) as session:
            undeliverable = session.execute(
                select(OutboxMessage.recipient, OutboxMessage.subject, OutboxMessage.last_error)
                .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at.is_(None))
                .order_by(OutboxMessage.created_at)
            ).all()
    finally:
        engine.dispose()
    print(f"{waiting} message(s) waiting, {len(undeliverable)} undeliverable", file=out)
    for recipient, subject, error in undeliverable:
        print(f"  {recipient or '(no address)'}: {subject!r}: {error}", file=out)
    return EXIT_OK


def run_secret(args: argparse.Namespace, out: TextIO | None = None,
               err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    from desk_tui.secrets import SecretUnavailable, store_secret

    if args.stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        import getpass

        password = getpass.getpass(f"password for {args.name}: ")
    if not password:
        print("desk: an empty password was not stored", file=err)
        return EXIT_REFUSED
    try:
        store_secret(args.name, password)
    except SecretUnavailable as error:
        print(f"desk: {error}", file=err)
        return EXIT_FAILED
    print(f"stored the password for {args.name} in the system keyring", file=out)
    return EXIT_OK
