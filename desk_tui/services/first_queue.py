"""The queue the console paints first, read from a SQLite file with the stdlib driver.

SQLAlchemy and the table classes take longer to import than Textual itself; this read
needs neither, so the live queue is on screen while the rest of desk loads. It reads the
same open calls as `queries.open_queue` with the default filter (tests/services/
test_first_queue.py holds the two equal) in one snapshot, and only from a database stamped
with this build's revision: for anything else it answers None and the full connection,
which comes next anyway, explains.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

from desk_tui.domain.calendar import Pause
from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.crisis import CRISIS_FROM_LEVEL
from desk_tui.domain.sla import Handler, SlaEngine
from desk_tui.services import identity
from desk_tui.services.access import Action, Actor, grants_for
from desk_tui.services.queue import OpenCall, queue_rows
from desk_tui.services.views import FirstQueue, QueueFilter, Status, SupportLine
from desk_tui.store.enums import OPEN_CALL_STATUSES, OperatorRole
from desk_tui.store.references import ReferenceKind, format_reference
from desk_tui.store.revision import HEAD_REVISION

_SQLITE_PREFIXES = ("sqlite:///", "sqlite+pysqlite:///")

# Columns as OpenCall lists them (the reference from site, year and number), ordered and
# limited as open_queue does: crisis calls (their organisation at GRIP 3+ since before they
# were registered) first, so the limit never drops one, then the next target to run out.
_OPEN_CALLS = f"""
SELECT call.id, call.site, call.year, call.number, organisation.code, person.name,
       call.subject, call.call_type, call.impact, call.urgency, call.priority, call.status,
       handler.display_name, call.line, call.handled_by, call.registered_at,
       call.reacted_at, call.resolved_at, call.version
FROM call
JOIN organisation ON organisation.id = call.organisation_id
LEFT OUTER JOIN person ON person.id = call.caller_id
LEFT OUTER JOIN operator AS handler ON handler.id = call.handler_id
LEFT OUTER JOIN grip_level AS crisis ON crisis.organisation_id = call.organisation_id
     AND crisis.ended_at IS NULL AND crisis.level >= {CRISIS_FROM_LEVEL:d}
     AND crisis.crisis_since IS NOT NULL
WHERE call.status IN ({", ".join("?" * len(OPEN_CALL_STATUSES))}) {{visible}}
ORDER BY CASE WHEN call.registered_at >= crisis.crisis_since THEN 0 ELSE 1 END,
         CASE WHEN call.reacted_at IS NULL THEN call.reaction_due
              ELSE call.resolution_due END IS NULL,
         CASE WHEN call.reacted_at IS NULL THEN call.reaction_due
              ELSE call.resolution_due END,
         call.registered_at
