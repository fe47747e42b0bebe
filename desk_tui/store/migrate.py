"""Schema revisions: create, upgrade and check a desk database with Alembic.

A new database gets `create_all` and is stamped at head (a test proves this equals running
every migration); an older one is migrated; one written by a newer desk is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import URL, Connection, Engine

from desk_tui.store.engine import immediate, is_sqlite, make_engine
from desk_tui.store.revision import HEAD_REVISION

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

# Any constant: serialises concurrent upgraders on one PostgreSQL database.
_PG_LOCK_KEY = 0x6465736B  # "desk"


class DatabaseStateError(RuntimeError):
    """The database's schema does not fit this build of desk."""


class DatabaseTooNew(DatabaseStateError):
    """Written by a newer desk: refuse rather than misread or damage it."""

    def __init__(self, revision: str, head: str) -> None:
        self.revision = revision
        self.head = head
        super().__init__(
            f"this database was written by a newer desk (revision {revision}); upgrade desk"
            f" (this desk knows revisions up to {head})"
        )


class DatabaseNeedsUpgrade(DatabaseStateError):
    """Older than this desk (or empty): `desk db upgrade` brings it to head."""

    def __init__(self, revision: str | None, head: str) -> None:
        self.revision = revision
        self.head = head
        if revision is None:
            message = "the database has no desk schema yet; run `desk db upgrade`"
        else:
            message = (
                f"the database is at revision {revision}, this desk needs {head};"
                " run `desk db upgrade`"
            )
        super().__init__(message)


class DatabaseNotDesk(DatabaseStateError):
    """Tables with desk's names but no revision stamp: not ours to change."""


@dataclass(frozen=True)
class UpgradeReport:
    """What `upgrade_database` did."""

    action: Literal["created", "upgraded", "current"]
    from_revision: str | None
    to_revision: str
    applied: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.action == "created":
            return f"created the database at revision {self.to_revision}"
        if self.action == "upgraded":
            steps = ", ".join(self.applied)
            return (
                f"upgraded the database from revision {self.from_revision or 'base'}"
                f" to {self.to_revision} (applied {steps})"
            )
        return f"the database is up to date (revision {self.to_revision})"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config built in code (no alembic.ini needed); `connection`, when given,
    is the one env.py migrates."""
    from alembic.config import Config

    from desk_tui.store.resources import migrations_dir

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision this build knows."""
    return _single_head(script_directory())


def current_revision(connection: Connection) -> str | None:
    """The revision the database is stamped with; None for an unstamped database."""
    from alembic.runtime.migration import MigrationContext

    heads = MigrationContext.configure(connection).get_current_heads()
    if len(heads) > 1:
        raise DatabaseStateError(f"the database has several revisions: {', '.join(heads)}")
    return heads[0] if heads else None


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """One transaction for a whole schema change, committed at the end: BEGIN IMMEDIATE
    with foreign keys off on SQLite (batch migrations copy tables; the references are
    checked before commit), an advisory lock on PostgreSQL."""
    sqlite = is_sqlite(engine)
    with immediate(engine).connect() as connection:
        raw = connection.connection.driver_connection
        if sqlite:
            raw.execute("PRAGMA foreign_keys = OFF")  # only effective outside a transaction
        try:
            with connection.begin():
                if not sqlite:
                    lock = text("SELECT pg_advisory_xact_lock(:key)")
                    connection.execute(lock, {"key": _PG_LOCK_KEY})
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise DatabaseStateError(
                            f"the migration left {len(broken)} broken reference(s); rolled back"
                        )
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys = ON")


def upgrade_database(target: Engine | str | URL) -> UpgradeReport:
    """Create a new database at head, migrate an older one, refuse a newer one."""
    engine, owned = _engine(target)
    try:
        script = script_directory()
        head = _single_head(script)
        with migration_connection(engine) as connection:
            current = current_revision(connection)
            if current is None:
                _refuse_foreign_tables(connection)
                _create_at_head(connection, script)
                return UpgradeReport("created", None, head)
            _refuse_unknown(script, current, head)
            if current == head:
                return UpgradeReport("current", current, head)
            applied = _pending(script, current, head)
            _run_upgrade(connection, head)
            return UpgradeReport("upgraded", current, head, applied)
    finally:
        if owned:
            engine.dispose()


