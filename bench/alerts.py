"""Automatic warnings: what one look costs, and whether it slows the queue's tick.

Why: the console looks for calls crossing a warning share every `[escalation]
watch_seconds`, in a thread worker; the queue's one-second tick must stay smooth (target:
a tick with 500 open calls ≤ 10 ms) while a look runs beside it.

Run from the repository root: `.venv/bin/python bench/alerts.py` with DESK_BENCH_DB pointing
at a database with some hundreds of open calls (`desk demo --calls 29000` makes about 500).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ui import FrameClock, summary  # bench/ui.py: the frame clock

LOOKS = 20
TICKS = 100


def look_cost(url: str) -> tuple[int, list[float]]:
    """Milliseconds of one look (needing_action + the watch's comparison), n times."""
    from desk_tui.config import load_settings
    from desk_tui.domain.calendar import build_calendars
    from desk_tui.domain.escalation import AlertWatch
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.services.desk import Desk
    from desk_tui.store.engine import make_engine

    settings = load_settings()
    sla = SlaEngine(build_calendars(settings.calendar), settings.sla)
    from datetime import datetime

    desk = Desk(make_engine(url), sla, lambda: datetime.now(settings.calendar.zone))
    actor = desk.actor("agent")
    watch = AlertWatch()
    times = []
    items: list = []
    for _ in range(LOOKS):
        started = time.perf_counter()
        items = desk.needing_action(actor)
        watch.update({item.row.id: item.alerts for item in items})
        times.append((time.perf_counter() - started) * 1000)
    open_calls = len(desk.queue(actor, __import__(
        "desk_tui.services.views", fromlist=["QueueFilter"]).QueueFilter(limit=100_000)))
    return open_calls, times


async def ticks(url: str, *, pause: float | None) -> list[float]:
    """Tick → frame on the queue; with `pause`, looks run beside it with that many seconds
    between them (the console's default is 30)."""
    from desk_tui.config import load_settings
    from desk_tui.ui.app import make_app
    from desk_tui.ui.screens.queue import QueueScreen
    from desk_tui.ui.widgets.call_queue import CallQueue

    os.environ["DESK_DATABASE_URL"] = url
    app = make_app(load_settings(), operator="agent")
    results: list[float] = []
    stop = threading.Event()
    async with app.run_test(size=(140, 42)) as pilot:
        while not (isinstance(app.screen, QueueScreen) and app.screen.query(CallQueue)
                   and app.screen.query_one(CallQueue).rows and app.desk is not None
                   and app.alert_notices is not None):
            await pilot.pause(0.05)
        clock = FrameClock(app)
        screen = app.screen
        if pause is not None:
            notices = app.alert_notices

            def loop() -> None:
                while not stop.is_set():
                    notices.read()
                    stop.wait(pause)

            threading.Thread(target=loop, daemon=True).start()
        await pilot.pause(0.2)
        for _ in range(TICKS):
            started = time.perf_counter()
            screen.tick()
            await clock.next_frame()
            results.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.01)
        stop.set()
        app.exit()
    return results


def main() -> int:
    from desk_tui.commands.console import prepare_textual

    prepare_textual()
    url = os.environ.get("DESK_BENCH_DB")
    if not url:
        raise SystemExit("set DESK_BENCH_DB=sqlite:///… (a demo with some hundreds of open calls)")
    open_calls, looks = look_cost(url)
    print(f"database: {url.split('///')[-1]} ({open_calls} open calls)")
    print(summary("one look (needing action + comparison), in its worker", looks))
    quiet = asyncio.run(ticks(url, pause=None))
    print(summary("queue tick → frame, no look running", quiet))
    for pause, name in ((1.0, "a look every second (30× the default)"),
                        (0.0, "looks back to back (worst case)")):
        busy = asyncio.run(ticks(url, pause=pause))
        median = statistics.median(busy)
        print(summary(f"queue tick → frame, {name}", busy),
              f"(target ≤ 10 ms) {'PASS' if median <= 10 else 'MISS'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
