"""Operators prove who they are with their own PIN: a wrong one is refused and audited,
five within 15 minutes lock the account, and no PIN is ever stored as typed."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from desk_tui.services import identity
from desk_tui.services.errors import InvalidInput, NotFound, Refused
from desk_tui.services.identity import (
    LockedOut,
    NoPinSet,
    PinRequired,
    WrongPin,
    hash_pin,
    pin_matches,
    sign_in,
)
from desk_tui.store.engine import write_session
from desk_tui.store.models import AuditEntry, Operator, OperatorRoleGrant
from tests.world import MONDAY_9, World

pytestmark = pytest.mark.real_identity


def _give_pin(world: World, login: str, pin: str) -> None:
    with write_session(world.db) as session:
        operator = session.execute(select(Operator).where(Operator.login == login)).scalar_one()
        operator.pin_hash = hash_pin(pin)


def _refusals(world: World, login: str) -> list[dict[str, str]]:
    with world.db.connect() as connection:
        rows = connection.execute(
            select(AuditEntry.detail).where(
                AuditEntry.event == "refused", AuditEntry.actor_login == login
            ).order_by(AuditEntry.seq)
        ).scalars().all()
    return [json.loads(row) for row in rows]


def _state(world: World, login: str) -> Operator:
    with world.db.connect() as connection:
        return connection.execute(
            select(Operator.__table__).where(Operator.login == login)
        ).one()


def test_a_pin_is_kept_as_a_salted_scrypt_hash_and_checked() -> None:
    first, second = hash_pin("2468"), hash_pin("2468")
    assert first.startswith("scrypt$") and "2468" not in first
    assert first != second  # a salt of its own each time
    assert pin_matches("2468", first) and pin_matches("2468", second)
    assert not pin_matches("2469", first)
    assert not pin_matches("2468", "scrypt$garbage")


def test_the_right_pin_signs_the_operator_in(world: World) -> None:
    _give_pin(world, "agent", "2468")
    actor = sign_in(world.db, "agent", "2468", now=MONDAY_9)
    assert actor.login == "agent" and actor.id == world.agent.id


def test_an_account_with_a_pin_asks_for_it_without_counting_a_failure(world: World) -> None:
    _give_pin(world, "agent", "2468")
    with pytest.raises(PinRequired):
        sign_in(world.db, "agent", None, now=MONDAY_9)
    assert _state(world, "agent").failed_pin_attempts == 0


def test_a_wrong_pin_is_refused_and_in_the_audit_trail(world: World) -> None:
    _give_pin(world, "agent", "2468")
    with pytest.raises(WrongPin, match="wrong PIN for agent; 4 more"):
        sign_in(world.db, "agent", "1357", now=MONDAY_9)
    refusals = _refusals(world, "agent")
    assert refusals[-1]["action"] == identity.SIGN_IN
    assert "wrong PIN" in refusals[-1]["reason"]
    assert "1357" not in json.dumps(refusals)
    assert _state(world, "agent").failed_pin_attempts == 1


def test_an_unknown_login_is_refused_and_logged(world: World) -> None:
    with pytest.raises(NotFound):
        sign_in(world.db, "intruder", "0000", now=MONDAY_9)
    assert _refusals(world, "intruder")[-1]["action"] == identity.SIGN_IN


def test_five_wrong_pins_in_15_minutes_lock_the_account_until_the_window_ends(
    world: World,
) -> None:
    _give_pin(world, "agent", "2468")
    for minute in range(4):
        with pytest.raises(WrongPin):
            sign_in(world.db, "agent", "0000", now=MONDAY_9 + timedelta(minutes=minute))
    fifth = MONDAY_9 + timedelta(minutes=10)
    with pytest.raises(LockedOut, match="locked after 5 wrong PINs until 09:25"):
        sign_in(world.db, "agent", "0000", now=fifth)
    # locked: even the right PIN is refused (and not tried) until 15 minutes have passed
    with pytest.raises(LockedOut):
        sign_in(world.db, "agent", "2468", now=fifth + timedelta(minutes=14))
    assert sum("locked" in r["reason"] for r in _refusals(world, "agent")) == 2
    actor = sign_in(world.db, "agent", "2468", now=fifth + timedelta(minutes=15))
    assert actor.login == "agent"
    state = _state(world, "agent")
    assert state.failed_pin_attempts == 0 and state.locked_until is None


def test_wrong_pins_spread_over_more_than_15_minutes_do_not_lock(world: World) -> None:
    _give_pin(world, "agent", "2468")
    for step in range(8):  # one every 16 minutes: each starts a new window
        at = MONDAY_9 + timedelta(minutes=16 * step)
        with pytest.raises(WrongPin):
            sign_in(world.db, "agent", "0000", now=at)
    assert _state(world, "agent").locked_until is None


def test_success_clears_the_failed_attempts(world: World) -> None:
    _give_pin(world, "agent", "2468")
    for _ in range(4):
        with pytest.raises(WrongPin):
            sign_in(world.db, "agent", "0000", now=MONDAY_9)
    sign_in(world.db, "agent", "2468", now=MONDAY_9)
    with pytest.raises(WrongPin, match="4 more"):  # a fresh count, not the fifth
        sign_in(world.db, "agent", "0000", now=MONDAY_9)


def test_an_operator_without_a_pin_on_a_shared_database_role_is_refused(
    world: World,
) -> None:
    if world.db.url.get_backend_name() == "sqlite":
        # the test's own SQLite file, owned by the user running it: their laptop
        assert sign_in(world.db, "agent", None, now=MONDAY_9).login == "agent"
    else:  # PostgreSQL as a shared role, not the operator's own
        with pytest.raises(NoPinSet, match="desk operator set-pin agent"):
            sign_in(world.db, "agent", None, now=MONDAY_9)
        assert "no PIN" in _refusals(world, "agent")[-1]["reason"]


def test_a_sqlite_file_of_another_user_does_not_vouch_for_a_pinless_operator(
    monkeypatch: pytest.MonkeyPatch, sqlite_url: str, tmp_path: Path,
) -> None:
    monkeypatch.setattr(identity, "sqlite_file_is_users_own", lambda path: False)
    from desk_tui.domain.calendar import build_calendars
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.store.engine import make_engine
    from desk_tui.store.migrate import upgrade_database
    from tests.world import build_world

    engine = make_engine(sqlite_url)
    upgrade_database(engine)
    try:
        world = build_world(engine, SlaEngine(build_calendars(first_year=2026)))
        with pytest.raises(NoPinSet):
            sign_in(world.db, "agent", None, now=MONDAY_9)
    finally:
        engine.dispose()


def test_an_operator_sets_their_own_pin_and_an_administrator_anyones(world: World) -> None:
    identity.set_pin(world.db, world.agent, "agent", "2468")
    assert sign_in(world.db, "agent", "2468", now=MONDAY_9).login == "agent"
    with pytest.raises(Refused):  # an agent may not set a colleague's PIN
        identity.set_pin(world.db, world.agent, "agent2", "1111")
    with write_session(world.db) as session:
        specialist = session.execute(
            select(Operator).where(Operator.login == "specialist")).scalar_one()
        session.add(OperatorRoleGrant(operator_id=specialist.id, role="administrator"))
    admin = sign_in(world.db, "specialist", None, now=MONDAY_9) if (
        world.db.url.get_backend_name() == "sqlite") else None
    if admin is None:
        from desk_tui.services.queries import actor_for
        from desk_tui.store.engine import read_session

        with read_session(world.db) as session:
            admin = actor_for(session, "specialist")
    identity.set_pin(world.db, admin, "agent", "9753")  # e.g. after a lockout
    assert sign_in(world.db, "agent", "9753", now=MONDAY_9).login == "agent"
    with pytest.raises(WrongPin):
        sign_in(world.db, "agent", "2468", now=MONDAY_9)


@pytest.mark.parametrize("pin", ["", "123", " 1234", "12\x1b4", "x" * 129])
def test_a_pin_too_short_long_or_odd_is_refused(world: World, pin: str) -> None:
    with pytest.raises(InvalidInput):
        identity.set_pin(world.db, world.agent, "agent", pin)


def test_no_pin_is_stored_in_clear(world: World, sqlite_url: str) -> None:
    identity.set_pin(world.db, world.agent, "agent", "pass-phrase-8642")
    with pytest.raises(WrongPin):
        sign_in(world.db, "agent", "wrong-phrase-1357", now=MONDAY_9)
    sign_in(world.db, "agent", "pass-phrase-8642", now=MONDAY_9)
    if world.db.url.get_backend_name() != "sqlite":
        pytest.skip("the file check reads a SQLite file")
    path = Path(world.db.url.database or "")
    world.db.dispose()  # everything checkpointed into the files
    data = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert b"pass-phrase-8642" not in data and b"wrong-phrase-1357" not in data
    assert "pass-phrase-8642".encode("utf-16-le") not in data
    assert b"scrypt$16384$8$1$" in data  # the hash is there, the PIN is not


def test_wrong_pins_tried_in_parallel_are_each_counted(world: World) -> None:
    from concurrent.futures import ThreadPoolExecutor

    _give_pin(world, "agent", "2468")

    def attempt(_: int) -> str:
        try:
            sign_in(world.db, "agent", "0000", now=MONDAY_9)
        except (WrongPin, LockedOut) as error:
            return type(error).__name__
        return "signed in"

    with ThreadPoolExecutor(max_workers=5) as pool:
        results = list(pool.map(attempt, range(5)))
    assert sorted(results) == ["LockedOut"] + ["WrongPin"] * 4
    assert _state(world, "agent").locked_until is not None
