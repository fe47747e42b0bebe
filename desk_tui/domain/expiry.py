"""When a certificate, licence or contract needs attention: days left, the 30/60/90-day
window it falls in, and the last day to give notice on a contract.

Pure date arithmetic; the CMDB services and the console share it so a list, a countdown
and the console's warning never disagree about an edge day.
"""

from __future__ import annotations

import calendar
from datetime import date

__all__ = ["EXPIRED", "WINDOWS", "days_left", "expiry_window", "notice_date", "within"]

# The windows (days ahead) in which an expiry date counts as due (SLA 4.2.11).
WINDOWS: tuple[int, ...] = (30, 60, 90)
# The window of an item already past its expiry date.
EXPIRED = 0


def days_left(expires_on: date, today: date) -> int:
    """Days from `today` to `expires_on`: 0 on the last valid day, negative once past."""
    return (expires_on - today).days


def expiry_window(days: int, windows: tuple[int, ...] = WINDOWS) -> int | None:
    """The smallest window `days` falls in: EXPIRED (0) when negative, 30 for 0..30 days,
    60 for 31..60, 90 for 61..90; None when further away than the widest window."""
    if days < 0:
        return EXPIRED
    for window in sorted(windows):
        if days <= window:
            return window
    return None


def within(expires_on: date, today: date, horizon_days: int) -> bool:
    """Whether `expires_on` is at most `horizon_days` away (already expired included)."""
    return days_left(expires_on, today) <= horizon_days


def notice_date(ends_on: date, notice_months: int) -> date:
    """The last day to cancel a contract ending on `ends_on` with `notice_months` notice:
    the same day of the month that many months before, or the end of that month when it is
    shorter (31 March less 1 month is 28 or 29 February)."""
    if notice_months < 0:
        raise ValueError(f"notice period cannot be negative: {notice_months} months")
    months = ends_on.year * 12 + (ends_on.month - 1) - notice_months
    year, month = divmod(months, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(ends_on.day, last_day))
