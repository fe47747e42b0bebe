"""`desk` with no subcommand: the console."""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import replace

from desk_tui.config import Settings

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


def run(settings: Settings, *, operator: str | None, theme: str | None,
        on_call: bool = False) -> int:
    if theme:
        settings = replace(settings, theme=theme)
    login = operator or settings.operator or getpass.getuser()
    if not sys.stdout.isatty():
        print("desk: the console needs a terminal (see `desk --help` for commands)",
              file=sys.stderr)
        return 2
    prepare_textual()
    from desk_tui.ui.app import make_app

    # DESK_PIN lets a script (or `make run` on the demo) start without the login screen;
    # otherwise the console asks, if the operator's account has a PIN.
    pin = os.environ.get("DESK_PIN") or None
    make_app(settings, operator=login, on_call=on_call, pin=pin).run()
    return 0
