"""Who a subcommand that reads or writes desk data acts as, and opening its database.

The login is --operator, else DESK_OPERATOR or `operator` in the config file, else the
operating-system user, as for the console; that operator's roles decide what the command
may do, exactly as in the console.
"""

from __future__ import annotations

import getpass
import logging
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


def acting_actor(engine: Engine, login: str, command: str, err: TextIO) -> Actor | None:
    """The operator with this login; None after saying on `err` that there is none."""
    from desk_tui.services.errors import NotFound
    from desk_tui.services.queries import actor_for
    from desk_tui.store.engine import read_session

    try:
        with read_session(engine) as session:
            return actor_for(session, login)
    except NotFound as error:
        print(f"{command}: {error}; name one with --operator LOGIN or DESK_OPERATOR",
              file=err)
        return None
