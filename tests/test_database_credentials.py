"""PostgreSQL: each operator may connect as their own role, the password from the system
keyring (or DESK_DATABASE_PASSWORD), never from a file; SQLite URLs pass unchanged."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from keyring.backends.fail import Keyring as NoKeyring
from sqlalchemy.engine import make_url

from desk_tui.config import ConfigError, settings_from_mapping
from desk_tui.secrets import database_secret_name, operator_database_url, store_secret
from tests.test_secrets import MemoryKeyring, memory_keyring  # noqa: F401 (fixture)

URL = "postgresql://desk@db.example:5433/desk"


def test_the_password_comes_from_the_keyring(memory_keyring):  # noqa: F811
    store_secret("postgresql:desk@db.example:5433", "s3cret")
    assert make_url(operator_database_url(URL, "sdevries", environ={})).password == "s3cret"


def test_each_operator_connects_as_their_own_role(memory_keyring):  # noqa: F811
    store_secret(database_secret_name("sdevries", "db.example", 5433), "hers")
    store_secret(database_secret_name("rsmit", "db.example", 5433), "his")
    url = "postgresql://shared:common@db.example:5433/desk"
    hers = make_url(operator_database_url(url, "sdevries", role_per_operator=True, environ={}))
    his = make_url(operator_database_url(url, "rsmit", role_per_operator=True, environ={}))
    assert (hers.username, hers.password) == ("sdevries", "hers")
    assert (his.username, his.password) == ("rsmit", "his")


def test_without_a_keyring_the_environment_variable_is_used(monkeypatch):
    import keyring

    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        url = operator_database_url(URL, "x", environ={"DESK_DATABASE_PASSWORD": "from-env"})
        assert make_url(url).password == "from-env"
        # Neither: no password at all (libpq may use .pgpass), and nothing invented.
        assert make_url(operator_database_url(URL, "x", environ={})).password is None
    finally:
        keyring.set_keyring(previous)


def test_a_password_in_the_url_and_sqlite_urls_are_left_alone(memory_keyring):  # noqa: F811
    store_secret("postgresql:desk@db.example:5433", "other")
    assert make_url(operator_database_url("postgresql://desk:given@db.example:5433/desk", "x",
                                          environ={})).password == "given"
    assert operator_database_url("sqlite:////tmp/desk.sqlite3", "x",
                                 role_per_operator=True) == "sqlite:////tmp/desk.sqlite3"


def test_role_per_operator_is_a_boolean_setting():
    settings = settings_from_mapping({"database": {"role_per_operator": True}})
    assert settings.database_role_per_operator is True
    with pytest.raises(ConfigError, match="role_per_operator must be true or false"):
        settings_from_mapping({"database": {"role_per_operator": "ja"}})


def test_the_console_connects_as_the_operators_role(postgresql_url, memory_keyring):  # noqa: F811
    from desk_tui.store.engine import make_engine

    role = f"desk_op_{uuid.uuid4().hex[:8]}"
    admin_url = make_url(postgresql_url)
    libpq = admin_url.set(query={}).render_as_string(hide_password=False)
    with psycopg.connect(libpq, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw-{role}'")
    try:
        store_secret(database_secret_name(role, admin_url.host, admin_url.port), f"pw-{role}")
        url = operator_database_url(postgresql_url, role, role_per_operator=True, environ={})
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                assert connection.exec_driver_sql("SELECT current_user").scalar() == role
        finally:
            engine.dispose()
    finally:
        with psycopg.connect(libpq, autocommit=True) as admin:
            admin.execute(f"DROP ROLE IF EXISTS {role}")


@pytest.mark.parametrize("command", [["crisis", "status"], ["oncall", "queue"]])
def test_subcommands_acting_as_an_operator_connect_as_their_role(
    postgresql_url, memory_keyring, tmp_path, monkeypatch, capsys, command,  # noqa: F811
):
    """`desk --operator X crisis ...` connects as X's own role, as the console does: a role
    granted only SELECT can read, and its write is refused by PostgreSQL itself (as the
    shared role the write would have gone through)."""
    from desk_tui.cli import main
    from desk_tui.domain.calendar import build_calendars
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.store.engine import make_engine
    from desk_tui.store.migrate import upgrade_database
    from tests.world import build_world

    role = f"desk_op_{uuid.uuid4().hex[:8]}"
    admin_url = make_url(postgresql_url)
    schema = admin_url.query["options"].split("=", 1)[1]
    libpq = admin_url.set(query={}).render_as_string(hide_password=False)
    store = make_engine(postgresql_url)
    upgrade_database(store)
    build_world(store, SlaEngine(build_calendars(first_year=2026)))
    store.dispose()
    with psycopg.connect(libpq, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw-{role}'")
        admin.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO {role}')
        admin.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO {role}')
        admin.execute(f"UPDATE \"{schema}\".operator SET login = '{role}' WHERE login = 'agent'")
    try:
        store_secret(database_secret_name(role, admin_url.host, admin_url.port), f"pw-{role}")
        config = tmp_path / "desk.toml"
        config.write_text("[database]\nrole_per_operator = true\n", encoding="utf-8")
        monkeypatch.setenv("DESK_DATABASE_URL", postgresql_url)
        monkeypatch.delenv("DESK_DATABASE_PASSWORD", raising=False)
        base = ["--config", str(config), "--operator", role]
        assert main([*base, *command]) == 0, capsys.readouterr().err
        capsys.readouterr()
        assert main([*base, "crisis", "set", "ENK", "3"]) == 1
        assert "permission denied" in capsys.readouterr().err
    finally:
        with psycopg.connect(libpq, autocommit=True) as admin:
            admin.execute(f'REVOKE ALL ON ALL TABLES IN SCHEMA "{schema}" FROM {role}')
            admin.execute(f'REVOKE ALL ON SCHEMA "{schema}" FROM {role}')
            admin.execute(f"DROP ROLE IF EXISTS {role}")
