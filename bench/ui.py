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
STARTS = 5

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
        os.write(1, b"painted\\n")
        self.exit()

Bare().run(headless=True, size=(140, 42))
"""

# Textual captures print() while an app runs, so the child writes to fd 1 directly; the
# clock stops at that line, not at the exit. The app imports QueueScreen when it mounts,
# so a subclass put in its place is the one shown.
DEMO_PIN = "0000"  # desk_tui/demo/staff.py: every demo operator's PIN
DESK_APP = """
import os
from desk_tui.commands.console import prepare_textual
prepare_textual()
from textual import on
from desk_tui.config import load_settings
from desk_tui.ui.app import make_app
from desk_tui.ui.screens import queue

class Timed(queue.QueueScreen):
    @on(queue.QueueLoaded)
    def _painted(self, message):
        def done():
            os.write(1, f"painted {len(message.rows)}\\n".encode())
            self.app.exit()
        self.call_after_refresh(done)

queue.QueueScreen = Timed
app = make_app(load_settings(), operator="agent", pin=os.environ.get("DESK_PIN"))
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


def cold_start(code: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall time from spawning a fresh interpreter to its first painted frame, and to its
    exit (desk goes on loading in the background after the first frame)."""
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
    return painted, exited


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
    from desk_tui.services.queries import QueueFilter
    from desk_tui.ui.app import make_app
    from desk_tui.ui.screens.intake import IntakeScreen
    from desk_tui.ui.screens.queue import QueueScreen
    from desk_tui.ui.widgets.call_queue import CallQueue
    from desk_tui.ui.widgets.priority_picker import PriorityPicker

    os.environ["DESK_DATABASE_URL"] = url
    app = make_app(load_settings(), operator="agent", pin=DEMO_PIN)
    results: dict[str, list[float]] = {"key": [], "filter": [], "tick": []}
    async with app.run_test(size=SIZE) as pilot:
        while not (isinstance(app.screen, QueueScreen) and app.screen.query(CallQueue)
                   and app.screen.query_one(CallQueue).rows and app.desk is not None):
            await pilot.pause(0.05)
        clock = FrameClock(app)
        screen = app.screen

        # Queue filter change: the query in its worker, the rows set, the frame on screen.
        queue_widget = screen.query_one(CallQueue)
        for index in range(30):
            before = queue_widget.rows
            started = time.perf_counter()
            screen.set_filter(QueueFilter(breached=index % 2 == 0))
            while queue_widget.rows is before:
                await asyncio.sleep(0.0005)
            await clock.next_frame()
            results["filter"].append((time.perf_counter() - started) * 1000)

        # One tick of the live queue: positions of now + redraw of the visible rows.
        for _ in range(50):
            started = time.perf_counter()
            screen.tick()
            await clock.next_frame()
            results["tick"].append((time.perf_counter() - started) * 1000)

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
    bare, desk, desk_exit = [], [], []
    for _ in range(STARTS):  # alternated, so a busy machine slows both alike
        bare.append(cold_start(BARE_APP, env)[0])
        painted, exited = cold_start(DESK_APP, env)
        desk.append(painted)
        desk_exit.append(exited)
    ratio = statistics.median(desk) / statistics.median(bare)
    print(f"database: {url.split('///')[-1]}")
    print(summary("cold start, bare Textual app (header, table, footer)",
                  [s * 1000 for s in bare]))
    print(summary("cold start, desk to the first painted queue", [s * 1000 for s in desk]))
    print(summary("  desk to its exit right after that frame (the rest loaded)",
                  [s * 1000 for s in desk_exit]))
    print(f"ratio desk / bare: {ratio:.2f}× (target ≤ 1.5×) {'PASS' if ratio <= 1.5 else 'MISS'}")
    results = asyncio.run(interactive(url))
    key = statistics.median(results["key"])
    flt = statistics.median(results["filter"])
    print(summary("key press → picker on screen", results["key"]),
          f"(target ≤ 16 ms) {'PASS' if key <= 16 else 'MISS'}")
    print(summary("queue filter change → rows on screen", results["filter"]),
          f"(target ≤ 50 ms) {'PASS' if flt <= 50 else 'MISS'}")
    print(summary("queue tick → frame", results["tick"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
