"""`desk` with no subcommand: the console."""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import replace
from typing import TYPE_CHECKING

from desk_tui.config import Settings

if TYPE_CHECKING:
    from desk_tui.ui.app import DeskApp

# Textual batches screen updates on a 1/FPS timer, so at its default of 60 a key press
# reaches the screen ~17 ms later even when the redraw itself takes 0.2 ms. Intake is
# typed fast: draw up to 120 times a second (TEXTUAL_FPS still overrides).
FRAMES_PER_SECOND = "120"


def prepare_textual() -> None:
    """Settings Textual reads when it is imported: call before importing the UI. Python's
    cyclic collector is held from here until the desk has loaded (ui/collector.py)."""
    from desk_tui.ui import collector

    os.environ.setdefault("TEXTUAL_FPS", FRAMES_PER_SECOND)
    collector.hold()


def open_console(settings: Settings, login: str, *, pin: str | None = None,
                 on_call: bool = False) -> DeskApp:
    """The console app for `login`, its first queue already being read: the PIN check and
    the first reads start before Textual is imported, in a forked process on Linux and in
    a thread elsewhere (FirstQueuePreload). Nothing before this may start a thread."""
    from datetime import datetime

    from desk_tui.services.first_queue_preload import FirstQueuePreload

    prepare_textual()
    zone = settings.calendar.zone

    def now() -> datetime:
        return datetime.now(zone)

    preload = FirstQueuePreload(settings, login, pin, now)
    from desk_tui.ui.app import make_app

    return make_app(settings, operator=login, clock=now, on_call=on_call, pin=pin,
                    preload=preload)


def run(settings: Settings, *, operator: str | None, theme: str | None,
        on_call: bool = False) -> int:
    if theme:
        settings = replace(settings, theme=theme)
    login = operator or settings.operator or getpass.getuser()
    if not sys.stdout.isatty():
        print("desk: the console needs a terminal (see `desk --help` for commands)",
              file=sys.stderr)
        return 2
    # DESK_PIN lets a script (or `make run` on the demo) start without the login screen;
    # otherwise the console asks, if the operator's account has a PIN.
    pin = os.environ.get("DESK_PIN") or None
    open_console(settings, login, pin=pin, on_call=on_call).run()
    return 0
