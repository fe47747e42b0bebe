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
    assert preload.first_queue() is None  # once


@MODES
def test_the_console_ticks_on_an_engine_that_agrees_with_the_rows(sqlite_world, fork,
                                                                 monkeypatch):
    """Work-time positions count from 1 January of the year an engine is built in: the rows
    (the child's engine) and the console's engine must count from the same one."""
    register(sqlite_world, now=at("2026-11-30 08:30"))
    settings = settings_for(sqlite_world)

    class In2031(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2031, 6, 2, 12, 0, tzinfo=tz)

    monkeypatch.setattr(first_queue_preload, "datetime", In2031)  # the child has it too
    preload = FirstQueuePreload(settings, "agent", None, clock, fork=fork)
    first = preload.first_queue()
    assert first is not None
    from_2031 = SlaEngine(build_calendars(settings.calendar, first_year=2031), settings.sla)
    expected = read_first_queue(path_of(sqlite_world), "agent", sla=from_2031, clock=clock)
    assert expected is not None and first.rows == expected.rows
    moment = at("2026-12-01 10:00")
    for kind in ClockKind:
        assert (first.sla.calendar(kind).position(moment)
                == from_2031.calendar(kind).position(moment)
                != engine_of_this_year(settings).calendar(kind).position(moment))


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


def test_without_a_process_to_fork_the_thread_reads(sqlite_world, monkeypatch):
    register(sqlite_world)

    def no_fork():
        raise BlockingIOError("Resource temporarily unavailable")

    monkeypatch.setattr(first_queue_preload.os, "fork", no_fork)
    preload = FirstQueuePreload(settings_for(sqlite_world), "agent", None, clock, fork=True)
    first = preload.first_queue()
    assert first is not None and len(first.rows) == 1


def test_a_child_reaped_by_an_ignored_sigchld_still_answers(sqlite_world):
    """A launcher that ignores SIGCHLD passes that on: waitpid then finds no child."""
    import signal

    register(sqlite_world)
    before = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        preload = FirstQueuePreload(settings_for(sqlite_world), "agent", None, clock,
                                    fork=True)
        first = preload.first_queue()
    finally:
        signal.signal(signal.SIGCHLD, before)
    assert first is not None and len(first.rows) == 1


@MODES
def test_a_reader_stuck_on_the_file_is_not_waited_for(sqlite_world, fork, monkeypatch):
    import time

    register(sqlite_world)

    def stuck(*args, **kwargs):
        time.sleep(3)

    monkeypatch.setattr(first_queue_module, "read_first_queue", stuck)
    monkeypatch.setattr(first_queue_preload, "WAIT_SECONDS", 0.3)
    preload = FirstQueuePreload(settings_for(sqlite_world), "agent", None, clock, fork=fork)
    started = time.monotonic()
    assert preload.first_queue() is None
    assert time.monotonic() - started < 2
