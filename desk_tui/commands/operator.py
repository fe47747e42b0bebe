"""Who a subcommand that reads or writes desk data acts as, and opening its database;
`desk operator set-pin`.

The login is --operator, else DESK_OPERATOR or `operator` in the config file, else the
operating-system user, as for the console; the operator proves it with their PIN
(DESK_PIN for scripts, else asked without echo on a terminal: services/identity.py), and
their roles decide what the command may do, exactly as in the console.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TextIO

from desk_tui.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Engine

    from desk_tui.services.access import Actor


def quiet_logs() -> None:
    """Keep desk's log records (a refusal is logged as a warning) off stderr: the command
    prints its own one-line reason, and Python's last-resort handler would add a second."""
    logging.getLogger("desk").addHandler(logging.NullHandler())


def operator_login(settings: Settings, operator: str | None) -> str:
    return operator or settings.operator or getpass.getuser()


def open_current(url: URL) -> Engine:
    """An engine on a database at this desk's revision; DatabaseStateError (which
    `guarded` reports) when it needs an upgrade or is newer."""
    from desk_tui.store.engine import make_engine
    from desk_tui.store.migrate import check_database

    engine = make_engine(url)
    try:
        check_database(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


PIN_ENV = "DESK_PIN"


def ask_secret(prompt: str) -> str | None:
    """Read a secret without echo from the terminal; None when there is no terminal (a
    script must set DESK_PIN rather than hang on a prompt nobody sees)."""
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(prompt)


def acting_actor(engine: Engine, login: str, command: str, err: TextIO) -> Actor | None:
    """The operator with this login once identified; None after saying on `err` why not
    (unknown, no PIN given, wrong PIN, locked: every refusal is in the audit trail)."""
    from desk_tui.services.errors import NotFound
    from desk_tui.services.identity import IdentityRefused, PinRequired, sign_in

    pin = os.environ.get(PIN_ENV) or None
    try:
        try:
            return sign_in(engine, login, pin, now=datetime.now(UTC))
        except PinRequired:
            typed = ask_secret(f"PIN for {login}: ")
            if typed is None:
                print(f"{command}: operator {login} needs their PIN: type it at a terminal,"
                      f" or set {PIN_ENV} for a script", file=err)
                return None
            return sign_in(engine, login, typed, now=datetime.now(UTC))
    except NotFound as error:
        print(f"{command}: {error}; name one with --operator LOGIN or DESK_OPERATOR",
              file=err)
        return None
    except IdentityRefused as error:
        print(f"{command}: refused: {error}", file=err)
        return None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="operator_action", metavar="ACTION", required=True)
    set_pin = actions.add_parser(
        "set-pin", help="set an operator's PIN (your own, or anyone's as administrator)",
        description="Reads the new PIN twice without echo. Your own with your old PIN (if"
        " you had one); another operator's needs role.manage (administrator), which also"
        " lifts a lockout.",
    )
    set_pin.add_argument("login", help="the operator whose PIN is set")


def run(
    settings: Settings, args: argparse.Namespace, out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """`desk operator set-pin LOGIN`: 0 set, 1 database failure, 2 refused."""
    from desk_tui.commands.guard import EXIT_OK, EXIT_REFUSED, configured_url, guarded

    out, err = out or sys.stdout, err or sys.stderr
    command = "desk operator set-pin"
    configured = configured_url(settings, err)
    if configured is None:
        return EXIT_REFUSED
    parsed, shown = configured
    login = operator_login(settings, getattr(args, "operator", None))
    quiet_logs()

    def action() -> int:
        from desk_tui.services import identity
        from desk_tui.services.errors import InvalidInput, NotFound, Refused

        engine = open_current(parsed)
        try:
            actor = acting_actor(engine, login, command, err)
            if actor is None:
                return EXIT_REFUSED
            first = ask_secret(f"new PIN for {args.login}: ")
            if first is None:
                print(f"{command}: the new PIN is typed at a terminal", file=err)
                return EXIT_REFUSED
            try:
                identity.check_new_pin(first)
            except InvalidInput as error:
                print(f"{command}: {error}; nothing changed", file=err)
                return EXIT_REFUSED
            again = ask_secret(f"new PIN for {args.login} again: ")
            if again != first:
                print(f"{command}: the two PINs differ; nothing changed", file=err)
                return EXIT_REFUSED
            try:
                identity.set_pin(engine, actor, args.login, first)
            except (Refused, InvalidInput, NotFound) as error:
                print(f"{command}: {error}; nothing changed", file=err)
                return EXIT_REFUSED
            print(f"PIN of {args.login} set", file=out)
            return EXIT_OK
        finally:
            engine.dispose()

    return guarded(action, shown, err)
