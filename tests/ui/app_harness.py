"""The whole console on a small SQLite world with a frozen clock, for Pilot tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from desk_tui.config import Settings
from desk_tui.domain.calendar import build_calendars
from desk_tui.domain.sla import SlaEngine
from desk_tui.services.desk import Desk
from desk_tui.store.engine import make_engine
from desk_tui.ui.app import DeskApp
from tests.head_database import upgrade_to_head
from tests.world import World, at, build_world

APP_SIZE = (140, 42)
FROZEN_NOW = at("2026-11-30 10:00")  # a Monday morning: the desk is open


class FrozenClock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="session")
def ui_sla() -> SlaEngine:
    return SlaEngine(build_calendars(first_year=2026))


@pytest.fixture
def ui_store(sqlite_url: str, sqlite_at_head: Path) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    upgrade_to_head(engine, sqlite_at_head)
    yield engine
    engine.dispose()


@pytest.fixture
def ui_world(ui_store: Engine, ui_sla: SlaEngine) -> World:
    return build_world(ui_store, ui_sla)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(FROZEN_NOW)


def make_test_app(
    world: World, clock: FrozenClock, *, login: str = "agent", language: str = "nl",
    theme: str = "desk-dark", header_clock: bool = True,
) -> DeskApp:
    settings = Settings(language=language, theme=theme)
    return DeskApp(
        settings, lambda: Desk(world.db, world.sla, clock), operator=login,
        header_clock=header_clock,
    )


async def wait_for(pilot, predicate, *, timeout: float = 15.0) -> None:
    """Let workers finish: pause until `predicate()` holds (or fail after `timeout`)."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("the console did not get there in time")
        await pilot.pause(0.02)
