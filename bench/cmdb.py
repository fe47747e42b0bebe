"""CMDB search latency over a 100k-CI demo database, on SQLite and on PostgreSQL.

Why: the CMDB pane searches as the operator types (SPEC 8, issue 5: results in ≤ 20 ms p95
over 100k CIs), one search per key after a short debounce, so every prefix of what is
typed is a query. This replays what operators type, one character at a time (1 to 12
characters), for names, hostnames, asset tags, serials, IP addresses, owners' names and
logins, locations and organisations taken from the database itself, through the function
the console calls: `Desk.search_cis` (a read session and `services.cmdb.search_cis`). It
prints p50/p95/max, the statements per search, latency by prefix length and the slowest
searches; when p95 misses the target it prints the query plans of the slowest.

Three ways the pane is used: the CMDB screen (no organisation), the lookup from a call
(that organisation's CIs first, then the others when they are too few) and a
participant's contract manager (only their own CIs). On PostgreSQL each search is one
statement; on SQLite two to four (in-process, so round trips cost next to nothing).

The SQLite database is built once (`--cis 100000`, 10,000 calls: search does not read
calls) into $TMPDIR/desk-bench/, named after a hash of the demo's and the schema's source
so a changed generator builds a new one; DESK_BENCH_CMDB_DB=sqlite:///… uses another.
PostgreSQL gets a throw-away database on $DESK_TEST_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/test), skipped with the reason when unreachable;
DESK_BENCH_CMDB_PG=postgresql://… searches a database filled before instead.
Figures are reported, never failed.

Run from the repository root: `.venv/bin/python bench/cmdb.py` (or `make bench`);
`--only sqlite` or `--only postgresql` runs one engine.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select, text
from sqlalchemy.engine import URL, Engine
from throwaway_pg import postgres_database  # bench/ is on the path

from desk_tui.demo.staff import DEMO_PIN  # the demo operators' PIN

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(tempfile.gettempdir()) / "desk-bench"
CIS = 100_000
CALLS = 10_000
TERMS = 80  # things typed per scenario, each one character at a time
LONGEST_PREFIX = 12
TARGET_P95_MS = 20.0
SEED = 5150
# What operators type, and how often: (kind, share).
MIX = (
    ("name", 0.20), ("hostname", 0.14), ("asset tag", 0.14), ("serial", 0.08),
    ("ip", 0.10), ("owner", 0.14), ("login", 0.05), ("location", 0.07),
    ("organisation", 0.08),
)
_TERMS_SQL = """
SELECT ci.name, ci.hostname, ci.asset_tag, ci.serial_number, ci.ip_address, p.name,
       p.login, ci.location, o.name
