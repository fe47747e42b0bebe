"""Console speed: cold start to the first painted queue, key press → picker on screen, and a
queue filter change, on a 100k-call demo database.

Why: intake must never lag behind the operator's fingers, and the queue must stay live with a
large database. Pilot's press() waits for idle in 20 ms steps, so it cannot measure this;
instead a key event is posted and the clock stops when the next frame has been rendered to
terminal text (the headless driver is made to render, not skip, each frame).

Run from the repository root: `.venv/bin/python bench/ui.py` (or `make bench`). Builds the
demo database on first use (`desk demo --calls 100000 --cis 100000`, a few minutes) in a
temp folder kept for later runs; DESK_BENCH_DB=sqlite:///… uses another.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from desk_tui.store.revision import HEAD_REVISION

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(tempfile.gettempdir()) / "desk-bench"
# Named by schema revision: a file from an older desk would stop the console at "needs
# upgrade" and leave the bench waiting for a queue that never comes.
DEFAULT_FILE = CACHE / f"ui-100k-{HEAD_REVISION}.sqlite3"
DEFAULT_DB = f"sqlite:///{DEFAULT_FILE}"
SIZE = (140, 42)
PRESSES = 200
STARTS = 9

BARE_APP = """
import sys, time
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class Bare(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.painted)

    def painted(self):
        import os
        os.write(1, f"painted {time.process_time() * 1000:.1f}\\n".encode())
        self.exit()

Bare().run(headless=True, size=(140, 42))
"""

# Textual captures print() while an app runs, so the child writes to fd 1 directly; the
# clock stops at that line, not at the exit. The child starts the console as `desk` does
# (commands/console.py: settings, then open_console); the app imports QueueScreen when it
# mounts, so a subclass put in its place is the one shown.
DEMO_PIN = "0000"  # desk_tui/demo/staff.py: every demo operator's PIN
DESK_APP = """
import os
import time
from desk_tui.config import load_settings
from desk_tui.commands.console import open_console

app = open_console(load_settings(), "agent", pin=os.environ.get("DESK_PIN"))
from textual import on
from desk_tui.ui.screens import queue

class Timed(queue.QueueScreen):
    @on(queue.QueueLoaded)
    def _painted(self, message):
        def done():
            import resource  # with the CPU of the first-queue reader's process (ended by now)
            reader = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (time.process_time() + reader.ru_utime + reader.ru_stime) * 1000
            os.write(1, f"painted {cpu:.1f} {len(message.rows)}\\n".encode())
            self.app.exit()
        self.call_after_refresh(done)

queue.QueueScreen = Timed
app.run(headless=True, size=(140, 42))
"""


def ensure_database(url: str) -> None:
    if url != DEFAULT_DB or DEFAULT_FILE.exists():
        return
    CACHE.mkdir(parents=True, exist_ok=True)
    print("building the 100k-call demo database (once) …", flush=True)
    subprocess.run(
        [sys.executable, "-m", "desk_tui", "demo", "--calls", "100000", "--cis", "100000"],
        env={**os.environ, "DESK_DATABASE_URL": url}, check=True, cwd=ROOT,
    )


def compile_bytecode() -> None:
    """Compile desk's modules as installing the wheel does: Textual's come compiled from its
    install, and with PYTHONDONTWRITEBYTECODE set (as on some machines) a source checkout
    would compile desk's on every start (~40 ms of CPU), which is not what users run."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "desk_tui")],
                   check=True, stdout=subprocess.DEVNULL)


def cold_start(code: str, env: dict[str, str]) -> tuple[float, float, float]:
    """Wall time from spawning a fresh interpreter to its first painted frame, the CPU time
    the child had used by then (steadier than wall time on a busy machine; with desk's
    forked first-queue reader, services/first_queue_preload.py), and the wall
    time to its exit (desk goes on loading in the background after the first frame)."""
    with tempfile.TemporaryFile("w+") as errors:  # a file: a full pipe would stall the child
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=errors,
            text=True, cwd=ROOT,
        )
        assert child.stdout is not None
        first_line = child.stdout.readline()
        painted = time.perf_counter() - started
        out, _ = child.communicate(timeout=120)
        exited = time.perf_counter() - started
        if not first_line.startswith("painted"):
            errors.seek(0)
            raise SystemExit(f"the app did not paint:\n{first_line}{out}\n{errors.read()[-2000:]}")
    return painted, float(first_line.split()[1]) / 1000, exited


