"""The audit trail: every write, once, at the store level.

Session events collect what each flush inserted, updated or deleted (the fields changed,
before and after) and every Core insert/update/delete run through a session; just before
the transaction commits the entries are appended to `audit_log`, each row's hash covering
its content and the previous row's hash. The head row is read FOR UPDATE, so on
PostgreSQL concurrent writers append in turn (taken last, just before commit, so no
transaction holds it while waiting for another lock); on SQLite the write transaction
(BEGIN IMMEDIATE) already serialises them. Triggers make the log append-only.

Who: `session.info["actor"]`, else the operator whose rights `require()` checked last in
this session (services/access.py calls `act_as`), else "system". Refusals happen inside
transactions that roll back, so they wait in `_refusals` until the session closes and are
then appended in a transaction of their own (store/engine.py calls `end_session`).

Personal data and free text are never copied into the log: for those fields the entry says
that they changed, not what they held. The log is kept for years; personal data of an
ended contract must become inaccessible within 3 months (SPEC 11).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import event, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.orm import attributes as orm_attributes
from sqlalchemy.sql.dml import Delete, Insert, Update

from desk_tui.store.audit_context import AuditActor as AuditActor
from desk_tui.store.audit_context import Refusal, here
from desk_tui.store.audit_context import act_as as act_as
from desk_tui.store.audit_context import begin_session as begin_session
from desk_tui.store.audit_context import note_refusal as note_refusal
from desk_tui.store.tables.audit import GENESIS_HASH, AuditEntry, AuditHead
from desk_tui.store.types import utcnow

log = logging.getLogger("desk.audit")

AUDIT_TABLES = frozenset({"audit_log", "audit_head"})
# A counter, not data: the record that uses the number carries it.
UNAUDITED_TABLES = AUDIT_TABLES | {"number_sequence"}
REDACTED = "‹redacted›"
SYSTEM = "system"
# Fields that hold personal data, free text that may, or a secret: the log says they
# changed, never what they held. Every text or JSON column of an audited table is either
# here or in SAFE_FIELDS (tests/store/test_audit_classification.py walks the metadata), so
# a new table cannot put personal data into the log, where the purge cannot reach it.
PERSONAL_FIELDS: Mapping[str, frozenset[str]] = {
    "person": frozenset({"name", "phone", "email", "login", "job_title"}),
    "operator": frozenset({"display_name", "email", "phone", "pin_hash"}),
    "escalation_contact": frozenset({"person_name", "phone", "email"}),
    "crisis_contact": frozenset({"name", "phone", "email"}),
    "call": frozenset({"subject", "description", "solution"}),
    "call_history": frozenset({"note", "old_value", "new_value"}),
    "call_pause": frozenset({"reason"}),
    "ci_history": frozenset({"old_value", "new_value", "note"}),
    # attributes: any column of an imported sheet ("attr:user" may name someone).
    "configuration_item": frozenset({"search_text", "notes", "attributes"}),
    "contract": frozenset({"notes"}),
    "outbox": frozenset({"recipient", "subject", "body", "last_error"}),
    "p1_evaluation": frozenset({"with_whom", "summary"}),
    "security_incident_step": frozenset({"note"}),
    "change": frozenset({"title", "description", "refusal_reason"}),
    "problem": frozenset({"title", "description", "root_cause", "workaround"}),
    "grip_level": frozenset({"note"}),
    # A site's copy of a call (subject, description, solution) and its history notes.
    "offline_call_base": frozenset({"fields"}),
    "offline_conflict": frozenset({"payload", "note"}),
    # A person's (or CI's, change's, ...) fields as a site and the desk last agreed.
    "offline_record_base": frozenset({"fields"}),
    "offline_site": frozenset({"private_key"}),  # a secret, only in the site's copy
    "on_call_handover": frozenset({"summary"}),  # lists the evening's calls by subject
    "standby_entry": frozenset({"who", "location", "what"}),
}
# Text and JSON columns that hold no personal data: codes, names of organisations and
# things, numbers, hashes, keys of other rows, counts. Logged as they are.
SAFE_FIELDS: Mapping[str, frozenset[str]] = {
    "call": frozenset({"site", "supplier", "supplier_reference"}),
    "category": frozenset({"name"}),
    "change": frozenset({"site", "release_from", "release_to"}),
    "configuration_item": frozenset({"name", "asset_tag", "serial_number", "hostname",
                                     "ip_address", "location", "configuration",
                                     "external_ref"}),
    "contract": frozenset({"number", "title", "supplier"}),
    "crisis_contact": frozenset({"role_title"}),
    "department": frozenset({"name"}),
    "escalation_contact": frozenset({"role_title"}),
    "offline_call_base": frozenset({"history_ids"}),
    "offline_conflict": frozenset({"bundle_id", "payload_hash", "status", "kind"}),
    "offline_record_base": frozenset({"kind"}),
    "offline_import": frozenset({"bundle_id", "summary"}),  # counts per kind of record
    "offline_site": frozenset({"code", "name", "public_key"}),
    # The operator's login is who acted: every entry names it in actor_login anyway.
    "operator": frozenset({"login"}),
    "organisation": frozenset({"name", "code", "language"}),
    "outbox": frozenset({"dedupe_key", "language"}),  # e.g. "call-registered:<call id>"
    "person": frozenset({"language"}),
    "problem": frozenset({"site"}),
    # who ran a purge: every audit entry names its actor by login already
    "purge_run": frozenset({"operator_login"}),
    "role_permission": frozenset({"action"}),
    "standby_entry": frozenset({"site"}),
}
BULK_KEYS = 1000  # a bulk statement lists at most this many row keys


@dataclass(slots=True)
class _Entry:
    at: datetime
    event: str
    table_name: str
    row_key: str
    detail: str
    actor: AuditActor | None = None


# -- what sessions and services call -------------------------------------------------------
def end_session(engine: Engine) -> None:
    """store/engine.py: a session closed; at the outermost, write waiting refusals."""
    context = here()
    context.depth = max(0, context.depth - 1)
    if context.depth or not context.refusals:
        return
    refusals, context.refusals = context.refusals, []
    try:
        record_refusals(engine, refusals)
    except Exception:  # the refusal itself stands; the Python log still has it
        log.exception("could not write %d refusal(s) to the audit log", len(refusals))


def record_refusals(engine: Engine, refusals: Iterable[Refusal]) -> None:
    from desk_tui.store.engine import immediate

    entries = [
        _Entry(utcnow(), "refused", "-", "", _canonical(
            {"action": refusal.action, "reason": refusal.reason}), refusal.actor)
        for refusal in refusals
    ]
    with immediate(engine).begin() as connection:
        append(connection, entries, None)


def record_read(
    engine: Engine, actor: AuditActor, table_name: str, row_key: object, what: str
) -> None:
    """Someone viewed personal data (a person, the caller of a call): logged as a read."""
    from desk_tui.store.engine import immediate

    entry = _Entry(utcnow(), "read", table_name, _key_text(row_key),
                   _canonical({"viewed": what}), actor)
    with immediate(engine).begin() as connection:
        append(connection, [entry], None)


def site_entries(connection: Connection) -> list[dict[str, Any]]:
    """An election site's whole log, oldest first, as its bundle carries it (the copy's
    log starts empty: prepare writes the copy without the session events)."""
    table = AuditEntry.__table__
    return [
        {"seq": row["seq"], "at": _instant_text(_aware(row["at"])),
         "actor_id": str(row["actor_id"]) if row["actor_id"] else None,
         "actor_login": row["actor_login"], "event": row["event"],
         "table_name": row["table_name"], "row_key": row["row_key"], "detail": row["detail"],
         "prev_hash": row["prev_hash"], "hash": row["hash"]}
        for row in connection.execute(select(table).order_by(table.c.seq)).mappings()
    ]


def written_rows(connection: Connection, table_name: str) -> set[str]:
    """The keys of the rows of `table_name` this database's own log says were written:
    in a site's copy (whose log starts empty), what the site touched, whatever the
    laptop's clock said."""
    table = AuditEntry.__table__
    return set(connection.execute(select(table.c.row_key).distinct().where(
        table.c.table_name == table_name, table.c.event.in_(("insert", "update")))).scalars())


