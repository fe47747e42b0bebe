"""What the database subcommands share: known failures become one line and an exit code."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from argparse import Namespace

    from sqlalchemy.engine import URL

    from desk_tui.config import Settings

EXIT_OK = 0
EXIT_FAILED = 1  # could not open, read or write the database
EXIT_REFUSED = 2  # the database does not fit this desk (newer, not ours), a bad URL or option


def guarded(action: Callable[[], int], shown: str, err: TextIO) -> int:
    """Run `action`; known failures become one line on stderr and an exit code."""
    import sqlite3

    from sqlalchemy.exc import SQLAlchemyError

    from desk_tui.store.engine import storage_failure
    from desk_tui.store.migrate import DatabaseStateError

    try:
        return action()
    except DatabaseStateError as error:
        print(f"desk: {error}", file=err)
        return EXIT_REFUSED
    except (SQLAlchemyError, sqlite3.Error, OSError) as error:
        reason = storage_failure(error) or _first_line(getattr(error, "orig", None) or error)
        print(f"desk: cannot use the database {shown}: {reason}", file=err)
        return EXIT_FAILED


def _first_line(error: BaseException) -> str:
    """The driver's message without the SQL and parameters SQLAlchemy appends."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def configured_url(
    settings: Settings, err: TextIO, *, operator: str | None = None
) -> tuple[URL, str] | None:
    """The configured database URL and its password-masked form; None (after saying why
    on `err`) when it is not a URL desk can use. With `operator`, the URL that operator
    connects with, as the console does: their own PostgreSQL role when `[database]
    role_per_operator` is set, the password from the keyring or DESK_DATABASE_PASSWORD."""
    from desk_tui.store.engine import UnsupportedDatabase, database_url, mask_url

    url = settings.resolved_database_url()
    if operator is not None:
        from desk_tui.secrets import operator_database_url

        with contextlib.suppress(Exception):
            url = operator_database_url(
                url, operator, role_per_operator=settings.database_role_per_operator)
    try:
        parsed = database_url(url)
    except UnsupportedDatabase as error:
        print(f"desk: {error}", file=err)
        return None
    except Exception as error:  # sqlalchemy.exc.ArgumentError: not a URL at all
        print(f"desk: cannot read database URL {url!r}: {error}", file=err)
        return None
    return parsed, mask_url(parsed)


def acting_url(settings: Settings, args: Namespace, err: TextIO) -> tuple[URL, str] | None:
    """`configured_url` for a subcommand that acts as an operator (--operator, else
    DESK_OPERATOR, the config file or the OS user): it connects as the console would."""
    from desk_tui.commands.operator import operator_login

    return configured_url(settings, err,
                          operator=operator_login(settings, getattr(args, "operator", None)))
