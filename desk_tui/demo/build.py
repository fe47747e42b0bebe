"""Build a demo database: reference data, CMDB and calls, in one transaction.

Rows go in as Core bulk inserts in batches (never one service call per row), so 100k calls
take a minute, not an hour; one transaction means an interrupted build leaves nothing
behind, and `desk demo --if-missing` can trust "has organisations" to mean "is complete".
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from desk_tui.demo.calls import CallSimulator, plan_seeds
from desk_tui.demo.categories import build_categories
from desk_tui.demo.cmdb import build_cmdb
from desk_tui.demo.contracts import build_contracts
from desk_tui.demo.crisis import build_crisis_contacts
from desk_tui.demo.ids import IdFactory, whole_seconds
from desk_tui.demo.options import DemoOptions
from desk_tui.demo.organisations import PartyRows, build_parties
from desk_tui.demo.staff import build_operators, login_lines
from desk_tui.demo.world import Row, World
from desk_tui.domain.sla import SlaEngine
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import CallStatus
from desk_tui.store.numbers import ReferenceKind, sequence_key
from desk_tui.store.search import install_ci_search, remove_ci_search
from desk_tui.store.tables import (
    CENTRAL_SITE,
    Call,
    CallCi,
    CallHistory,
    CallPause,
    Category,
    CiHistory,
    CiRelation,
    ConfigurationItem,
    Contract,
    ContractCi,
    CrisisContact,
    Department,
    EscalationContact,
    NumberSequence,
    Operator,
    OperatorRoleGrant,
    Organisation,
    OutboxMessage,
    Person,
)

BATCH = 2_000  # rows per INSERT; larger batches gained nothing measurable
CALL_CHUNK = 2_000  # calls simulated (and held in memory) at a time

# stage label, done, total: the command turns this into a progress bar.
Progress = Callable[[str, int, int], None]


class DemoRefused(RuntimeError):
    """The database already holds data; a demo is only ever written into an empty one."""


@dataclass(frozen=True, slots=True)
class DemoReport:
    now: datetime
    seed: int
    counts: dict[str, int]
    open_by_status: dict[CallStatus, int]
    logins: list[str]
    seconds: float
    sequences: dict[int, int] = field(default_factory=dict)  # year: last call number

    @property
    def open_calls(self) -> int:
        return sum(self.open_by_status.values())


def database_has_data(engine: Engine) -> bool:
    """Whether organisations, operators or calls exist (the demo's "already filled")."""
    with read_session(engine) as session:
        return _has_data(session)


def _has_data(session: Session) -> bool:
    for table in (Organisation, Operator, Call):
        if session.execute(select(table.id).limit(1)).first() is not None:
            return True
    return False


def build_demo(
    engine: Engine, sla: SlaEngine, options: DemoOptions | None = None,
    progress: Progress | None = None,
) -> DemoReport:
    """Fill an empty, upgraded database; DemoRefused if it already holds data."""
    options = options or DemoOptions()
    options.check()
    started = time.perf_counter()
    zone = sla.calendars.config.zone
    now = whole_seconds(options.now or datetime.now(zone)).astimezone(zone)
    # Two streams: the content, and the keys (so adding an id never changes the content).
    world = World(now, random.Random(options.seed), IdFactory(options.seed ^ 0x5EED_D35C))
    report = progress or (lambda _stage, _done, _total: None)
    counts: dict[str, int] = {}

    def put(table: type[Any], rows: Sequence[Row], stage: str | None = None,
            done_before: int = 0, total: int = 0) -> None:
        _insert(session, table.__table__, rows)
        name = table.__tablename__
        counts[name] = counts.get(name, 0) + len(rows)
        if stage is not None:
            report(stage, done_before + len(rows), total)

    with write_session(engine) as session:
        if _has_data(session):
            raise DemoRefused("the database already holds data; a demo needs an empty one")
        _tune(session)
        report("Organisaties en mensen", 0, 1)
        parties = build_parties(world, options.people)
        put(Organisation, parties.organisations)
        put(Department, parties.departments)
        put(Person, parties.people)
        _set_managers(session, parties.manager_updates, parties.organisations)
        put(EscalationContact, parties.escalation_contacts)
        operators, grants = build_operators(world, _manager_names(parties))
        put(Operator, operators)
        put(OperatorRoleGrant, grants)
        put(Category, build_categories(world))
        report("Organisaties en mensen", 1, 1)

        report("CMDB", 0, options.cis)
        cmdb = build_cmdb(world, options.cis, _logins(parties))
        contracts = build_contracts(world, cmdb)
        # The search index is built once over the finished table: filling it row by row
        # through its triggers took twice as long (SQLite, 100k CIs).
        remove_ci_search(session.connection())
        for start in range(0, len(cmdb.items), BATCH):
            put(ConfigurationItem, cmdb.items[start:start + BATCH], "CMDB", start, options.cis)
        install_ci_search(session.connection())
        put(CiRelation, cmdb.relations)
        put(CiHistory, cmdb.history)
        put(Contract, contracts.contracts)
        put(ContractCi, contracts.links)

        report("Meldingen", 0, options.calls)
        seeds = plan_seeds(world, sla, options.calls)
        simulator = CallSimulator(world, sla)
        simulator.keep_outbox_for(seeds)
        done = 0
        for chunk in _chunks(seeds, CALL_CHUNK):
            rows = simulator.rows(chunk)
            put(Call, rows.calls)
            put(CallPause, rows.pauses)
            put(CallHistory, rows.history)
            put(CallCi, rows.links)
            put(OutboxMessage, rows.outbox)
            done += len(chunk)
            report("Meldingen", done, options.calls)
        _set_sequences(session, simulator.max_number)
        put(CrisisContact, build_crisis_contacts(world))
        _untune(session)
    return DemoReport(
        now=now,
        seed=options.seed,
        counts=counts,
        open_by_status=dict(simulator.open_by_status),
        logins=login_lines(world),
        seconds=time.perf_counter() - started,
        sequences=dict(simulator.max_number),
    )


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _insert(session: Session, table: Table, rows: Sequence[Row]) -> None:
    for start in range(0, len(rows), BATCH):
        session.execute(insert(table), list(rows[start:start + BATCH]))


def _tune(session: Session) -> None:
    """A bigger page cache while SQLite builds the indexes of 100k-row tables."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA cache_size = -131072")  # 128 MiB


def _untune(session: Session) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA cache_size = -2000")  # the default


def _logins(parties: PartyRows) -> dict[uuid.UUID, str | None]:
    """Person id → login: the CMDB's search text holds its owners' logins."""
    return {person["id"]: person["login"] for person in parties.people}


def _manager_names(parties: PartyRows) -> dict[str, str]:
    """The people the manager logins (cm-med, im-enk) stand for."""
    names = {person["id"]: person["name"] for person in parties.people}
    codes = {row["id"]: row["code"] for row in parties.organisations}
    found: dict[str, str] = {}
    for update_row in parties.manager_updates:
        code = codes[update_row["organisation_id"]].lower()
        found[f"cm-{code}"] = names[update_row["contract_manager_id"]]
        found[f"im-{code}"] = names[update_row["information_manager_id"]]
    return found


def _set_managers(session: Session, updates: list[Row], organisations: list[Row]) -> None:
    """Organisation and person refer to each other: managers are set once people exist."""
    if not updates:
        return
    table = Organisation.__table__
    created = {row["id"]: row["created_at"] for row in organisations}
    statement = (
        update(table)
        .where(table.c.id == bindparam("organisation_id"))
        .values(
            contract_manager_id=bindparam("contract_manager"),
            information_manager_id=bindparam("information_manager"),
            updated_at=bindparam("updated"),  # explicit: onupdate would stamp the real clock
        )
    )
    session.execute(statement, [
        {"organisation_id": row["organisation_id"], "contract_manager": row["contract_manager_id"],
         "information_manager": row["information_manager_id"],
         "updated": created[row["organisation_id"]]}
        for row in updates
    ])


def _set_sequences(session: Session, last_numbers: dict[int, int]) -> None:
    """Registrations after the demo continue after its last number in each year."""
    table = NumberSequence.__table__
    for year, last in sorted(last_numbers.items()):
        name = sequence_key(ReferenceKind.CALL, CENTRAL_SITE, year)
        current = session.execute(select(table.c.value).where(table.c.name == name)).scalar()
        if current is None:
            session.execute(insert(table).values(name=name, value=last))
        elif current < last:
            session.execute(update(table).where(table.c.name == name).values(value=last))
