"""How times and durations read on screen: Amsterdam wall time, work time as h:mm."""

from __future__ import annotations

import math
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from desk_tui.domain.worktime import Unit, WorkTime
from desk_tui.ui.i18n import N_, _

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
MONTHS = (
    N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
    N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"),
)  # fmt: skip


@cache
def amsterdam() -> ZoneInfo:
    """The SLA's time zone (looked up on first use, not at import)."""
    return ZoneInfo("Europe/Amsterdam")


def short_datetime(instant: datetime) -> str:
    """A due time as the desk reads it: "ma 30 nov 08:05" (Amsterdam time)."""
    local = instant.astimezone(amsterdam())
    weekday = _(WEEKDAYS[local.weekday()])
    month = _(MONTHS[local.month - 1])
    return f"{weekday} {local.day} {month} {local:%H:%M}"


def work_time(seconds: float) -> str:
    """Work time as h:mm, rounded up to the minute ("0:00" only when none is left)."""
    minutes = math.ceil(abs(seconds) / 60 - 1e-9)
    sign = "-" if seconds < 0 and minutes else ""
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"


def work_time_amount(amount: WorkTime) -> str:
    """A lead time as the SLA states it: "15 min", "4 uur", "3 werkdagen" (not "0.25 h")."""
    count = f"{amount.amount:g}"
    if amount.unit is Unit.HOURS:
        if amount.amount < 1:
            return _("{count} min").format(count=f"{amount.amount * 60:g}")
        return _("{count} h").format(count=count)
    if amount.unit is Unit.DAYS:
        if amount.amount == 1:
            return _("1 working day")
        return _("{count} working days").format(count=count)
    if amount.amount == 1:
        return _("1 working week")
    return _("{count} working weeks").format(count=count)
