"""Alembic environment for desk.

desk runs migrations in code (desk_tui.store.migrate) and hands over its connection; the
`alembic -c db/alembic.ini ...` command line (development: autogenerate) opens the
configured database itself.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy.engine import Connection

from desk_tui.store.search import is_search_object
from desk_tui.store.tables import metadata
from desk_tui.store.types import StrEnumType, UtcDateTime


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write our column types as the plain SQLAlchemy types they store, so a migration
    does not import desk's Python types."""
    from sqlmodel.sql.sqltypes import AutoString

    if type_ != "type":
        return False
    if isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, StrEnumType | AutoString):
        length = obj.impl.length
        return f"sa.String(length={length})" if length else "sa.String()"
    return False


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Leave the search index (tables, triggers and indexes outside the metadata) out of
    autogenerate: desk_tui.store.search owns it."""
    return not is_search_object(name)


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    if context.config.config_file_name:
        from logging.config import fileConfig

        fileConfig(context.config.config_file_name)
    from desk_tui.config import load_settings
    from desk_tui.store.engine import make_engine
    from desk_tui.store.migrate import migration_connection

    engine = make_engine(load_settings().resolved_database_url())
    try:
        with migration_connection(engine) as own_connection:
            run_migrations(own_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("desk migrations run online only (they need the database's dialect)")
run_online()
