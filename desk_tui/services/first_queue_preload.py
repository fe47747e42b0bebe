"""The console's first queue, started before Textual is imported (see FirstQueuePreload).

This module imports nothing of desk's on purpose: the thread imports what it needs, so the
main thread goes straight on to import Textual.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desk_tui.config import Settings
    from desk_tui.domain.sla import SlaEngine
    from desk_tui.services.first_queue import FirstQueue

Clock = Callable[[], datetime]


class FirstQueuePreload:
    """The SLA engine and the first queue (with the PIN check), read in a thread started
    before Textual is imported. scrypt and SQLite release the GIL, so on a second core the
    PIN check and the reads overlap Textual's import instead of following the first frame.
    Anything that goes wrong here only means no early queue: the full connection that
    follows reads, checks and reports as it always does."""

    def __init__(self, settings: Settings, login: str, pin: str | None, clock: Clock) -> None:
        self.login = login
        self._sla: SlaEngine | None = None
        self._first: FirstQueue | None = None
        self._sla_ready = threading.Event()
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._read, args=(settings, pin, clock), name="desk-first-queue", daemon=True
        )
        self._thread.start()

    def _read(self, settings: Settings, pin: str | None, clock: Clock) -> None:
        try:
            from desk_tui.domain.calendar import build_calendars
            from desk_tui.domain.sla import SlaEngine
            from desk_tui.services.first_queue import read_first_queue, sqlite_file

            self._sla = SlaEngine(build_calendars(settings.calendar), settings.sla)
            self._sla_ready.set()
            path = sqlite_file(settings.resolved_database_url())
            if path is not None:
                self._first = read_first_queue(path, self.login, sla=self._sla, clock=clock,
                                               pin=pin)
        except Exception:  # see the class docstring
            self._first = None
        finally:
            self._sla_ready.set()
            self._done.set()

    def sla(self) -> SlaEngine | None:
        """The engine the first queue was timed with (None if it could not be built)."""
        self._sla_ready.wait()
        return self._sla

    def ready(self) -> bool:
        """Whether the thread is done: first_queue() answers without waiting."""
        return self._done.is_set()

    def first_queue(self) -> FirstQueue | None:
        """The first queue, once; None when there is none to show early."""
        self._done.wait()
        first, self._first = self._first, None
        return first
