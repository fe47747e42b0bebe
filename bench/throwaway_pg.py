"""A throw-away PostgreSQL database for the benchmarks, shared by bench/store.py and
bench/cmdb.py (run from the repository root; this folder is on their import path)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import URL, make_url

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


@contextmanager
def postgres_database(prefix: str) -> Iterator[URL | str]:
    """A database named `prefix_<random>` on the test server (dropped afterwards), or the
    reason why there is none, as a string."""
    import psycopg

    from desk_tui.store.engine import mask_url

    server = make_url(os.environ.get("DESK_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    libpq = server.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        admin = psycopg.connect(libpq, autocommit=True, connect_timeout=3)
    except psycopg.Error as error:
        lines = str(error).strip().splitlines()
        yield f"not reachable at {mask_url(server)}: {lines[0] if lines else error!r}"
        return
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield server.set(database=name)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
