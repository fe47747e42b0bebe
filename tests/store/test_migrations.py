"""Migrations: a new database at head, create-all equal to the scripts, newer refused."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Engine

from desk_tui.store import resources
from desk_tui.store.engine import make_engine, read_session, write_session
from desk_tui.store.migrate import (
    DatabaseNeedsUpgrade,
    DatabaseNotDesk,
    DatabaseTooNew,
    alembic_config,
    check_database,
    head_revision,
    migrate,
    migration_connection,
    upgrade_database,
)
from desk_tui.store.models import Organisation, Person
from desk_tui.store.search import is_search_object
from desk_tui.store.tables import metadata

from .factories import add_organisation

UNKNOWN_REVISION = "ffffffffffff"


def schema_of(engine: Engine) -> dict[str, dict[str, object]]:
    """Tables, columns, keys, indexes and checks as the database itself reports them."""
    inspector = inspect(engine)
    schema: dict[str, dict[str, object]] = {}
    for table in sorted(inspector.get_table_names()):
        schema[table] = {
            "columns": [
                (column["name"], str(column["type"]), column["nullable"])
                for column in inspector.get_columns(table)
            ],
            "primary_key": inspector.get_pk_constraint(table),
            "foreign_keys": sorted(
                (
                    key["name"],
                    tuple(key["constrained_columns"]),
                    key["referred_table"],
                    tuple(key["referred_columns"]),
                    (key.get("options") or {}).get("ondelete"),
                )
                for key in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (index["name"], tuple(index["column_names"]), bool(index["unique"]))
                for index in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (unique["name"], tuple(unique["column_names"]))
                for unique in inspector.get_unique_constraints(table)
            ),
            "checks": sorted(
                (check["name"], re.sub(r"\s+", " ", check["sqltext"]).strip())
                for check in inspector.get_check_constraints(table)
            ),
        }
    return schema


def _not_search(obj: object, name: str | None, *_: object) -> bool:
    return not is_search_object(name)


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _stamp_unknown(engine: Engine) -> None:
    with write_session(engine) as session:
        session.execute(
            text("UPDATE alembic_version SET version_num = :r"), {"r": UNKNOWN_REVISION}
        )


def test_upgrading_an_empty_database_creates_every_table_at_head(engine: Engine) -> None:
    report = upgrade_database(engine)
    assert report.action == "created"
    assert report.to_revision == head_revision()
    tables = {name for name in inspect(engine).get_table_names() if not is_search_object(name)}
    assert tables == set(metadata.tables) | {"alembic_version"}
    assert _revision(engine) == head_revision()
    assert check_database(engine) == head_revision()
    assert upgrade_database(engine).action == "current"


def test_running_every_migration_gives_the_create_all_schema(
    engine: Engine, new_db_url: Callable[[], str]
) -> None:
    upgrade_database(engine)  # create_all + stamp
    migrated = make_engine(new_db_url())
    try:
        migrate(migrated)  # every script from base
        assert _revision(migrated) == head_revision()
        assert schema_of(migrated) == schema_of(engine)
        for target in (engine, migrated):
            with target.connect() as connection:
                context = MigrationContext.configure(
                    connection, opts={"compare_type": True, "include_object": _not_search}
                )
                assert compare_metadata(context, metadata) == []
    finally:
        migrated.dispose()


def test_a_sqlite_file_made_after_a_postgresql_database_keeps_every_key(
    postgresql_url: str, sqlite_url: str
) -> None:
    upgrade_database(postgresql_url)  # adds organisation's manager keys with ALTER
    upgrade_database(sqlite_url)
    engine = make_engine(sqlite_url)
    try:
        keys = {key["name"] for key in inspect(engine).get_foreign_keys("organisation")}
    finally:
        engine.dispose()
    assert keys == {
        "fk_organisation_contract_manager_id_person",
        "fk_organisation_information_manager_id_person",
    }


def test_migrations_downgrade_to_base_and_back(store: Engine) -> None:
    with migration_connection(store) as connection:
        command.downgrade(alembic_config(connection), "base")
    assert set(inspect(store).get_table_names()) <= {"alembic_version"}
    with pytest.raises(DatabaseNeedsUpgrade, match="no desk schema"):
        check_database(store)
    migrate(store)
    assert check_database(store) == head_revision()


def test_a_database_from_a_newer_desk_is_refused(store: Engine) -> None:
    _stamp_unknown(store)
    message = (
        f"this database was written by a newer desk (revision {UNKNOWN_REVISION}); upgrade desk"
    )
    with pytest.raises(DatabaseTooNew, match=re.escape(message)):
        upgrade_database(store)
    with pytest.raises(DatabaseTooNew, match=re.escape(message)):
        check_database(store)
    assert _revision(store) == UNKNOWN_REVISION  # left alone


def test_an_empty_database_needs_an_upgrade(engine: Engine) -> None:
    with pytest.raises(DatabaseNeedsUpgrade, match="desk db upgrade"):
        check_database(engine)


def test_unstamped_desk_tables_are_not_touched(engine: Engine) -> None:
    Organisation.__table__.create(engine)
    with pytest.raises(DatabaseNotDesk, match="organisation"):
        upgrade_database(engine)


NEXT_REVISION = '''"""A later revision for the upgrade test: copies a referenced table on SQLite."""

import sqlalchemy as sa
from alembic import op

revision = "0a0a0a0a0a0a"
down_revision = "{head}"
branch_labels = None
depends_on = None


def _recreate() -> str:
    # On SQLite copy the table even for an added column: the referenced-table case.
    return "always" if op.get_bind().dialect.name == "sqlite" else "auto"


def upgrade() -> None:
    with op.batch_alter_table("organisation", recreate=_recreate()) as batch:
        batch.add_column(sa.Column("crisis_phone", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organisation", recreate=_recreate()) as batch:
        batch.drop_column("crisis_phone")
'''


def test_an_older_database_is_upgraded_and_keeps_its_data(
    store: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_head = head_revision()
    with write_session(store) as session:
        organisation = add_organisation(session)
        session.add(Person(organisation_id=organisation.id, name="Fatima de Vries"))
    scripts = tmp_path / "migrations"
    shutil.copytree(
        resources.migrations_dir(), scripts, ignore=shutil.ignore_patterns("__pycache__")
    )
    (scripts / "versions" / "0a0a0a0a0a0a_later.py").write_text(NEXT_REVISION.format(head=old_head))
    monkeypatch.setattr(resources, "migrations_dir", lambda: scripts)
    # A build with this migration would carry its revision as the fast-start head.
    monkeypatch.setattr("desk_tui.store.migrate.HEAD_REVISION", "0a0a0a0a0a0a")

    with pytest.raises(DatabaseNeedsUpgrade, match=f"at revision {old_head}"):
        check_database(store)
    report = upgrade_database(store)

    assert (report.action, report.from_revision, report.applied) == (
        "upgraded", old_head, ("0a0a0a0a0a0a",)
    )
    columns = {column["name"] for column in inspect(store).get_columns("organisation")}
    assert "crisis_phone" in columns
    with read_session(store) as session:
        people = session.execute(select(Person.name, Person.organisation_id)).all()
    assert people == [("Fatima de Vries", organisation.id)]
    if store.dialect.name == "sqlite":
        with store.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def test_the_fast_start_check_knows_the_head_revision():
    from desk_tui.store.migrate import HEAD_REVISION, head_revision

    assert head_revision() == HEAD_REVISION, (
        "a new migration: update HEAD_REVISION in desk_tui/store/revision.py"
    )
