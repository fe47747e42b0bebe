"""A small demo on each engine, with a pinned clock and seed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desk_tui.domain.calendar import build_calendars
from desk_tui.domain.sla import SlaEngine
from tests.demo.support import Demo, build


@pytest.fixture(scope="session")
def sla() -> SlaEngine:
    return SlaEngine(build_calendars())


@pytest.fixture
def demo(db_url: str, sla: SlaEngine) -> Iterator[Demo]:
    """The small demo, built on SQLite and on PostgreSQL in turn."""
    made = build(db_url, sla)
    yield made
    made.engine.dispose()
