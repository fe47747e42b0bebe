"""How soon a console hears another process's commit: the change watcher's latency on
SQLite (PRAGMA data_version poll) and PostgreSQL (LISTEN/NOTIFY), from the writer's
commit to the watcher's callback. Run from the repository root:
`.venv/bin/python bench/refresh.py [ROUNDS]`."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from throwaway_pg import postgres_database  # bench/ is on the path

from desk_tui.store.change_feed import ChangeWatcher
from desk_tui.store.engine import make_engine, write_session
from desk_tui.store.migrate import upgrade_database
from desk_tui.store.models import Call, Organisation

WRITER = """
import sys, time
from sqlalchemy import update
from desk_tui.store.engine import make_engine, write_session
from desk_tui.store.models import Call
engine = make_engine(sys.argv[1])
for round in range(int(sys.argv[2])):
    time.sleep(0.6)
    with write_session(engine) as session:
        session.execute(update(Call).values(subject=f"ronde {round}", version=Call.version + 1))
    print(time.monotonic(), flush=True)
"""


def seed(url: str) -> None:
    engine = make_engine(url)
    upgrade_database(engine)
    with write_session(engine) as session:
        organisation = Organisation(name="Gemeente Enkhuizen", code="ENK")
        session.add(organisation)
        session.flush()
        session.add(Call(year=2026, number=1, organisation_id=organisation.id,
                         subject="bench", id=uuid.uuid4()))
    engine.dispose()


def bench(name: str, url: str, rounds: int) -> None:
    seed(url)
    engine = make_engine(url)
    heard: list[float] = []
    watcher = ChangeWatcher(engine, lambda _change: heard.append(time.monotonic()))
    watcher.start()
    watcher.ready.wait(10)
    done = subprocess.run([sys.executable, "-c", WRITER, url, str(rounds)],
                          capture_output=True, text=True, check=True)
    time.sleep(1.0)
    watcher.stop()
    engine.dispose()
    latencies = []
    for line in done.stdout.split():
        committed = float(line)
        after = [t for t in heard if t >= committed]
        if after:
            latencies.append((after[0] - committed) * 1000)
    print(f"{name}: {len(latencies)}/{rounds} commits heard; latency ms median "
          f"{statistics.median(latencies):.0f}, max {max(latencies):.0f}")


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with tempfile.TemporaryDirectory() as folder:
        bench("SQLite", f"sqlite:///{Path(folder) / 'refresh.sqlite3'}", rounds)
    with postgres_database("desk_refresh") as target:
        if isinstance(target, str):
            print(f"PostgreSQL: skipped ({target})")
        else:
            bench("PostgreSQL", target.render_as_string(hide_password=False), rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