LIMIT ?
"""


Clock = Callable[[], datetime]


def sqlite_file(url: str) -> Path | None:
    """The file of a plain `sqlite:///PATH` URL, as store.engine resolves it; None for
    PostgreSQL, in-memory databases and URLs with options (the full connection reads those)."""
    prefix = next((p for p in _SQLITE_PREFIXES if url.startswith(p)), None)
    if prefix is None:
        return None
    database = url[len(prefix):]
    if not database or database == ":memory:" or database.startswith("file:") or any(
        mark in database for mark in "?#"
    ):
        return None
    return Path(unquote(database)).expanduser().absolute()


def read_first_queue(
    path: Path, login: str, *, sla: SlaEngine, clock: Clock, pin: str | None = None
) -> FirstQueue | None:
    """The operator and their open queue (default filter); None when this is not a current
    desk database, the operator may not read the queue here, or is not yet identified
    (services/identity.py's rule, checked read-only: the full connection that follows
    records the attempt, and asks for the PIN)."""
    query = QueueFilter()
    try:
        # mode=rw: never create a file that is not there.
        connection = sqlite3.connect(
            f"{path.as_uri()}?mode=rw", uri=True, timeout=10.0, isolation_level=None
        )
    except sqlite3.Error:
        return None
    try:
        connection.execute("BEGIN")  # one snapshot for every read below
        stamped = [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]
        if stamped != [HEAD_REVISION]:
            return None
        actor = _actor(connection, path, login, pin, clock())
        if actor is None or not actor.may(Action.CALL_READ):
            return None
        calls = _open_calls(connection, actor, query.limit)
        pauses = _pauses(connection, [call.id for call in calls])
        crisis_since = _crisis_since(connection)
    except (sqlite3.Error, ValueError):  # ValueError: a value this build does not know
        return None
    finally:
        connection.close()  # ends the read transaction
    rows = queue_rows(calls, pauses, sla=sla, now=clock(), sort=query.sort,
                      crisis_since=crisis_since)
    return FirstQueue(actor, rows, query, sla, clock)


def _actor(
    connection: sqlite3.Connection, path: Path, login: str, pin: str | None, now: datetime
) -> Actor | None:
    found = connection.execute(
        "SELECT id, login, display_name, line, organisation_id, active, pin_hash,"
        " locked_until FROM operator WHERE login = ?", (login,),
    ).fetchone()
    if found is None or not found[5]:
        return None
    operator_id, login, display_name, line, organisation_id, active, pin_hash, locked = found
    if locked is not None and now < _instant(locked):
        return None
    if pin_hash is None:
        if not identity.sqlite_file_is_users_own(path):
            return None
    elif pin is None or not identity.pin_matches(pin, pin_hash):
        return None
    roles = frozenset(OperatorRole(role) for (role,) in connection.execute(
        "SELECT role FROM operator_role WHERE operator_id = ?", (operator_id,)
    ))
    permissions = connection.execute(
        "SELECT p.role, p.action FROM role_permission p JOIN operator_role r"
        " ON r.role = p.role WHERE r.operator_id = ?", (operator_id,)
    ).fetchall()
    return Actor(
        id=uuid.UUID(operator_id),
        login=login,
        display_name=display_name,
        roles=roles,
        grants=grants_for(roles, permissions),
        line=SupportLine(line),
        organisation_id=_uuid(organisation_id),
        active=bool(active),
    )


def _open_calls(connection: sqlite3.Connection, actor: Actor, limit: int) -> list[OpenCall]:
    parameters: list[object] = [status.value for status in OPEN_CALL_STATUSES]
    visible = ""
    if not actor.sees_all_organisations:
        visible = "AND call.organisation_id = ?"
        parameters.append(_uuid_text(actor.organisation_id))
    statement = _OPEN_CALLS.format(visible=visible)
    calls = []
    for row in connection.execute(statement, (*parameters, limit)):
        (id_, site, year, number, code, caller, subject, call_type, impact, urgency,
         priority, status, handler, line, handled_by, registered, reacted, resolved,
         version) = row
        calls.append(OpenCall(
            uuid.UUID(id_), format_reference(ReferenceKind.CALL, site, year, number), code,
            caller, subject,
            CallType(call_type), _level(impact), _level(urgency), priority, Status(status),
            handler, SupportLine(line), Handler(handled_by), _instant(registered),
            _optional_instant(reacted), _optional_instant(resolved), version,
        ))
    return calls


def _crisis_since(connection: sqlite3.Connection) -> dict[str, datetime]:
    """As services/crisis.crisis_since_by_code: organisations at GRIP 3+ now."""
    rows = connection.execute(
        "SELECT organisation.code, grip_level.crisis_since FROM grip_level"
        " JOIN organisation ON organisation.id = grip_level.organisation_id"
        " WHERE grip_level.ended_at IS NULL AND grip_level.level >= 3"
        " AND grip_level.crisis_since IS NOT NULL"
    )
    return {code: _instant(since) for code, since in rows}


def _pauses(
    connection: sqlite3.Connection, call_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[Pause]]:
    found: dict[uuid.UUID, list[Pause]] = defaultdict(list)
    for start in range(0, len(call_ids), 500):
        chunk = [call_id.hex for call_id in call_ids[start : start + 500]]
        rows = connection.execute(
            "SELECT call_id, started_at, ended_at FROM call_pause"
            f" WHERE call_id IN ({', '.join('?' * len(chunk))}) ORDER BY started_at",
            chunk,
        )
        for call_id, begin, end in rows:
            found[uuid.UUID(call_id)].append((_instant(begin), _optional_instant(end)))
    return found


def _instant(text: str) -> datetime:
    """SQLAlchemy's SQLite DATETIME text, which store.types.UtcDateTime writes in UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _optional_instant(text: str | None) -> datetime | None:
    return None if text is None else _instant(text)


def _level(value: str | None) -> Level | None:
    return None if value is None else Level(value)


def _uuid(value: str | None) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(value)


def _uuid_text(value: uuid.UUID | None) -> str | None:
    """A UUID as SQLAlchemy's Uuid type stores it on SQLite: 32 hex digits."""
    return None if value is None else value.hex

