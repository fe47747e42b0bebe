"""The change watcher hears another process's commit within 2 seconds, on both engines."""

from __future__ import annotations

import threading
import time
import uuid

from desk_tui.domain.calendar import build_calendars
from desk_tui.domain.sla import SlaEngine
from desk_tui.store.change_feed import ANYTHING, ChangeWatcher, DataChange, change_from_payloads
from tests.services.test_calls import register
from tests.support.other_operator import act_elsewhere
from tests.world import at, build_world


def test_payloads_of_other_schemas_and_unknown_tables_are_ignored():
    call_id = uuid.uuid4()
    change = change_from_payloads(
        [f"mine call {call_id}", f"theirs call {uuid.uuid4()}", "mine call not-a-uuid",
         "mine outbox_message 1", "garbage"], "mine")
    assert change == DataChange(frozenset({call_id}), crisis=False)
    assert change.concerns_call(call_id) and not change.concerns_call(uuid.uuid4())
    assert change_from_payloads([f"mine grip_level {uuid.uuid4()}"], "mine") == DataChange(
        frozenset(), crisis=True)
    assert change_from_payloads(["theirs grip_level x"], "mine") is None
    assert ANYTHING.concerns_call(call_id) and ANYTHING.calls


def test_a_commit_in_another_process_is_heard_within_two_seconds(store, db_url):
    world = build_world(store, SlaEngine(build_calendars(first_year=2026)))
    saved = register(world, now=at("2026-11-30 09:00"))
    heard: list[tuple[float, DataChange]] = []
    got = threading.Event()

    def on_change(change: DataChange) -> None:
        heard.append((time.monotonic(), change))
        if change.concerns_call(saved.id):
            got.set()

    watcher = ChangeWatcher(store, on_change)
    watcher.start()
    try:
        assert watcher.ready.wait(10)
        committed = act_elsewhere(db_url, "agent2", "take", saved.id)
        assert got.wait(5), heard
    finally:
        watcher.stop()
    at_, change = next((t, c) for t, c in heard if c.concerns_call(saved.id))
    assert at_ - committed < 2.0
    if store.dialect.name == "postgresql":  # NOTIFY names the call
        assert change.call_ids == frozenset({saved.id}) and not change.crisis


def test_a_grip_level_set_elsewhere_is_heard_as_a_crisis_change(store, db_url):
    build_world(store, SlaEngine(build_calendars(first_year=2026)))
    got = threading.Event()
    watcher = ChangeWatcher(store, lambda change: change.crisis and got.set())
    watcher.start()
    try:
        assert watcher.ready.wait(10)
        act_elsewhere(db_url, "agent2", "grip:ENK=3")
        assert got.wait(5)
    finally:
        watcher.stop()


def _notifying_tables(engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.exec_driver_sql(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE c.relnamespace = current_schema()::regnamespace"
            " AND t.tgname LIKE '%%_notify_change'"
        ).scalars())


def test_both_ways_to_a_new_postgresql_database_install_the_notify_trigger(
    postgresql_url, new_postgresql_url
):
    from desk_tui.store.engine import make_engine
    from desk_tui.store.migrate import migrate, upgrade_database

    created, migrated = make_engine(postgresql_url), make_engine(new_postgresql_url())
    try:
        upgrade_database(created)  # create_all, stamped at head
        migrate(migrated)  # every script from the first
        assert _notifying_tables(created) == _notifying_tables(migrated) == {
            "call", "crisis_contact", "grip_level"}
    finally:
        created.dispose()
        migrated.dispose()
