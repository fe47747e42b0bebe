"""The preload reads the console's first queue while Textual is imported: in a forked
process on Linux, in a thread elsewhere. Both hand over what read_first_queue reads, timed on
an engine whose positions agree with it; anything that fails means no early queue."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from desk_tui.config import Settings
from desk_tui.domain.calendar import build_calendars
from desk_tui.domain.sla import ClockKind, SlaEngine
from desk_tui.services import first_queue as first_queue_module
from desk_tui.services import first_queue_preload, identity
from desk_tui.services.first_queue import read_first_queue
from desk_tui.services.first_queue_preload import FirstQueuePreload
from desk_tui.store.engine import write_session
from desk_tui.store.models import Operator
from tests.services.test_calls import register
from tests.services.test_first_queue import path_of
from tests.world import MONDAY_9, World, at

MODES = pytest.mark.parametrize("fork", [True, False], ids=["forked", "thread"])


def settings_for(world: World) -> Settings:
    return Settings(database_url=str(world.db.url))


def engine_of_this_year(settings: Settings) -> SlaEngine:
    year = datetime.now(settings.calendar.zone).year
    return SlaEngine(build_calendars(settings.calendar, first_year=year), settings.sla)


def clock() -> datetime:
    return MONDAY_9


@MODES
def test_the_preload_hands_over_what_read_first_queue_reads(sqlite_world, fork):
    register(sqlite_world, subject="Balieprinter", now=at("2026-11-30 08:30"))
    register(sqlite_world, subject="Telefooncentrale", now=at("2026-11-30 08:45"))
    settings = settings_for(sqlite_world)
    preload = FirstQueuePreload(settings, "agent", None, clock, fork=fork)
    first = preload.first_queue()
    assert first is not None and preload.ready()
    expected = read_first_queue(path_of(sqlite_world), "agent",
                                sla=engine_of_this_year(settings), clock=clock)
    assert expected is not None
    assert first.rows == expected.rows  # the same calls, in order, at the same positions
    assert [row.summary for row in first.rows] == ["Balieprinter", "Telefooncentrale"]
    assert first.actor == expected.actor and first.query == expected.query
    assert first.sla is preload.sla() and first.clock is clock
    moment = at("2026-12-01 10:00")
    for kind in ClockKind:  # the console ticks on this engine: its positions agree
        assert (first.sla.calendar(kind).position(moment)
                == expected.sla.calendar(kind).position(moment))
    assert preload.first_queue() is None  # once


@MODES
def test_no_early_queue_without_the_operators_pin(sqlite_world, fork):
    register(sqlite_world)
    with write_session(sqlite_world.db) as session:
        agent = session.execute(select(Operator).where(Operator.login == "agent")).scalar_one()
        agent.pin_hash = identity.hash_pin("3141")
    settings = settings_for(sqlite_world)
    for pin in (None, "0000"):
        preload = FirstQueuePreload(settings, "agent", pin, clock, fork=fork)
        assert preload.first_queue() is None
        assert preload.sla() is not None  # the desk still gets its engine
    preload = FirstQueuePreload(settings, "agent", "3141", clock, fork=fork)
    first = preload.first_queue()
    assert first is not None and len(first.rows) == 1


@MODES
def test_a_reader_that_fails_means_no_early_queue(sqlite_world, fork, monkeypatch):
    """In the forked child the failure ends the child; the console does not wait on it."""
    register(sqlite_world)

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(first_queue_module, "read_first_queue", broken)
    preload = FirstQueuePreload(settings_for(sqlite_world), "agent", None, clock, fork=fork)
    assert preload.first_queue() is None
    assert preload.sla() is not None


@MODES
def test_postgresql_has_no_early_queue(fork):
    settings = Settings(database_url="postgresql://127.0.0.1:9/none")
    preload = FirstQueuePreload(settings, "agent", None, clock, fork=fork)
    assert preload.first_queue() is None
    assert preload.sla() is not None


def test_the_console_forks_only_while_it_is_the_only_thread(monkeypatch):
    import threading

    monkeypatch.setattr(first_queue_preload.sys, "platform", "linux")
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert first_queue_preload.can_fork()
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not first_queue_preload.can_fork()
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(first_queue_preload.sys, "platform", "darwin")
    assert not first_queue_preload.can_fork()
