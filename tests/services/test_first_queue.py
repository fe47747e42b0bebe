"""The first queue, read with the stdlib sqlite3 driver, shows what the desk's queue shows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from desk_tui.domain.classification import CallType, Level
from desk_tui.services import calls
from desk_tui.services.first_queue import read_first_queue, sqlite_file
from desk_tui.services.queries import QueueFilter, open_queue
from tests.services.test_calls import register
from tests.world import MONDAY_9, World, at

H, M, L = Level.HOOG, Level.MIDDEN, Level.LAAG


def path_of(world: World) -> Path:
    path = sqlite_file(str(world.db.url))
    assert path is not None
    return path


def first(world: World, login: str, now: datetime = MONDAY_9):
    return read_first_queue(path_of(world), login, sla=world.sla, clock=lambda: now)


def desk_queue(world: World, actor, now: datetime = MONDAY_9):
    return world.read(open_queue, actor=actor, sla=world.sla, now=now, query=QueueFilter())


@pytest.fixture
def busy_world(sqlite_world: World) -> World:
    """Calls in every state, a resumed pause, and one of the other organisation."""
    world = sqlite_world
    register(world, subject="Office start traag", impact=L, urgency=L,
             now=at("2026-11-27 16:50"))
    register(world, subject="Telefooncentrale plat", impact=H, urgency=H,
             now=at("2026-11-30 08:30"))
    mine = register(world, subject="Scanner werkt niet", impact=M, urgency=M)
    world.write(calls.take, actor=world.agent, call_id=mine.id, now=at("2026-11-30 09:05"))
    waiting = register(world, subject="Wachtwoord vergeten", call_type=CallType.SERVICEVERZOEK,
                       impact=None, urgency=None)
    world.write(calls.take, actor=world.colleague, call_id=waiting.id, now=MONDAY_9)
    world.write(calls.pause, actor=world.colleague, call_id=waiting.id, now=MONDAY_9,
                reason="Gebruiker belt terug")
    resumed = register(world, subject="Printer offline", impact=M, urgency=L)
    world.write(calls.take, actor=world.agent, call_id=resumed.id, now=MONDAY_9)
    world.write(calls.pause, actor=world.agent, call_id=resumed.id, now=MONDAY_9,
                reason="Onderdeel besteld")
    world.write(calls.resume, actor=world.agent, call_id=resumed.id,
                now=at("2026-11-30 11:00"))
    done = register(world, subject="Muis kapot", impact=L, urgency=M)
    world.write(calls.resolve, actor=world.agent, call_id=done.id, now=MONDAY_9,
                solution="Nieuwe muis")
    register(world, subject="Raadsinformatiesysteem traag", caller_id=world.stranger.id,
             organisation_id=world.other_organisation.id, impact=M, urgency=M)
    return world


@pytest.mark.parametrize("who", ["agent", "contract_manager"])
def test_the_first_queue_is_the_desks_queue(busy_world, who):
    actor = getattr(busy_world, who)
    now = at("2026-11-30 13:00")
    found = first(busy_world, actor.login, now)
    assert found is not None
    assert found.actor == actor
    assert found.query == QueueFilter()
    assert found.rows == desk_queue(busy_world, actor, now)
    assert len(found.rows) == (6 if who == "agent" else 1)


def test_an_unknown_operator_or_one_without_rights_gets_no_first_queue(sqlite_world):
    assert first(sqlite_world, "onbekend") is None
    assert first(sqlite_world, sqlite_world.nobody.login) is None


def test_a_database_at_another_revision_gets_no_first_queue(sqlite_world, monkeypatch):
    monkeypatch.setattr("desk_tui.services.first_queue.HEAD_REVISION", "0a0a0a0a0a0a")
    assert first(sqlite_world, "agent") is None


def test_a_missing_file_is_not_created(tmp_path, sla):
    missing = tmp_path / "nowhere.sqlite3"
    assert read_first_queue(missing, "agent", sla=sla, clock=lambda: MONDAY_9) is None
    assert not missing.exists()


def test_only_plain_sqlite_files_are_read_this_way(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert sqlite_file(f"sqlite:///{tmp_path}/desk.sqlite3") == tmp_path / "desk.sqlite3"
    assert sqlite_file("sqlite+pysqlite:////srv/desk.sqlite3") == Path("/srv/desk.sqlite3")
    assert sqlite_file("sqlite:///~/desk.sqlite3") == tmp_path / "desk.sqlite3"
    assert sqlite_file("sqlite:///desk.sqlite3") == Path.cwd() / "desk.sqlite3"
    for other in ("postgresql://desk@db/desk", "sqlite://", "sqlite:///:memory:",
                  "sqlite:///file:desk?mode=ro&uri=true", "sqlite:///desk.sqlite3?timeout=3"):
        assert sqlite_file(other) is None, other


def test_a_crisis_call_beyond_the_limit_is_in_both_queues_first(sqlite_world, monkeypatch):
    """The read is capped (2,000 rows by due time); a crisis call due last must still show,
    on top, in the first queue and in the desk's queue alike."""
    from desk_tui.services import crisis, first_queue
    from desk_tui.store.engine import write_session

    world = sqlite_world
    urgent = [register(world, subject=f"Storing {n}", impact=H, urgency=H,
                       now=at("2026-11-30 08:30")) for n in range(3)]
    with write_session(world.db) as session:
        crisis.set_level(session=session, actor=world.agent, code=world.organisation.code,
                         level=3, now=at("2026-11-30 08:45"))
    late = register(world, subject="Stembureau zonder stroom", impact=L, urgency=L,
                    now=at("2026-11-30 08:50"))
    capped = QueueFilter(limit=2)
    monkeypatch.setattr(first_queue, "QueueFilter", lambda: capped)
    desk_rows = world.read(open_queue, actor=world.agent, sla=world.sla, now=MONDAY_9,
                           query=capped)
    first_rows = first(world, "agent").rows
    assert desk_rows[0].id == late.id and desk_rows[0].crisis
    assert len(desk_rows) == 2 and desk_rows[1].id in {saved.id for saved in urgent}
    assert first_rows == desk_rows


def test_the_first_queue_waits_for_the_operators_pin(sqlite_world, monkeypatch):
    """Nothing of the queue is read for an operator who has not proven who they are."""
    from sqlalchemy import select

    from desk_tui.services import identity
    from desk_tui.store.engine import write_session
    from desk_tui.store.models import Operator

    register(sqlite_world)
    with write_session(sqlite_world.db) as session:
        agent = session.execute(select(Operator).where(Operator.login == "agent")).scalar_one()
        agent.pin_hash = identity.hash_pin("3141")

    def first(pin):
        return read_first_queue(path_of(sqlite_world), "agent", sla=sqlite_world.sla,
                                clock=lambda: MONDAY_9, pin=pin)

    assert first(None) is None and first("0000") is None
    assert first("3141") is not None and len(first("3141").rows) == 1
    with write_session(sqlite_world.db) as session:
        agent = session.execute(select(Operator).where(Operator.login == "agent")).scalar_one()
        agent.locked_until = at("2026-11-30 10:00")
    assert first("3141") is None  # locked: the full connection says so
    # a PIN-less operator: only on a file of the OS user's own
    assert read_first_queue(path_of(sqlite_world), "agent2", sla=sqlite_world.sla,
                            clock=lambda: MONDAY_9) is not None
    monkeypatch.setattr(identity, "sqlite_file_is_users_own", lambda path: False)
    assert read_first_queue(path_of(sqlite_world), "agent2", sla=sqlite_world.sla,
                            clock=lambda: MONDAY_9) is None
