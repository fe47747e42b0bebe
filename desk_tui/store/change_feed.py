"""Tell a console, within a second, that another operator changed something.

PostgreSQL: a trigger on `call` and the crisis tables sends NOTIFY on channel
`desk_change` with "schema table id" (installed by the migration); a watcher LISTENs on a
connection of its own. SQLite has no notifications: the watcher polls `PRAGMA
data_version` on a dedicated connection, which changes whenever another connection
committed (cheap: no table is read). Either way the watcher runs in a daemon thread and
hands a `DataChange` to a callback; it never touches the UI.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection, Engine

log = logging.getLogger("desk.change_feed")

CHANNEL = "desk_change"
CALL_TABLE = "call"
CRISIS_TABLES = frozenset({"grip_level", "crisis_contact"})
NOTIFYING_TABLES = (CALL_TABLE, *sorted(CRISIS_TABLES))
SQLITE_POLL_SECONDS = 0.5
POSTGRES_WAIT_SECONDS = 0.25  # how often the listener looks whether it should stop
POSTGRES_GATHER_SECONDS = 0.02  # notices of one burst (a transaction, a bulk change) as one
RECONNECT_SECONDS = (1.0, 2.0, 5.0, 10.0)


@dataclass(frozen=True, slots=True)
class DataChange:
    """What changed, as far as the database can tell: `call_ids` None means "maybe any
    call" (SQLite says only that something changed; a reconnect may have missed some)."""

    call_ids: frozenset[uuid.UUID] | None
    crisis: bool

    def concerns_call(self, call_id: uuid.UUID) -> bool:
        return self.call_ids is None or call_id in self.call_ids

    @property
    def calls(self) -> bool:
        return self.call_ids is None or bool(self.call_ids)


ANYTHING = DataChange(call_ids=None, crisis=True)
ChangeCallback = Callable[[DataChange], None]


def change_from_payloads(payloads: Iterable[str], schema: str) -> DataChange | None:
    """One DataChange from NOTIFY payloads ("schema table id"); other schemas' are ignored."""
    call_ids: set[uuid.UUID] = set()
    crisis = False
    for payload in payloads:
        parts = payload.split(" ")
        if len(parts) != 3 or parts[0] != schema:
            continue
        if parts[1] == CALL_TABLE:
            try:
                call_ids.add(uuid.UUID(parts[2]))
            except ValueError:
                continue
        elif parts[1] in CRISIS_TABLES:
            crisis = True
    if not call_ids and not crisis:
        return None
    return DataChange(frozenset(call_ids), crisis)


# -- the trigger (PostgreSQL only) ---------------------------------------------------------
_FUNCTION = f"""
CREATE OR REPLACE FUNCTION desk_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', TG_TABLE_SCHEMA || ' ' || TG_TABLE_NAME || ' ' ||
        CASE WHEN TG_OP = 'DELETE' THEN OLD.id::text ELSE NEW.id::text END);
    RETURN NULL;
END
$$
"""


def install_change_notices(connection: Connection) -> None:
    """The NOTIFY trigger on PostgreSQL (delivered at commit); nothing on SQLite."""
    if connection.dialect.name != "postgresql":
        return
    connection.exec_driver_sql(_FUNCTION)
    for table in NOTIFYING_TABLES:
        connection.exec_driver_sql(
            f'CREATE TRIGGER "{table}_notify_change" AFTER INSERT OR UPDATE OR DELETE'
            f' ON "{table}" FOR EACH ROW EXECUTE FUNCTION desk_notify_change()'
        )


def remove_change_notices(connection: Connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    for table in NOTIFYING_TABLES:
        connection.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{table}_notify_change" ON "{table}"')
    connection.exec_driver_sql("DROP FUNCTION IF EXISTS desk_notify_change()")


# -- the watcher -----------------------------------------------------------------------------
class ChangeWatcher:
    """A daemon thread that calls `on_change` (in that thread) when the database changed."""

    def __init__(self, engine: Engine, on_change: ChangeCallback) -> None:
        self.engine = engine
        self.on_change = on_change
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.ready = threading.Event()  # set once the watcher listens (tests wait on it)

    def start(self) -> None:
        if self._thread is not None:
            return
        target = self._watch_sqlite if self.engine.dialect.name == "sqlite" else self._watch_pg
        self._thread = threading.Thread(target=self._run, args=(target,),
                                        name="desk-change-watcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Ask the thread to end; wait up to `timeout` (0: do not wait, it is a daemon)."""
        self._stop.set()
        if self._thread is not None and timeout > 0:
            self._thread.join(timeout)
            self._thread = None

    def _run(self, watch: Callable[[], None]) -> None:
        """Watch; when the connection fails, wait and watch again (and report ANYTHING
        then, since changes may have been missed meanwhile)."""
        failures = 0
        while not self._stop.is_set():
            try:
                watch()
                return
            except Exception as error:  # a dropped connection, a server restart
                delay = RECONNECT_SECONDS[min(failures, len(RECONNECT_SECONDS) - 1)]
                failures += 1
                log.warning("change watcher lost its connection (%s); again in %.0f s",
                            error, delay)
                self.ready.clear()
                if self._stop.wait(delay):
                    return
                self._emit(ANYTHING)

    def _emit(self, change: DataChange) -> None:
        try:
            self.on_change(change)
        except Exception:  # the app is closing; the watcher must not die noisily
            log.debug("change callback failed", exc_info=True)

    def _watch_sqlite(self) -> None:
        import sqlite3

        path = self.engine.url.database
        if not path or path == ":memory:":
            return  # nobody else can change a private in-memory database
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            connection.execute("PRAGMA busy_timeout = 5000")
            seen = connection.execute("PRAGMA data_version").fetchone()[0]
            self.ready.set()
            while not self._stop.wait(SQLITE_POLL_SECONDS):
                version = connection.execute("PRAGMA data_version").fetchone()[0]
                if version != seen:
                    seen = version
                    self._emit(ANYTHING)
        finally:
            connection.close()

    def _watch_pg(self) -> None:
        proxied = self.engine.raw_connection()
        proxied.detach()  # ours for good: a LISTENing connection must not go back to a pool
        connection: Any = proxied.dbapi_connection
        try:
            connection.autocommit = True
            connection.execute(f"LISTEN {CHANNEL}")
            schema = connection.execute("SELECT current_schema()").fetchone()[0]
            self.ready.set()
            while not self._stop.is_set():
                # Wake at the first notice, then gather what the same burst brought.
                payloads = [notice.payload for notice in connection.notifies(
                    timeout=POSTGRES_WAIT_SECONDS, stop_after=1)]
                if payloads:
                    payloads += [notice.payload for notice in connection.notifies(
                        timeout=POSTGRES_GATHER_SECONDS)]
                change = change_from_payloads(payloads, schema)
                if change is not None:
                    self._emit(change)
        finally:
            proxied.close()
