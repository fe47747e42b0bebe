"""Service tests run in a small world, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from desk_tui.domain.calendar import build_calendars
from desk_tui.domain.sla import SlaEngine
from tests.world import MONDAY_9, World, at, build_world

__all__ = ["MONDAY_9", "World", "at"]


@pytest.fixture(scope="session")
def sla() -> SlaEngine:
    return SlaEngine(build_calendars(first_year=2026))


@pytest.fixture
def world(store: Engine, sla: SlaEngine) -> World:
    return build_world(store, sla)


@pytest.fixture
def sqlite_store(sqlite_url: str) -> Iterator[Engine]:
    """A migrated database in a SQLite file (what the console's first queue reads)."""
    from desk_tui.store.engine import make_engine
    from desk_tui.store.migrate import upgrade_database

    engine = make_engine(sqlite_url)
    upgrade_database(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_world(sqlite_store: Engine, sla: SlaEngine) -> World:
    return build_world(sqlite_store, sla)