def site_chain_break(entries: Sequence[Mapping[str, Any]]) -> str | None:
    """What is wrong with a site's carried log, or None: it starts at the site's first
    entry (a site's copy never prunes), each row hashes to its own hash and links to the
    row before, so an entry altered or removed on the laptop shows."""
    previous: Mapping[str, Any] | None = None
    for entry in entries:
        try:
            digest = entry_hash(
                entry["prev_hash"], int(entry["seq"]), datetime.fromisoformat(entry["at"]),
                uuid.UUID(entry["actor_id"]) if entry["actor_id"] else None,
                entry["actor_login"], entry["event"], entry["table_name"], entry["row_key"],
                entry["detail"])
            if entry["detail"] and not isinstance(json.loads(entry["detail"]), dict):
                raise ValueError("detail")
        except (KeyError, TypeError, ValueError, AttributeError):
            return f"entry {entry.get('seq')!r} is incomplete"
        if previous is None and (int(entry["seq"]) != 1 or entry["prev_hash"] != GENESIS_HASH):
            return f"it starts at entry {entry['seq']}, not at the site's first"
        if digest != entry["hash"]:
            return f"entry {entry['seq']} does not match its hash"
        if previous is not None and (int(entry["seq"]) != int(previous["seq"]) + 1
                                     or entry["prev_hash"] != previous["hash"]):
            return f"entry {entry['seq']} does not follow entry {previous['seq']}"
        previous = entry
    return None