class FrameClock:
    """Makes the headless driver render every frame to text, and notes when it did."""

    def __init__(self, app) -> None:
        self.frames = 0
        self.event = asyncio.Event()
        driver = app._driver
        type(driver).is_headless = property(lambda _self: False)  # render, don't skip

        def write(_data: str) -> None:
            self.frames += 1
            self.event.set()

        driver.write = write
        driver.flush = lambda: None

    async def next_frame(self, timeout: float = 5.0) -> None:
        self.event.clear()
        await asyncio.wait_for(self.event.wait(), timeout)


async def interactive(url: str) -> dict[str, list[float]]:
    from textual import events

    from desk_tui.config import load_settings
    from desk_tui.domain.calendar import build_calendars
    from desk_tui.services.queries import QueueFilter
    from desk_tui.ui.app import make_app
    from desk_tui.ui.screens.intake import IntakeScreen
    from desk_tui.ui.screens.queue import QueueScreen
    from desk_tui.ui.widgets.call_queue import CallQueue
    from desk_tui.ui.widgets.priority_picker import PriorityPicker

    os.environ["DESK_DATABASE_URL"] = url
    settings = load_settings()
    zone = settings.calendar.zone
    # The console's clock: the wall clock, until the ticks below set the time themselves.
    moment: list[datetime] = []
    app = make_app(settings, operator="agent", pin=DEMO_PIN,
                   clock=lambda: moment[-1] if moment else datetime.now(zone))
    results: dict[str, list[float]] = {
        "key": [], "filter": [], "filter cpu": [], "tick": [], "tick cpu": [], "second": []}
    redrawn: list[int] = []
    async with app.run_test(size=SIZE) as pilot:
        while not (isinstance(app.screen, QueueScreen) and app.screen.query(CallQueue)
                   and app.screen.query_one(CallQueue).rows and app.desk is not None):
            await pilot.pause(0.05)
        # Steady state: let the loads that follow the connection finish first.
        for _ in range(100):
            if not any(worker.is_running for worker in app.workers):
                break
            await pilot.pause(0.05)
        clock = FrameClock(app)
        screen = app.screen

        # Queue filter change: the query in its worker, the rows set, the frame on screen.
        queue_widget = screen.query_one(CallQueue)
        for index in range(30):
            before = queue_widget.rows
            started, cpu = time.perf_counter(), time.process_time()
            screen.set_filter(QueueFilter(breached=index % 2 == 0))
            while queue_widget.rows is before:
                await asyncio.sleep(0.0005)
            await clock.next_frame()
            results["filter"].append((time.perf_counter() - started) * 1000)
            results["filter cpu"].append((time.process_time() - cpu) * 1000)

        # One tick of the live queue: positions of now + redraw of the rows that changed.
        # Countdowns show minutes, so the worst case is a tick in working hours a minute
        # after the last: every running countdown on screen changes (at night none does).
        service = build_calendars(settings.calendar).service
        tomorrow = (datetime.now(zone) + timedelta(days=1)).replace(hour=0, minute=0)
        working = service.next_opening(tomorrow) + timedelta(hours=1)
        for index in range(50):
            moment.append(working + timedelta(minutes=index))
            started, cpu = time.perf_counter(), time.process_time()
            screen.tick()
            await clock.next_frame()
            results["tick"].append((time.perf_counter() - started) * 1000)
            results["tick cpu"].append((time.process_time() - cpu) * 1000)
        # What the console does each second: the main thread's CPU for a tick a second
        # later and the frame it causes, if any.
        counting = queue_widget.render_line
        lines: list[int] = []
        queue_widget.render_line = lambda y: lines.append(y) or counting(y)  # type: ignore[method-assign]
        for index in range(50):
            moment.append(working + timedelta(hours=1, seconds=index))
            lines.clear()
            started = time.thread_time()
            screen.tick()
            await asyncio.sleep(0.05)  # the frame, if any, is drawn well within this
            results["second"].append((time.thread_time() - started) * 1000)
            redrawn.append(len(lines))
        queue_widget.render_line = counting  # type: ignore[method-assign]
        results["redrawn"] = [float(count) for count in redrawn]

        # Key → picker redrawn on screen.
        app.push_screen(IntakeScreen())
        while not (isinstance(app.screen, IntakeScreen) and app.screen.query(PriorityPicker)):
            await pilot.pause(0.02)
        picker = app.screen.query_one(PriorityPicker)
        picker.focus()
        await pilot.pause(0.2)
        for index in range(PRESSES):
            key = "right" if index % 2 == 0 else "left"
            started = time.perf_counter()
            app.post_message(events.Key(key, None))
            await clock.next_frame()
            results["key"].append((time.perf_counter() - started) * 1000)
        app.exit()
    return results


