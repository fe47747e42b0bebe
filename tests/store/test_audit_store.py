"""The audit schema: a new database and a migrated one get the same seeded rights, the
same genesis head and the same append-only guard."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError

from desk_tui.services.access import GRANTS, Action
from desk_tui.store.default_grants import DEFAULT_GRANTS, default_grant_rows
from desk_tui.store.engine import make_engine
from desk_tui.store.migrate import migrate, upgrade_database
from desk_tui.store.models import AuditHead, RolePermission
from desk_tui.store.tables.audit import GENESIS_HASH


def _seed_and_head(engine: Engine) -> tuple[set[tuple[str, str]], tuple]:
    with engine.connect() as connection:
        grants = {(str(role), action) for role, action in connection.execute(
            select(RolePermission.role, RolePermission.action))}
        head = tuple(connection.execute(select(AuditHead.__table__)).one())
    return grants, head


def test_every_seeded_name_is_an_action_and_a_role() -> None:
    actions = {action.value for action in Action}
    assert {row["action"] for row in default_grant_rows()} <= actions
    assert set(DEFAULT_GRANTS) == {role.value for role in GRANTS}


def test_created_and_migrated_databases_agree(
    engine: Engine, new_db_url: Callable[[], str]
) -> None:
    upgrade_database(engine)
    migrated = make_engine(new_db_url())
    try:
        migrate(migrated)
        created_state, migrated_state = _seed_and_head(engine), _seed_and_head(migrated)
        for target in (engine, migrated):
            with pytest.raises(DatabaseError, match="append-only"), target.begin() as c:
                c.execute(text(
                    "INSERT INTO audit_log (seq, at, actor_login, event, table_name, row_key,"
                    " detail, prev_hash, hash) VALUES (1, CURRENT_TIMESTAMP, 'x', 'x', 'x',"
                    " '', '', 'x', 'x')"))
                c.execute(text("UPDATE audit_log SET actor_login = 'y'"))
            with pytest.raises(DatabaseError), target.begin() as c:
                c.execute(text("DELETE FROM audit_head"))
    finally:
        migrated.dispose()
    assert created_state == migrated_state
    grants, head = created_state
    assert grants == {(row["role"], row["action"]) for row in default_grant_rows()}
    assert head == (1, 0, GENESIS_HASH, 0, GENESIS_HASH)