def carry_site_entries(session: Session, site: str, entries: Iterable[Mapping[str, Any]]
                       ) -> int:
    """Append a site's own entries to this log at this session's commit: who did it (as
    login@site), what and on which row, with the site's seq, time and hash in the detail.
    They take this log's time and order, so pruning by time stays a prefix of the chain;
    what they say is what the site recorded (already without personal data)."""
    pending = _pending(session)
    count = 0
    for entry in entries:
        original = json.loads(entry["detail"]) if entry["detail"] else {}
        detail = _canonical({"site": site, "site_seq": entry["seq"], "site_at": entry["at"],
                             "site_hash": entry["hash"], "detail": original})
        actor = AuditActor(uuid.UUID(entry["actor_id"]) if entry["actor_id"] else None,
                           f"{entry['actor_login']}@{site}"[:100])
        pending.append(_Entry(utcnow(), entry["event"], entry["table_name"],
                              entry["row_key"], detail, actor))
        count += 1
    return count


# -- the chain ---------------------------------------------------------------------------
def entry_hash(
    prev_hash: str, seq: int, at: datetime, actor_id: uuid.UUID | None, actor_login: str,
    event_name: str, table_name: str, row_key: str, detail: str,
) -> str:
    payload = json.dumps(
        [prev_hash, seq, _instant_text(at), str(actor_id) if actor_id else "", actor_login,
         event_name, table_name, row_key, detail],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def append(connection: Connection, entries: list[_Entry], actor: AuditActor | None) -> None:
    """Append `entries` after the head, in this transaction (the head row stays locked on
    PostgreSQL until it ends)."""
    if not entries:
        return
    head = AuditHead.__table__
    seq, prev = connection.execute(
        select(head.c.seq, head.c.hash).where(head.c.id == 1).with_for_update()
    ).one()
    rows = []
    for entry in entries:
        who = entry.actor or actor
        seq += 1
        actor_id = who.id if who else None
        login = who.login if who else SYSTEM
        digest = entry_hash(prev, seq, entry.at, actor_id, login, entry.event,
                            entry.table_name, entry.row_key, entry.detail)
        rows.append({
            "seq": seq, "at": entry.at, "actor_id": actor_id, "actor_login": login,
            "event": entry.event, "table_name": entry.table_name, "row_key": entry.row_key,
            "detail": entry.detail, "prev_hash": prev, "hash": digest,
        })
        prev = digest
    connection.execute(insert(AuditEntry.__table__), rows)
    connection.execute(update(head).where(head.c.id == 1).values(seq=seq, hash=prev))


@dataclass(frozen=True, slots=True)
class Verdict:
    """What `verify` found: ok with the row count, or the first broken link."""

    ok: bool
    rows: int
    broken_seq: int | None = None
    broken_at: datetime | None = None
    reason: str = ""

    def describe(self) -> str:
        if self.ok:
            return f"audit log OK: {self.rows} rows, every link intact"
        when = _instant_text(self.broken_at) if self.broken_at else "?"
        return f"audit log BROKEN at row {self.broken_seq} ({when}): {self.reason}"


def verify(connection: Connection) -> Verdict:
    """Walk the chain from the anchor (genesis, or the last pruned row) to the head."""
    head = connection.execute(select(AuditHead.__table__)).mappings().first()
    if head is None:
        return Verdict(False, 0, 0, None, "the chain's head row is missing")
    table = AuditEntry.__table__
    expected_prev = head["anchor_hash"]
    last_seq = head["anchor_seq"]
    count = 0
    last_at: datetime | None = None
    result = connection.execution_options(yield_per=2000).execute(
        select(table).order_by(table.c.seq)
    )
    for row in result.mappings():
        count += 1
        at = _aware(row["at"])
        if row["seq"] <= last_seq:
            return Verdict(False, count, row["seq"], at,
                           "a row at or before the pruned anchor is still present")
        if row["prev_hash"] != expected_prev:
            return Verdict(False, count, row["seq"], at,
                           "its link to the previous row does not match: the row before it"
                           " was removed or altered")
        digest = entry_hash(row["prev_hash"], row["seq"], at, row["actor_id"],
                            row["actor_login"], row["event"], row["table_name"],
                            row["row_key"], row["detail"])
        if digest != row["hash"]:
            return Verdict(False, count, row["seq"], at,
                           "its content does not match its hash: the row was altered")
        expected_prev = row["hash"]
        last_seq = row["seq"]
        last_at = at
    if last_seq != head["seq"] or expected_prev != head["hash"]:
        return Verdict(False, count, head["seq"], last_at,
                       f"the head says the chain ends at row {head['seq']}, the log ends at"
                       f" row {last_seq}: rows at the end were removed")
    return Verdict(True, count)


@dataclass(frozen=True, slots=True)
class PruneReport:
    removed: int
    through_seq: int
    cutoff: datetime


def prune(
    connection: Connection, *, retention_days: int, now: datetime,
    actor: AuditActor | None,
) -> PruneReport:
    """Remove rows older than the retention; the hash of the last removed row becomes the
    anchor the chain is verified from, and a checkpoint row records it."""
    if retention_days < 1:
        raise ValueError("the retention must be at least one day")
    cutoff = now - timedelta(days=retention_days)
    table = AuditEntry.__table__
    head = AuditHead.__table__
    connection.execute(select(head.c.seq).where(head.c.id == 1).with_for_update()).one()
    through = connection.execute(
        select(func.max(table.c.seq)).where(table.c.at < cutoff)
    ).scalar()
    if through is None:
        return PruneReport(0, 0, cutoff)
    anchor_hash = connection.execute(
        select(table.c.hash).where(table.c.seq == through)
    ).scalar_one()
    connection.execute(
        update(head).where(head.c.id == 1).values(anchor_seq=through, anchor_hash=anchor_hash)
    )
    removed = connection.execute(table.delete().where(table.c.seq <= through)).rowcount
    detail = _canonical({"removed": removed, "through_seq": through,
                         "anchor_hash": anchor_hash, "retention_days": retention_days})
    append(connection, [_Entry(utcnow(), "prune", "audit_log", str(through), detail)], actor)
    return PruneReport(removed, through, cutoff)


def entries(connection: Connection, *, limit: int = 50) -> list[dict[str, Any]]:
    """The newest entries, newest first."""
    table = AuditEntry.__table__
    rows = connection.execute(select(table).order_by(table.c.seq.desc()).limit(limit))
    return [dict(row) for row in rows.mappings()]


# -- the append-only guard ---------------------------------------------------------------
_SQLITE_GUARD = (
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
        SELECT RAISE(ABORT, 'the audit log is append-only');
    END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    WHEN old.seq > (SELECT anchor_seq FROM audit_head WHERE id = 1) BEGIN
        SELECT RAISE(ABORT, 'the audit log is append-only; desk audit prune removes old rows');
    END""",
    """CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head BEGIN
        SELECT RAISE(ABORT, 'the audit log head cannot be removed');
    END""",
)
_POSTGRES_GUARD = (
    """CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND OLD.seq <= (SELECT anchor_seq FROM audit_head WHERE id = 1)
        THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'the audit log is append-only (%% refused)', TG_OP;
    END $$""",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log"
    " FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log"
    " FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_head_keep BEFORE DELETE OR TRUNCATE ON audit_head"
    " FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
)


def install_audit_guard(connection: Connection) -> None:
    """The triggers that refuse UPDATE and DELETE on the log, and its genesis head row."""
    statements = _SQLITE_GUARD if connection.dialect.name == "sqlite" else _POSTGRES_GUARD
    for statement in statements:
        connection.exec_driver_sql(statement)
    connection.execute(insert(AuditHead.__table__).values(
        id=1, seq=0, hash=GENESIS_HASH, anchor_seq=0, anchor_hash=GENESIS_HASH))


def remove_audit_guard(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for name in ("audit_log_no_update", "audit_log_no_delete", "audit_head_no_delete"):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        return
    connection.exec_driver_sql("DROP FUNCTION IF EXISTS audit_log_append_only() CASCADE")


# -- collecting writes -------------------------------------------------------------------
_installed = False
_install_lock = threading.Lock()


def install() -> None:
    """Listen on every ORM session (idempotent; store/engine.py calls it)."""
    global _installed
    if _installed:
        return
    with _install_lock:
        if _installed:
            return
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _on_execute)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_soft_rollback", _after_rollback)
        _installed = True


def uninstall() -> None:
    """Stop auditing (the benchmark's baseline only)."""
    global _installed
    if not _installed:
        return
    event.remove(Session, "before_flush", _before_flush)
    event.remove(Session, "after_flush", _after_flush)
    event.remove(Session, "do_orm_execute", _on_execute)
    event.remove(Session, "before_commit", _before_commit)
    event.remove(Session, "after_soft_rollback", _after_rollback)
    _installed = False


def _pending(session: Session) -> list[_Entry]:
    return session.info.setdefault("audit_pending", [])


def _automatic_keys(mapper: Any) -> tuple[str, ...]:
    """The attributes an UPDATE sets by itself: the version counter and `onupdate`
    columns (updated_at). They change in the flush, so their history never shows it."""
    found = _AUTOMATIC.get(mapper)
    if found is None:
        keys = []
        for attribute in mapper.column_attrs:
            column = attribute.columns[0]
            if column is mapper.version_id_col or getattr(column, "onupdate", None) is not None:
                keys.append(attribute.key)
        found = _AUTOMATIC[mapper] = tuple(keys)
    return found


_AUTOMATIC: dict[Any, tuple[str, ...]] = {}


def _before_flush(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    """Note the version and updated_at of what is about to be updated: after the flush
    the new values are there, the old ones gone."""
    before: dict[int, dict[str, Any]] = session.info.setdefault("audit_before", {})
    for obj in session.dirty:
        if _table_of(obj) is None:
            continue
        state = orm_attributes.instance_state(obj)
        keys = _automatic_keys(state.mapper)
        if keys:
            before[id(state)] = {key: state.dict.get(key) for key in keys}


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    pending = _pending(session)
    before = session.info.pop("audit_before", {})
    now = utcnow()
    for obj in session.new:
        table = _table_of(obj)
        if table is None:
            continue
        values = {key: value for key, value in _columns(obj)}
        pending.append(_Entry(now, "insert", table, _key_text(_primary_key(obj)),
                              _canonical(_redact(table, values))))
    for obj in session.dirty:
        table = _table_of(obj)
        if table is None or not session.is_modified(obj, include_collections=False):
            continue
        changes = _changes(obj)
        if changes:
            state = orm_attributes.instance_state(obj)
            for key, old in before.get(id(state), {}).items():
                new = state.dict.get(key)  # absent (expired): a server default, unknown
                if key not in changes and key in state.dict and old != new:
                    changes[key] = [old, new]
            pending.append(_Entry(now, "update", table, _key_text(_primary_key(obj)),
                                  _canonical(_redact_changes(table, changes))))
    for obj in session.deleted:
        table = _table_of(obj)
        if table is None:
            continue
        values = {key: value for key, value in _columns(obj)}
        pending.append(_Entry(now, "delete", table, _key_text(_primary_key(obj)),
                              _canonical(_redact(table, values))))


def _on_execute(state: ORMExecuteState) -> Any:
    statement = state.statement
    if not isinstance(statement, Insert | Update | Delete):
        return None
    table_name = getattr(statement.table, "name", "")
    if table_name in UNAUDITED_TABLES:
        return None
    result = state.invoke_statement()
    verb = "insert" if isinstance(statement, Insert) else (
        "update" if isinstance(statement, Update) else "delete")
    parameters = state.parameters
    many = isinstance(parameters, list | tuple) and len(parameters) > 1
    pending = _pending(state.session)
    now = utcnow()
    if many:
        # A bulk load (CMDB import, demo): one entry naming the rows, not copying them.
        rows = list(parameters)  # type: ignore[arg-type]
        key_columns = [column.key for column in statement.table.primary_key.columns]
        keys = [_key_text([row.get(name, "") for name in key_columns])
                for row in rows[:BULK_KEYS]]
        pending.append(_Entry(now, verb, table_name, "", _canonical(
            {"bulk_rows": len(rows), "keys": keys})))
        return result
    compiled = statement.compile(dialect=state.session.get_bind().dialect)
    values = dict(compiled.params)
    if isinstance(parameters, Mapping):
        values.update(parameters)
    elif isinstance(parameters, list | tuple) and parameters:
        values.update(parameters[0])
    detail: dict[str, Any] = {
        "statement": " ".join(str(compiled).split()),
        "values": _redact(table_name, values),
    }
    rowcount = getattr(result, "rowcount", -1)
    if isinstance(rowcount, int) and rowcount >= 0:
        if rowcount == 0 and not isinstance(statement, Insert):
            return result  # nothing was written
        detail["rows"] = rowcount
    key = values.get("id", values.get("id_1", ""))
    pending.append(_Entry(now, verb, table_name, _key_text(key), _canonical(detail)))
    return result


def _before_commit(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()
    pending = session.info.pop("audit_pending", None)
    if not pending:
        return
    actor = session.info.get("actor")
    if actor is None:
        actor = here().actor
    append(session.connection(), pending, actor)


def _after_rollback(session: Session, previous_transaction: Any) -> None:
    session.info.pop("audit_before", None)  # a flush that failed half-way
    if previous_transaction.parent is None:
        session.info.pop("audit_pending", None)


# -- values ------------------------------------------------------------------------------
def _table_of(obj: object) -> str | None:
    table = getattr(obj, "__tablename__", None)
    if not isinstance(table, str) or table in UNAUDITED_TABLES:
        return None
    return table


def _columns(obj: object) -> Iterator[tuple[str, Any]]:
    state = orm_attributes.instance_state(obj)
    for attribute in state.mapper.column_attrs:
        yield attribute.key, state.dict.get(attribute.key)


def _changes(obj: object) -> dict[str, list[Any]]:
    state = orm_attributes.instance_state(obj)
    found: dict[str, list[Any]] = {}
    for attribute in state.mapper.column_attrs:
        history = state.attrs[attribute.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else state.dict.get(attribute.key)
        if old != new:
            found[attribute.key] = [old, new]
    return found


def _primary_key(obj: object) -> Any:
    state = orm_attributes.instance_state(obj)
    keys = [state.dict.get(column.key) for column in state.mapper.primary_key]
    return keys[0] if len(keys) == 1 else keys


def _redact(table: str, values: Mapping[str, Any]) -> dict[str, Any]:
    personal = PERSONAL_FIELDS.get(table, frozenset())
    return {
        key: (REDACTED if _column_of(key) in personal and value not in (None, "") else value)
        for key, value in values.items()
    }


def _column_of(parameter: str) -> str:
    """The column a bound parameter belongs to: a WHERE clause's `email_1` is `email`, so
    a Core statement that selects rows by a personal value does not log that value."""
    name, _, suffix = parameter.rpartition("_")
    return name if name and suffix.isdigit() else parameter


def _redact_changes(table: str, changes: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
    personal = PERSONAL_FIELDS.get(table, frozenset())
    return {
        key: [REDACTED if key in personal and v not in (None, "") else v for v in pair]
        for key, pair in changes.items()
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return _instant_text(value) if value.tzinfo else value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, uuid.UUID | date | Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=_plain)


def _key_text(key: Any) -> str:
    if key is None or key == "":
        return ""
    if isinstance(key, list | tuple):
        return ",".join(_key_text(part) for part in key)
    return str(_plain(key) if not isinstance(key, str) else key)[:200]


def _instant_text(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