def summary(name: str, values: list[float], unit: str = "ms") -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return (f"{name}: median {statistics.median(ordered):.1f} {unit}, p95 {p95:.1f} {unit}, "
            f"best {ordered[0]:.1f} {unit} (n={len(ordered)})")


def main() -> int:
    from desk_tui.commands.console import prepare_textual

    prepare_textual()  # as `desk` does, before Textual is imported
    url = os.environ.get("DESK_BENCH_DB", DEFAULT_DB)
    ensure_database(url)
    # the demo's PIN (README): the bench measures the start of an identified operator
    env = {**os.environ, "DESK_DATABASE_URL": url, "DESK_OPERATOR": "agent",
           "DESK_PIN": DEMO_PIN}
    compile_bytecode()
    bare, bare_cpu, desk, desk_cpu, desk_exit = [], [], [], [], []
    for _ in range(STARTS):  # alternated, so a busy machine slows both alike
        painted, cpu, _exited = cold_start(BARE_APP, env)
        bare.append(painted)
        bare_cpu.append(cpu)
        painted, cpu, exited = cold_start(DESK_APP, env)
        desk.append(painted)
        desk_cpu.append(cpu)
        desk_exit.append(exited)
    ratio = statistics.median(desk) / statistics.median(bare)
    cpu_ratio = statistics.median(desk_cpu) / statistics.median(bare_cpu)
    print(f"database: {url.split('///')[-1]}")
    print(summary("cold start, bare Textual app (header, table, footer)",
                  [s * 1000 for s in bare]))
    print(summary("cold start, desk to the first painted queue", [s * 1000 for s in desk]))
    print(summary("  desk to its exit right after that frame (the rest loaded)",
                  [s * 1000 for s in desk_exit]))
    print(summary("  CPU used by then, bare", [s * 1000 for s in bare_cpu]))
    print(summary("  CPU used by then, desk", [s * 1000 for s in desk_cpu]))
    print(f"ratio desk / bare: {ratio:.2f}× (target ≤ 1.5×) {'PASS' if ratio <= 1.5 else 'MISS'}"
          f"; CPU {cpu_ratio:.2f}×")
    results = asyncio.run(interactive(url))
    key = statistics.median(results["key"])
    flt = statistics.median(results["filter"])
    print(summary("key press → picker on screen", results["key"]),
          f"(target ≤ 16 ms) {'PASS' if key <= 16 else 'MISS'}")
    print(summary("queue filter change → rows on screen", results["filter"]),
          f"(target ≤ 50 ms) {'PASS' if flt <= 50 else 'MISS'}")
    print(summary("  CPU of the process for it (query worker and frame)", results["filter cpu"]))
    tick = statistics.median(results["tick"])
    print(summary("queue tick → frame, every countdown on screen changed", results["tick"]),
          f"(target ≤ 10 ms) {'PASS' if tick <= 10 else 'MISS'}")
    print(summary("  CPU of the process for it", results["tick cpu"]))
    print(summary("queue tick a second later: main-thread CPU incl. its frame",
                  results["second"]),
          f"(rows redrawn per tick: median {statistics.median(results['redrawn']):.0f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