FROM configuration_item ci
LEFT JOIN person p ON p.id = ci.owner_id
LEFT JOIN organisation o ON o.id = ci.organisation_id
"""
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@dataclass(frozen=True, slots=True)
class Search:
    kind: str
    typed: str


@dataclass(slots=True)
class Measured:
    seconds: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    hits: list[int] = field(default_factory=list)
    searches: list[Search] = field(default_factory=list)


class StatementCounter:
    """Counts the statements an engine sends (transaction control left out) and keeps
    the last search's, so its plan can be asked for."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        self.recent: list[tuple[str, Any]] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, parameters: Any,
              _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith(_CONTROL):
            return
        self.count += 1
        self.recent.append((statement, parameters))

    def reset(self) -> None:
        self.count = 0
        self.recent = []


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def source_digest() -> str:
    """A hash of what decides the demo database's content and schema."""
    digest = hashlib.sha256()
    for folder in ("desk_tui/demo", "desk_tui/store", "db"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".toml", ".ini", ".mako"):
                digest.update(path.relative_to(ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def build(engine: Engine) -> float:
    """Fill an empty database with the benchmark's demo; seconds taken."""
    from desk_tui.demo.build import build_demo
    from desk_tui.demo.options import DEFAULT_SEED, DemoOptions
    from desk_tui.domain.calendar import build_calendars
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.store.migrate import upgrade_database

    started = time.perf_counter()
    upgrade_database(engine)
    build_demo(engine, SlaEngine(build_calendars()),
               DemoOptions(calls=CALLS, cis=CIS, seed=DEFAULT_SEED))
    return time.perf_counter() - started


def sqlite_url() -> str:
    """The cached SQLite database, built when missing or made by older demo code."""
    from desk_tui.store.engine import make_engine

    configured = os.environ.get("DESK_BENCH_CMDB_DB")
    if configured:
        return configured
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"cmdb-100k-{source_digest()}.sqlite3"
    if not path.exists():
        for stale in CACHE.glob("cmdb-100k-*.sqlite3*"):
            stale.unlink()
        print(f"  building the {CIS:,}-CI demo database (once) …", flush=True)
        partial = path.with_suffix(".building")
        for leftover in CACHE.glob(f"{partial.name}*"):
            leftover.unlink()
        engine = make_engine(f"sqlite:///{partial}")
        try:
            seconds = build(engine)
        finally:
            engine.dispose()
        partial.rename(path)
        print(f"  built in {seconds:.0f} s", flush=True)
    return f"sqlite:///{path}"


def typed_searches(engine: Engine, count: int, rng: random.Random) -> list[Search]:
    """`count` things to type, by MIX, each as its prefixes of 1 to 12 characters."""
    from desk_tui.store.engine import read_session

    with read_session(engine) as session:
        rows = session.execute(text(_TERMS_SQL)).all()
    values = {
        kind: [row[column] for row in rows if row[column]]
        for column, (kind, _) in enumerate(MIX)
    }
    mix = [(kind, share) for kind, share in MIX if values[kind]]
    searches: list[Search] = []
    for kind in rng.choices([kind for kind, _ in mix], [share for _, share in mix], k=count):
        term = rng.choice(values[kind])
        if kind == "organisation":
            term = term.removeprefix("Gemeente ")  # "Medemblik", as people say it
        if rng.random() < 0.5:
            term = term.lower()  # most people do not bother with capitals
        for length in range(1, min(LONGEST_PREFIX, len(term)) + 1):
            prefix = term[:length]
            if prefix.strip():
                searches.append(Search(kind, prefix))
    return searches


def measure(search: Callable[[str], list[Any]], counter: StatementCounter,
            searches: list[Search]) -> Measured:
    measured = Measured()
    for wanted in searches[:30]:  # warm-up: the page cache, the statement caches
        search(wanted.typed)
    for wanted in searches:
        counter.reset()
        started = time.perf_counter()
        hits = search(wanted.typed)
        measured.seconds.append(time.perf_counter() - started)
        measured.statements.append(counter.count)
        measured.hits.append(len(hits))
        measured.searches.append(wanted)
    return measured


def by_length(measured: Measured) -> str:
    buckets: dict[str, list[float]] = defaultdict(list)
    for seconds, wanted in zip(measured.seconds, measured.searches, strict=True):
        length = len(wanted.typed)
        label = "1" if length == 1 else "2" if length == 2 else "3-5" if length <= 5 else "6-12"
        buckets[label].append(seconds * 1000)
    return ", ".join(
        f"{label} chars p95 {percentile(values, 0.95):.1f}" for label, values in
        sorted(buckets.items(), key=lambda item: int(item[0].split("-")[0]))
    )


def explain(engine: Engine, counter: StatementCounter, search: Callable[[str], list[Any]],
            typed: str) -> None:
    """The plans of the statements one search sends."""
    counter.reset()
    search(typed)
    statements = list(counter.recent)
    dialect = engine.dialect.name
    prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            print(f"      {' '.join(statement.split())[:160]} …")
            cursor.execute(prefix + statement, parameters)
            for row in cursor.fetchall():
                line = row[-1] if dialect == "sqlite" else row[0]
                print(f"        {line}")
        cursor.close()
    finally:
        connection.close()


def scenarios(engine: Engine) -> list[tuple[str, Callable[[str], list[Any]]]]:
    """(label, search) for the CMDB screen, the lookup from a call, a contract manager."""
    from desk_tui.domain.calendar import build_calendars
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.services.access import Action
    from desk_tui.services.desk import Desk
    from desk_tui.store.engine import read_session
    from desk_tui.store.models import Organisation

    desk = Desk(engine, SlaEngine(build_calendars()), lambda: datetime.now().astimezone())
    agent = desk.actor("agent", DEMO_PIN)
    with read_session(engine) as session:
        medemblik = session.execute(
            select(Organisation.id).where(Organisation.code == "MED")
        ).scalar_one()
    found: list[tuple[str, Callable[[str], list[Any]]]] = [
        ("CMDB screen (agent)", lambda typed: desk.search_cis(agent, typed)),
        ("from a call of MED (agent)", lambda typed: desk.search_cis(agent, typed, medemblik)),
    ]
    manager = desk.actor("cm-med", DEMO_PIN)
    if manager.may(Action.CMDB_READ):
        found.append(("contract manager MED", lambda typed: desk.search_cis(manager, typed)))
    return found


# Items whose outage reaches far, and one that reaches nothing: (label, SQL condition);
# of each, the one with the most relations pointing at it.
IMPACT_OF = (
    ("datacentre firewall", "hostname LIKE 'dsm-fw-%'"),
    ("core switch", "hostname LIKE 'dsm-cs-%'"),
    ("physical host", "hostname LIKE 'dsm-esx-%'"),
    ("sign-in (Entra ID)", "name = 'Microsoft Entra ID DSM'"),
    ("site switch MED", "hostname LIKE 'med-sw-%'"),
    ("workstation MED", "hostname LIKE 'med-wp-%'"),
)


def impact_and_detail(engine: Engine, counter: StatementCounter) -> None:
    """The CI view and the impact view of a few items (no target; for comparison)."""
    from desk_tui.domain.calendar import build_calendars
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.services.desk import Desk
    from desk_tui.store.engine import read_session
    from desk_tui.store.models import CiRelation, ConfigurationItem

    desk = Desk(engine, SlaEngine(build_calendars()), lambda: datetime.now().astimezone())
    if not hasattr(desk, "ci_impact") or not hasattr(desk, "ci_detail"):
        print("  impact and CI view: skipped (Desk has no ci_impact / ci_detail)")
        return
    agent = desk.actor("agent", DEMO_PIN)
    for label, condition in IMPACT_OF:
        with read_session(engine) as session:
            dependents = (
                select(func.count()).where(CiRelation.to_ci_id == ConfigurationItem.id)
                .scalar_subquery()
            )
            ci_id = session.execute(  # the one most others lean on: the worst case
                select(ConfigurationItem.id).where(text(condition))
                .order_by(dependents.desc(), ConfigurationItem.name).limit(1)
            ).scalar()
        if ci_id is None:
            continue
        timings = []
        for _ in range(3):
            counter.reset()
            started = time.perf_counter()
            report = desk.ci_impact(agent, ci_id)
            timings.append((time.perf_counter() - started) * 1000)
        statements = counter.count
        started = time.perf_counter()
        desk.ci_detail(agent, ci_id)
        detail = (time.perf_counter() - started) * 1000
        print(f"  impact of {label:<20} {min(timings):7.1f} ms best of 3 ({statements}"
              f" statements): {len(report.affected):6,} CIs affected,"
              f" {len(report.open_calls):4} open calls; CI view {detail:6.1f} ms")


def bench(label: str, url: str | URL) -> None:
    from desk_tui.store.engine import make_engine, mask_url

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            items = connection.execute(text("SELECT count(*) FROM configuration_item")).scalar()
        print(f"{label}: {mask_url(url)} ({items:,} CIs)")
        counter = StatementCounter(engine)
        searches = typed_searches(engine, TERMS, random.Random(SEED))
        for name, search in scenarios(engine):
            measured = measure(search, counter, searches)
            milliseconds = [seconds * 1000 for seconds in measured.seconds]
            p95 = percentile(milliseconds, 0.95)
            verdict = "PASS" if p95 <= TARGET_P95_MS else "MISS"
            print(f"  {name:<28} p50 {statistics.median(milliseconds):5.1f} ms, p95"
                  f" {p95:5.1f} ms, max {max(milliseconds):6.1f} ms; statements per search"
                  f" {min(measured.statements)}–{max(measured.statements)}; {len(milliseconds)}"
                  f" searches, {statistics.mean(measured.hits):.0f} hits on average"
                  f"  (target p95 ≤ {TARGET_P95_MS:.0f} ms) {verdict}")
            print(f"    by prefix length: {by_length(measured)}")
            slowest = sorted(zip(milliseconds, measured.searches, strict=True),
                             key=lambda pair: pair[0], reverse=True)
            shown = ", ".join(f"{wanted.typed!r} ({wanted.kind}) {ms:.1f}"
                              for ms, wanted in slowest[:5])
            print(f"    slowest (ms): {shown}")
            if verdict == "MISS":
                print("    query plans of the slowest searches:")
                seen: set[str] = set()
                for _, wanted in slowest:
                    if wanted.typed.lower() in seen:
                        continue
                    seen.add(wanted.typed.lower())
                    print(f"    {wanted.typed!r}:")
                    explain(engine, counter, search, wanted.typed)
                    if len(seen) == 2:
                        break
        impact_and_detail(engine, counter)
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args(argv)
    print(f"desk CMDB search benchmark: {TERMS} terms typed one character at a time"
          f" (1–{LONGEST_PREFIX} characters) per scenario, through Desk.search_cis")
    if args.only in (None, "sqlite"):
        bench("SQLite", sqlite_url())
    if args.only in (None, "postgresql"):
        existing = os.environ.get("DESK_BENCH_CMDB_PG")
        if existing:  # a database filled before, kept between runs
            bench("PostgreSQL", existing)
            return 0
        with postgres_database("desk_bench_cmdb") as target:
            if isinstance(target, str):
                print(f"PostgreSQL: skipped ({target})")
            else:
                from desk_tui.store.engine import make_engine

                engine = make_engine(target)
                try:
                    print(f"  PostgreSQL: building the {CIS:,}-CI demo …", flush=True)
                    print(f"  built in {build(engine):.0f} s", flush=True)
                    # Autovacuum would gather the planner's statistics within a minute
                    # of a bulk load; a benchmark that starts at once does it itself.
                    with engine.begin() as connection:
                        connection.exec_driver_sql("ANALYZE")
                finally:
                    engine.dispose()
                bench("PostgreSQL", target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