def migrate(target: Engine | str | URL, revision: str = "head") -> None:
    """Run the migration scripts up to `revision`, never create_all (tests, development)."""
    engine, owned = _engine(target)
    try:
        with migration_connection(engine) as connection:
            _run_upgrade(connection, revision)
    finally:
        if owned:
            engine.dispose()


# HEAD_REVISION (store/revision.py): the newest revision of this build, so that the common
# start (a current database) needs one SELECT and no Alembic import;
# tests/store/test_migrations.py keeps it equal to the head of db/migrations.


def check_database(engine: Engine) -> str:
    """At app start: the head revision if the database is current, else raise
    DatabaseTooNew or DatabaseNeedsUpgrade."""
    try:
        with engine.connect() as connection:
            stamped = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except Exception:  # no table, or not a database: the thorough check below says which
        stamped = []
    if [row[0] for row in stamped] == [HEAD_REVISION]:
        return HEAD_REVISION
    script = script_directory()
    head = _single_head(script)
    with engine.connect() as connection:
        current = current_revision(connection)
        if current is None:
            _refuse_foreign_tables(connection)
    if current is not None:
        _refuse_unknown(script, current, head)
    if current != head:
        raise DatabaseNeedsUpgrade(current, head)
    return head


def _engine(target: Engine | str | URL) -> tuple[Engine, bool]:
    if isinstance(target, Engine):
        return target, False
    return make_engine(target), True


def _single_head(script: ScriptDirectory) -> str:
    heads = script.get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"desk's migrations must have one head, found {heads}")
    return heads[0]


def _refuse_unknown(script: ScriptDirectory, revision: str, head: str) -> None:
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError

    try:
        known = script.get_revision(revision) is not None
    except (RevisionError, CommandError):
        known = False
    if not known:
        raise DatabaseTooNew(revision, head)


def _refuse_foreign_tables(connection: Connection) -> None:
    """An unstamped database is desk's to create only when it is empty: tables of another
    program (or desk's without a stamp) mean someone pointed desk at the wrong database."""
    from desk_tui.store.tables import metadata

    tables = set(inspect(connection).get_table_names())
    present = tables & set(metadata.tables)
    if present:
        raise DatabaseNotDesk(
            "the database has desk tables but no revision stamp"
            f" ({', '.join(sorted(present))}); refusing to change it"
        )
    # The CMDB search index (store/search.py) lives outside the metadata.
    foreign = sorted(name for name in tables - {"alembic_version"}
                     if not name.startswith("ci_search"))
    if foreign:
        shown = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
        raise DatabaseNotDesk(
            f"this database belongs to another program (its tables: {shown}); desk changes"
            " nothing in it: point desk at its own database"
        )


def _create_at_head(connection: Connection, script: ScriptDirectory) -> None:
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import insert

    from desk_tui.store.audit import install_audit_guard
    from desk_tui.store.change_feed import install_change_notices
    from desk_tui.store.default_grants import default_grant_rows
    from desk_tui.store.search import install_ci_search
    from desk_tui.store.tables.audit import RolePermission

    _pristine_metadata().create_all(connection)
    install_ci_search(connection)
    connection.execute(insert(RolePermission.__table__), default_grant_rows())
    install_audit_guard(connection)
    install_change_notices(connection)  # as the migration does: NOTIFY on PostgreSQL
    MigrationContext.configure(connection).stamp(script, "head")


def _pristine_metadata() -> MetaData:
    """A fresh copy of the tables. Creating them on PostgreSQL adds the organisation <->
    person keys with ALTER, and SQLAlchemy then marks those constraints never to be written
    inline again, so a SQLite file created later in the same process would lack them."""
    from desk_tui.store.tables import metadata

    copy = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.tables.values():
        table.to_metadata(copy)
    return copy


def _pending(script: ScriptDirectory, current: str, head: str) -> tuple[str, ...]:
    steps = script.iterate_revisions(head, current)
    return tuple(step.revision for step in reversed(list(steps)))


def _run_upgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), revision)
