"""Service tests run in a small world, on SQLite and on PostgreSQL."""

from __future__ import annotations

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
