"""Column types: aware UTC instants, enums as text, time-ordered UUIDv7 keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm.exc import StaleDataError

from desk_tui.domain.classification import Level
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import CallStatus, CiType
from desk_tui.store.models import Call, ConfigurationItem, Organisation, Person
from desk_tui.store.types import new_id

from .factories import add_call, add_organisation

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_instants_come_back_as_aware_utc(store: Engine) -> None:
    # 02:30 on the last Sunday of March does not exist in Amsterdam; 01:30 UTC is fine.
    registered = datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=UTC)
    due = datetime(2026, 3, 30, 9, 0, tzinfo=AMSTERDAM)  # stored as 07:00 UTC
    with write_session(store) as session:
        call = add_call(
            session, add_organisation(session), registered_at=registered, reaction_due=due
        )
    with read_session(store) as session:
        if store.dialect.name == "postgresql":
            session.execute(text("SET TIME ZONE 'Europe/Amsterdam'"))  # must not matter
        row = session.execute(
            select(Call.registered_at, Call.reaction_due, Call.created_at).where(
                Call.id == call.id
            )
        ).one()
    assert row.registered_at == registered
    assert row.reaction_due == due
    for value in row:
        assert value.tzinfo is UTC
    assert row.reaction_due.hour == 7


def test_instants_are_compared_in_utc_in_sql(store: Engine) -> None:
    with write_session(store) as session:
        organisation = add_organisation(session)
        add_call(session, organisation, registered_at=datetime(2026, 1, 5, 22, 0, tzinfo=UTC))
    late_evening = datetime(2026, 1, 5, 23, 30, tzinfo=timezone(timedelta(hours=1)))  # 22:30Z
    with read_session(store) as session:
        found = session.execute(
            select(Call.number).where(Call.registered_at < late_evening)
        ).scalars().all()
    assert found == [1]


def test_naive_datetimes_are_refused(store: Engine) -> None:
    with pytest.raises(StatementError, match="naive"), write_session(store) as session:
        add_call(session, add_organisation(session), registered_at=datetime(2026, 3, 2, 9, 0))


def test_enums_are_stored_as_their_text(store: Engine) -> None:
    with write_session(store) as session:
        call = add_call(
            session,
            add_organisation(session),
            status=CallStatus.IN_BEHANDELING,
            impact=Level.HOOG,
        )
    with read_session(store) as session:
        raw = session.execute(
            text("SELECT status, impact, call_type FROM call WHERE number = :n"),
            {"n": call.number},
        ).one()
        loaded = session.get(Call, call.id)
    assert tuple(raw) == ("in-behandeling", "hoog", "storing")
    assert loaded is not None
    assert loaded.status is CallStatus.IN_BEHANDELING
    assert loaded.impact is Level.HOOG


def test_an_enum_value_this_build_does_not_know_is_refused_on_read(store: Engine) -> None:
    """A newer desk's status in a shared database must not read as something else."""
    with write_session(store) as session:
        call = add_call(session, add_organisation(session))
    with write_session(store) as session:
        session.execute(text("UPDATE call SET status = 'ingepland' WHERE number = :n"),
                        {"n": call.number})
    with read_session(store) as session, pytest.raises(ValueError, match="ingepland"):
        session.execute(select(Call.status).where(Call.number == call.number)).one()


def test_uuid7_keys_are_time_ordered(store: Engine) -> None:
    ids = [new_id() for _ in range(50)]
    assert all(key.version == 7 for key in ids)
    assert ids == sorted(ids)
    with write_session(store) as session:
        for index in range(20):
            session.add(Organisation(name=f"Gemeente {index:02d}", code=f"G{index:02d}"))
            session.flush()
    with read_session(store) as session:
        by_key = session.execute(select(Organisation.code).order_by(Organisation.id)).all()
    assert [code for (code,) in by_key] == [f"G{index:02d}" for index in range(20)]


def test_json_attributes_round_trip(store: Engine) -> None:
    attributes = {"cpu": "i5-1245U", "ram_gb": 16, "apps": ["Office", "Zaaksysteem"]}
    with write_session(store) as session:
        ci = ConfigurationItem(ci_type=CiType.LAPTOP, name="LT-0042", attributes=attributes)
        session.add(ci)
    with read_session(store) as session:
        loaded = session.get(ConfigurationItem, ci.id)
    assert loaded is not None and loaded.attributes == attributes


def test_foreign_keys_are_enforced(store: Engine) -> None:
    with pytest.raises(IntegrityError), write_session(store) as session:
        session.add(Person(organisation_id=new_id(), name="Niemand"))
        session.flush()


def test_call_version_guards_against_lost_updates(store: Engine) -> None:
    with write_session(store) as session:
        call = add_call(session, add_organisation(session))
    assert call.version == 1
    with write_session(store) as first:
        mine = first.get(Call, call.id)
        assert mine is not None
        mine.priority = 2
    with pytest.raises(StaleDataError), write_session(store) as second:
        stale = second.merge(call, load=False)  # still version 1, as read before
        stale.priority = 4
    with read_session(store) as session:
        current = session.get(Call, call.id)
    assert current is not None
    assert (current.priority, current.version) == (2, 2)
