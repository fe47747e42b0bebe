"""The audit trail: every write with who, what, when and the fields before/after, in an
append-only log chained by hash, that `verify` checks and `prune` shortens."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from desk_tui.domain.classification import CallType, Level
from desk_tui.services import audit_trail, calls, queries
from desk_tui.services.access import Action
from desk_tui.services.calls import CallDraft
from desk_tui.services.desk import Desk
from desk_tui.store import audit
from desk_tui.store.engine import write_session
from desk_tui.store.enums import OperatorRole
from desk_tui.store.models import AuditEntry, Operator, OperatorRoleGrant, Person
from desk_tui.store.types import utcnow
from tests.world import MONDAY_9, World


def _admin(world: World):
    with write_session(world.db) as session:
        operator = Operator(login="admin", display_name="Beheer")
        session.add(operator)
        session.flush()
        session.add(OperatorRoleGrant(operator_id=operator.id, role=OperatorRole.ADMINISTRATOR))
    return world.read(queries.actor_for, login="admin")


def _register(world: World, subject: str = "Printer weigert"):
    return world.write(calls.register_call, actor=world.agent, now=MONDAY_9, draft=CallDraft(
        organisation_id=world.organisation.id, call_type=CallType.STORING, subject=subject,
        caller_id=world.caller.id, impact=Level.LAAG, urgency=Level.MIDDEN))


def _log(world: World, **where: str) -> list[dict]:
    statement = select(AuditEntry).order_by(AuditEntry.seq)
    for name, value in where.items():
        statement = statement.where(getattr(AuditEntry, name) == value)
    with world.db.connect() as connection:
        return [dict(row) for row in connection.execute(statement).mappings()]


def _verify(world: World) -> audit.Verdict:
    with world.db.connect() as connection:
        return audit.verify(connection)


def _drop_guard(world: World) -> None:
    """What someone with database access could do: the tests then tamper with rows."""
    with world.db.begin() as connection:
        if world.db.dialect.name == "sqlite":
            connection.exec_driver_sql("DROP TRIGGER audit_log_no_update")
            connection.exec_driver_sql("DROP TRIGGER audit_log_no_delete")
        else:
            connection.exec_driver_sql("DROP TRIGGER audit_log_append_only ON audit_log")


def test_every_write_is_logged_with_who_what_and_the_fields_before_and_after(
    world: World,
) -> None:
    saved = _register(world)
    world.write(calls.take, actor=world.colleague, call_id=saved.id, now=MONDAY_9)

    [inserted] = _log(world, table_name="call", event="insert")
    assert inserted["actor_login"] == "agent"
    assert inserted["row_key"] == str(saved.id)
    values = json.loads(inserted["detail"])
    assert values["status"] == "geregistreerd" and values["priority"] == saved.priority
    assert values["subject"] == audit.REDACTED  # free text is never copied into the log

    [taken] = _log(world, table_name="call", event="update")
    assert taken["actor_login"] == "agent2"
    changes = json.loads(taken["detail"])
    assert changes["status"] == ["geregistreerd", "in-behandeling"]
    assert changes["handler_id"] == [None, str(world.colleague.id)]
    assert taken["at"] >= inserted["at"]
    # The history rows of the same transaction are there too, by the same operator.
    history = _log(world, table_name="call_history", actor_login="agent2")
    assert len(history) == 2


def test_an_update_logs_the_version_and_updated_at_it_moved(world: World) -> None:
    """The row version and the automatic updated_at change in the flush itself; the
    entry shows them before and after like any other field."""
    saved = _register(world)
    [inserted] = _log(world, table_name="call", event="insert")
    registered_at = json.loads(inserted["detail"])["updated_at"]
    world.write(calls.take, actor=world.colleague, call_id=saved.id, now=MONDAY_9)
    [taken] = _log(world, table_name="call", event="update")
    changes = json.loads(taken["detail"])
    assert changes["version"] == [1, 2]
    before, after = changes["updated_at"]
    assert before == registered_at and after > before


def test_core_statements_through_a_session_are_logged(world: World) -> None:
    from sqlalchemy import update

    with write_session(world.db) as session:
        session.execute(update(Person).where(Person.id == world.caller.id)
                        .values(job_title="Teamleider"))
    [entry] = _log(world, table_name="person", event="update")
    detail = json.loads(entry["detail"])
    assert detail["rows"] == 1
    assert detail["values"]["job_title"] == audit.REDACTED
    assert "UPDATE person" in detail["statement"]


def test_a_rolled_back_write_leaves_no_entry(world: World) -> None:
    before = len(_log(world))
    with pytest.raises(RuntimeError), write_session(world.db) as session:
        session.add(Person(organisation_id=world.organisation.id, name="Spook"))
        session.flush()
        raise RuntimeError("the use case failed")
    assert len(_log(world)) == before


def test_verify_reports_ok_with_the_row_count(world: World) -> None:
    _register(world)
    verdict = _verify(world)
    assert verdict.ok
    assert verdict.rows == len(_log(world)) > 5
    assert verdict.describe() == f"audit log OK: {verdict.rows} rows, every link intact"


def test_the_log_refuses_update_and_delete(world: World) -> None:
    _register(world)
    with pytest.raises(DatabaseError, match="append-only"), world.db.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor_login = 'someone'"))
    with pytest.raises(DatabaseError, match="append-only"), world.db.begin() as connection:
        connection.execute(text("DELETE FROM audit_log"))
    assert _verify(world).ok


def test_verify_finds_an_altered_row(world: World) -> None:
    _register(world)
    _register(world, "Tweede melding")
    rows = _log(world)
    target = rows[len(rows) // 2]
    _drop_guard(world)
    with world.db.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor_login = 'someone' WHERE seq = :s"),
                           {"s": target["seq"]})
    verdict = _verify(world)
    assert not verdict.ok
    assert verdict.broken_seq == target["seq"]
    assert verdict.broken_at == target["at"]
    assert "altered" in verdict.describe()
    assert f"row {target['seq']}" in verdict.describe()


def test_verify_finds_a_removed_row(world: World) -> None:
    _register(world)
    rows = _log(world)
    removed, following = rows[3], rows[4]
    _drop_guard(world)
    with world.db.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = :s"), {"s": removed["seq"]})
    verdict = _verify(world)
    assert (verdict.ok, verdict.broken_seq) == (False, following["seq"])
    assert "removed" in verdict.reason


def test_verify_finds_rows_removed_at_the_end(world: World) -> None:
    _register(world)
    last = _log(world)[-1]
    _drop_guard(world)
    with world.db.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = :s"), {"s": last["seq"]})
    verdict = _verify(world)
    assert not verdict.ok and "at the end were removed" in verdict.reason


def test_prune_removes_old_rows_and_the_chain_still_verifies(world: World) -> None:
    admin = _admin(world)
    _register(world)
    old_rows = len(_log(world))
    cutoff = utcnow()
    _register(world, "Na de grens")
    newer = len(_log(world)) - old_rows

    report = audit_trail.prune(world.db, admin, retention_days=30,
                               now=cutoff + timedelta(days=30))

    assert report.removed == old_rows
    remaining = _log(world)
    assert len(remaining) == newer + 1  # and the checkpoint
    checkpoint = remaining[-1]
    assert (checkpoint["event"], checkpoint["actor_login"]) == ("prune", "admin")
    assert json.loads(checkpoint["detail"])["removed"] == old_rows
    assert _verify(world).ok
    # Writes after the prune go on chaining from the checkpoint.
    _register(world, "Daarna")
    assert _verify(world).ok


def test_pruning_needs_the_right(world: World) -> None:
    from desk_tui.services.errors import Refused

    with pytest.raises(Refused):
        audit_trail.prune(world.db, world.agent, retention_days=1, now=utcnow())
    assert not world.agent.may(Action.AUDIT_PRUNE)


def test_viewing_a_caller_in_the_call_view_is_logged_as_a_read(world: World) -> None:
    saved = _register(world)
    desk = Desk(world.db, world.sla, lambda: MONDAY_9)
    desk.detail(world.colleague, saved.id)
    [read] = _log(world, event="read")
    assert (read["actor_login"], read["table_name"]) == ("agent2", "person")
    assert read["row_key"] == str(world.caller.id)
    assert saved.reference in json.loads(read["detail"])["viewed"]


def test_the_owner_shown_with_a_ci_in_full_is_logged_as_a_read(world: World) -> None:
    from desk_tui.store.models import ConfigurationItem

    with write_session(world.db) as session:
        session.get(ConfigurationItem, world.workstation.id).owner_id = world.caller.id
    desk = Desk(world.db, world.sla, lambda: MONDAY_9)
    assert _log(world, event="read") == []
    desk.ci_detail(world.agent, world.workstation.id)
    desk.ci_detail(world.agent, world.workstation.id)  # again within 15 minutes: one entry
    [read] = _log(world, event="read")
    assert (read["actor_login"], read["row_key"]) == ("agent", str(world.caller.id))
    assert json.loads(read["detail"])["viewed"] == "owner of CI ENK-WS-0042"


def test_a_ci_without_owner_logs_no_read(world: World) -> None:
    Desk(world.db, world.sla, lambda: MONDAY_9).ci_detail(world.agent, world.workstation.id)
    assert _log(world, event="read") == []


def test_a_calls_caller_shown_as_change_requester_is_logged_as_a_read(world: World) -> None:
    desk = Desk(world.db, world.sla, lambda: MONDAY_9)
    desk.requester(world.agent, world.caller.id)
    [read] = _log(world, event="read")
    assert read["row_key"] == str(world.caller.id)
    assert json.loads(read["detail"])["viewed"] == "requester of a change"


def test_concurrent_writers_keep_one_linear_chain(world: World) -> None:
    errors: list[BaseException] = []

    def writer(index: int) -> None:
        try:
            for number in range(5):
                _register(world, f"Schrijver {index} melding {number}")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(_log(world, table_name="call", event="insert")) == 20
    verdict = _verify(world)
    assert verdict.ok, verdict.describe()
    seqs = [row["seq"] for row in _log(world)]
    assert seqs == list(range(1, len(seqs) + 1))


def test_a_call_view_refreshing_logs_the_read_once(world: World) -> None:
    saved = _register(world)
    desk = Desk(world.db, world.sla, lambda: MONDAY_9)
    for _ in range(3):  # the call view re-reads every 30 seconds
        desk.detail(world.colleague, saved.id)
    desk.detail(world.agent, saved.id)
    assert [row["actor_login"] for row in _log(world, event="read")] == ["agent2", "agent"]


def test_a_cmdb_import_is_written_in_the_importers_name(world: World, tmp_path) -> None:
    from tests.services.test_cmdb_import import HEADER, run_import, write_csv

    admin = _admin(world)
    path = write_csv(tmp_path, HEADER, "ENK-LT-0001;Laptop Anouk;laptop;SN1;;ENK;;;;;")
    report = run_import(world, admin, path)
    assert report.imported == 1
    [bulk] = _log(world, table_name="configuration_item", event="insert",
                  actor_login="admin")
    assert json.loads(bulk["detail"])["values"]["name"] == "Laptop Anouk"
    from desk_tui.services.errors import Refused

    with pytest.raises(Refused):
        run_import(world, world.agent, path)
    assert [row["actor_login"] for row in _log(world, event="refused")] == ["agent"]
