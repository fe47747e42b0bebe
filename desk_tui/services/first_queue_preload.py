"""The console's first queue, started before Textual is imported (see FirstQueuePreload).

This module imports nothing of desk's on purpose: the reader imports what it needs, so the
main thread goes straight on to import Textual.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desk_tui.config import Settings
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.services.views import FirstQueue

Clock = Callable[[], datetime]
# The longest the console waits for the early queue: the reads take a tenth of a second,
# SQLite waits up to 10 s for a locked file.
WAIT_SECONDS = 15.0
# What the reading process sends back: the FirstQueue without its engine and clock, which
# are the console's own (a clock is a closure, an engine holds closures).
Payload = tuple[object, list[object], object] | None


def can_fork() -> bool:
    """A forked reader on Linux, while this is the process's only thread (as when `desk`
    starts): a fork copies no other thread, nor releases locks they hold. Elsewhere (no
    fork, or fork unsafe once system libraries are loaded, as on macOS) the reads run in a
    thread."""
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and threading.active_count() == 1)


class FirstQueuePreload:
    """The SLA engine and the first queue (with the PIN check), read while Textual is
    imported.

    On Linux the reads run in a forked process: importing desk's services, building the
    calendars and computing the rows is Python work that, in a thread, takes turns with
    Textual's import for the GIL and made it ~45 ms slower. The child sends the operator,
    rows and filter back through a pipe; a thread here receives them (the reads release
    the GIL) and builds the console's own engine for the same year, so positions agree.
    Elsewhere a thread does it all (scrypt and SQLite release the GIL there too).
    Anything that goes wrong only means no early queue: the full connection that follows
    reads, checks and reports as it always does."""

    def __init__(self, settings: Settings, login: str, pin: str | None, clock: Clock, *,
                 fork: bool | None = None) -> None:
        self.login = login
        self._sla: SlaEngine | None = None
        self._first: FirstQueue | None = None
        self._sla_ready = threading.Event()
        self._done = threading.Event()
        # One origin for the child's positions and the engine here (WorkCalendar counts
        # from 1 January of the year it is built in).
        year = datetime.now(settings.calendar.zone).year
        target: Callable[..., None] = self._read
        args: tuple[object, ...] = (settings, pin, clock, year)
        if fork if fork is not None else can_fork():
            try:
                child = self._fork(settings, pin, clock, year)
            except OSError:  # no process or pipe to be had: the thread does it
                pass
            else:
                target, args = self._receive, (child, settings, clock, year)
        self._thread = threading.Thread(target=target, args=args, name="desk-first-queue",
                                        daemon=True)
        self._thread.start()

    def _fork(self, settings: Settings, pin: str | None, clock: Clock,
              year: int) -> tuple[int, int]:
        """Start the reading child; its pid and the pipe's end to read its answer from."""
        readable, writable = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: read, answer, and leave without running the parent's exits
            status = 1
            try:
                os.close(readable)
                payload = _payload(_read_first(settings, self.login, pin, clock, year)[1])
                with os.fdopen(writable, "wb") as answer:
                    answer.write(payload)
                status = 0
            finally:
                os._exit(status)
        os.close(writable)
        return pid, readable

    def _receive(self, child: tuple[int, int], settings: Settings, clock: Clock,
                 year: int) -> None:
        pid, readable = child
        try:
            try:
                self._sla = _engine(settings, year)
            finally:
                self._sla_ready.set()
                data = _answer_of(pid, readable)
            # The child writes only a whole answer; one cut short does not unpickle.
            payload: Payload = pickle.loads(data) if data else None
            if payload is not None:
                from desk_tui.services.views import FirstQueue

                actor, rows, query = payload
                self._first = FirstQueue(actor, rows, query, self._sla, clock)  # type: ignore[arg-type]
        except Exception:  # see the class docstring
            self._first = None
        finally:
            self._sla_ready.set()
            self._done.set()

    def _read(self, settings: Settings, pin: str | None, clock: Clock, year: int) -> None:
        try:
            self._sla, self._first = _read_first(settings, self.login, pin, clock, year,
                                                 on_engine=self._engine_built)
        except Exception:  # see the class docstring
            self._first = None
        finally:
            self._sla_ready.set()
            self._done.set()

    def _engine_built(self, sla: SlaEngine) -> None:
        self._sla = sla
        self._sla_ready.set()

    def sla(self) -> SlaEngine | None:
        """The engine the first queue was timed with (None if it could not be built)."""
        self._sla_ready.wait(WAIT_SECONDS)
        return self._sla

    def ready(self) -> bool:
        """Whether the reads are done: first_queue() answers without waiting."""
        return self._done.is_set()

    def first_queue(self) -> FirstQueue | None:
        """The first queue, once; None when there is none to show early, nor after
        WAIT_SECONDS (a reader stuck on the file: the full connection then says why)."""
        if not self._done.wait(WAIT_SECONDS):
            return None
        first, self._first = self._first, None
        return first


def _answer_of(pid: int, readable: int) -> bytes:
    """Everything the child wrote (read first: a child blocked on a full pipe never ends),
    then the child reaped; b"" if the pipe cannot be read."""
    try:
        with os.fdopen(readable, "rb") as answer:
            return answer.read()
    except OSError:
        return b""
    finally:
        # SIGCHLD ignored by whoever started desk: the child has been reaped already.
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _engine(settings: Settings, year: int) -> SlaEngine:
    from desk_tui.domain.calendar import build_calendars
    from desk_tui.domain.sla import SlaEngine

    return SlaEngine(build_calendars(settings.calendar, first_year=year), settings.sla)


def _read_first(settings: Settings, login: str, pin: str | None, clock: Clock, year: int,
                on_engine: Callable[[SlaEngine], None] | None = None,
                ) -> tuple[SlaEngine, FirstQueue | None]:
    """The engine, then the first queue from a plain SQLite file (None otherwise)."""
    from desk_tui.services.first_queue import read_first_queue, sqlite_file

    sla = _engine(settings, year)
    if on_engine is not None:
        on_engine(sla)
    path = sqlite_file(settings.resolved_database_url())
    if path is None:
        return sla, None
    return sla, read_first_queue(path, login, sla=sla, clock=clock, pin=pin)


def _payload(first: FirstQueue | None) -> bytes:
    return pickle.dumps(None if first is None else (first.actor, first.rows, first.query))
