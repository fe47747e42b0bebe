"""The console's header with a clock in the SLA's time zone (Europe/Amsterdam).

Textual's own header clock reads the machine's local time, which on a server is UTC:
an operator would read 19:00 while the SLA's evening on-call already ended at 20:00.
The clock here reads the desk's clock (injected in tests) in the calendar's zone.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.widgets import Header
from textual.widgets._header import HeaderClock, HeaderClockSpace, HeaderIcon, HeaderTitle

from desk_tui.ui.formats import amsterdam


def header_now(app: object) -> datetime:
    """Now in the SLA's zone: the desk's clock once connected, the wall clock before."""
    desk = getattr(app, "desk", None)
    zone: tzinfo = amsterdam()
    if desk is not None:
        zone = desk.sla.calendars.config.zone
        return desk.now().astimezone(zone)
    settings = getattr(app, "settings", None)
    if settings is not None:
        zone = settings.calendar.zone
    return datetime.now(zone)


class AmsterdamClock(HeaderClock):
    """The header clock, in Amsterdam time whatever the machine's time zone is."""

    def render(self) -> RenderResult:
        return Text(header_now(self.app).strftime(self.time_format))


class DeskHeader(Header):
    """Textual's header with the clock in the SLA's time zone; use it on every screen.
    The clock shows unless the app turns it off (`header_clock`: snapshot tests do)."""

    def compose(self) -> ComposeResult:
        yield HeaderIcon().data_bind(Header.icon)
        yield HeaderTitle()
        yield (
            AmsterdamClock().data_bind(Header.time_format)
            if getattr(self.app, "header_clock", True)
            else HeaderClockSpace()
        )
