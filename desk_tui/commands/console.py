"""`desk` with no subcommand: the console."""

from __future__ import annotations

import getpass
import sys
from dataclasses import replace

from desk_tui.config import Settings


def run(settings: Settings, *, operator: str | None, theme: str | None) -> int:
    if theme:
        settings = replace(settings, theme=theme)
    login = operator or settings.operator or getpass.getuser()
    if not sys.stdout.isatty():
        print("desk: the console needs a terminal (see `desk --help` for commands)",
              file=sys.stderr)
        return 2
    from desk_tui.ui.app import make_app

    make_app(settings, operator=login).run()
    return 0
