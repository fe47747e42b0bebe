"""Shared fixtures. Database tests run on a temp SQLite file and on PostgreSQL.

PostgreSQL: $DESK_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test).
One throw-away database per session, one schema per test; when the server cannot be
reached the PostgreSQL cases are skipped with the reason.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL, Engine, make_url

from desk_tui.store.engine import make_engine, mask_url
from desk_tui.store.migrate import upgrade_database
from tests.head_database import make_sqlite_at_head, upgrade_to_head

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
ENGINES = ["sqlite", "postgresql"]


def _libpq(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep the developer's own desk config and database out of the tests."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("DESK_CONFIG", raising=False)
    monkeypatch.delenv("DESK_DATABASE_URL", raising=False)
    monkeypatch.delenv("DESK_PIN", raising=False)
    monkeypatch.delenv("DESK_OPERATOR", raising=False)


@pytest.fixture(autouse=True)
def _test_server_role_stands_for_the_operator(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test PostgreSQL server is reached as one shared role, which desk rightly does
    not take as proof of who a PIN-less operator is (services/identity.py). Tests of other
    things run as if it were the operator's own role; tests marked `real_identity` (the
    identity tests) see the real rule. SQLite files in tests are the user's own anyway."""
    if request.node.get_closest_marker("real_identity"):
        return
    from desk_tui.services import identity

    real = identity._connection_proves

    def proves(engine: Engine, login: str) -> bool:
        return engine.url.get_backend_name() == "postgresql" or real(engine, login)

    monkeypatch.setattr(identity, "_connection_proves", proves)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[URL]:
    """A fresh database on the test server, dropped at the end of the session."""
    import psycopg

    server = make_url(os.environ.get("DESK_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    try:
        admin = psycopg.connect(_libpq(server), autocommit=True, connect_timeout=3)
    except psycopg.Error as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        pytest.skip(f"PostgreSQL not reachable at {mask_url(server)}: {reason}")
    name = f"desk_test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield server.set(database=name)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def new_postgresql_url(postgres_database: URL) -> Iterator[Callable[[], str]]:
    """Makes URLs whose search_path is an empty schema of their own."""
    import psycopg

    schemas: list[str] = []

    def new_url() -> str:
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(_libpq(postgres_database), autocommit=True) as connection:
            connection.execute(f'CREATE SCHEMA "{schema}"')
        schemas.append(schema)
        url = postgres_database.update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    yield new_url
    with psycopg.connect(_libpq(postgres_database), autocommit=True) as connection:
        for schema in schemas:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def new_sqlite_url(tmp_path: Path) -> Callable[[], str]:
    """Makes URLs of new SQLite files (in a folder that does not exist yet)."""
    names = (f"desk-{index}.sqlite3" for index in itertools.count())
    return lambda: f"sqlite:///{tmp_path / 'data' / next(names)}"


@pytest.fixture(scope="session")
def postgres_at_head(postgres_database: URL) -> Iterator[str]:
    """A database desk created at the head revision, made once per session (or worker),
    never connected to again: PostgreSQL copies it as a template in ~50 ms, where creating
    the schema takes 0.6-0.9 s a test."""
    import psycopg

    name = f"{postgres_database.database}_head"
    with psycopg.connect(_libpq(postgres_database), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(postgres_database.set(database=name))
    upgrade_database(engine)
    engine.dispose()
    yield name
    with psycopg.connect(_libpq(postgres_database), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgresql_url(
    request: pytest.FixtureRequest, new_postgresql_url: Callable[[], str]
) -> Iterator[str]:
    """An empty schema; for a test that asks for `store` (the head revision), a database of
    its own copied from `postgres_at_head` instead, which `store` then finds current."""
    if "store" not in request.fixturenames:
        yield new_postgresql_url()
        return
    import psycopg

    server: URL = request.getfixturevalue("postgres_database")
    template = request.getfixturevalue("postgres_at_head")
    name = f"{server.database}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_libpq(server), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_libpq(server), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(new_sqlite_url: Callable[[], str]) -> str:
    return new_sqlite_url()


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest) -> str:
    """An empty database on each engine in turn."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def new_db_url(db_url: str, request: pytest.FixtureRequest) -> Callable[[], str]:
    """Makes further empty databases on the same engine as `db_url`."""
    backend = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    return request.getfixturevalue(f"new_{backend}_url")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on an empty database."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_at_head(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file at the head revision, made once per test session (or xdist worker)."""
    return make_sqlite_at_head(tmp_path_factory.mktemp("head") / "head.sqlite3")


@pytest.fixture
def store(engine: Engine, sqlite_at_head: Path) -> Engine:
    """An engine on a database at the head revision."""
    upgrade_to_head(engine, sqlite_at_head)
    return engine
