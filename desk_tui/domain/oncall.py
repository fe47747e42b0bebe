"""Evening on-call (piket, SPEC 4): when it runs, which calls it handles, its clocks, and
which evening is due to be handed over to the morning.

On-call runs Monday, Wednesday and Thursday 17:00–20:00 (the `[calendar] on_call`
window; closed on holidays unless `on_holidays`), for remote support of counter
applications and peripherals during the municipalities' evening openings. It handles:

- every open priority 1 incident: the SLA sends a P1 outside service hours to on-call,
  and an evening has no other service hours;
- open incidents about counter applications and peripherals (by category, or by a
  linked CI's type) of an organisation with an evening opening, registered during the
  evening, or earlier that day and not yet taken by anyone: what the counter met in the
  afternoon and nobody picked up is the evening's concern; what the desk has in hand, and
  older calls, stay with the desk; requests (a new screen) wait for the desk.

Its clocks: the SLA sets an on-call reaction time only for P1 incidents ("afwijkende
reactietijd", 30 minutes by default, `[sla] on_call_reaction_minutes`); desk applies the
same target, on the on-call window, to every call on-call handles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from desk_tui.domain.calendar import Calendars
from desk_tui.domain.sla import Handler, SlaEngine

# What counts as a counter application or a peripheral: the core applications (Key2-
# Burgerzaken at the counter), printers and scanners, the counter workstations' hardware
# and the counter phones (the demo's evening incidents are of exactly these kinds).
COUNTER_CATEGORIES = frozenset({"Kernapplicatie", "Printen en scannen", "Hardware",
                                "Telefonie"})
COUNTER_CI_TYPES = frozenset({"applicatie", "printer", "telefoon"})


@dataclass(frozen=True, slots=True)
class OnCallScope:
    """Which categories and CI types on-call supports at the counters."""

    categories: frozenset[str] = COUNTER_CATEGORIES
    ci_types: frozenset[str] = COUNTER_CI_TYPES


DEFAULT_SCOPE = OnCallScope()


@dataclass(frozen=True, slots=True)
class Evening:
    """One on-call window: its local date and its bounds (aware, Amsterdam)."""

    day: date
    opens: datetime
    closes: datetime

    def holds(self, instant: datetime) -> bool:
        return self.opens <= instant < self.closes


@dataclass(frozen=True, slots=True)
class CallFacts:
    """What the on-call rule needs to know of one open call."""

    priority: int | None
    handled_by: Handler
    registered_at: datetime
    category: str | None
    evening_opening: bool  # the call's organisation opens its counters in the evening
    ci_types: frozenset[str] = field(default_factory=frozenset)
    incident: bool = True  # a storing, not a request
    reacted: bool = False  # someone took it before the evening opened


def evening_at(calendars: Calendars, instant: datetime) -> Evening | None:
    """The on-call window open at `instant` (start inclusive, end exclusive), if any."""
    if not calendars.on_call.is_open(instant):
        return None
    zone = calendars.config.zone
    local = instant.astimezone(zone)
    midnight = datetime(local.year, local.month, local.day, tzinfo=zone)
    for opens, closes in calendars.on_call.intervals(midnight, midnight + timedelta(days=1)):
        if opens <= instant < closes:
            return Evening(local.date(), opens, closes)
    return None  # pragma: no cover - is_open said it was open


def last_closed_evening(calendars: Calendars, now: datetime) -> Evening | None:
    """The most recent on-call window that has closed at or before `now` (looking back
    two weeks: a holiday week can skip evenings)."""
    # Ask past `now`: intervals are clipped to the span asked for.
    windows = calendars.on_call.intervals(now - timedelta(days=14), now + timedelta(days=1))
    zone = calendars.config.zone
    for opens, closes in reversed(windows):
        if closes <= now:
            return Evening(opens.astimezone(zone).date(), opens, closes)
    return None


def handled_on_call(facts: CallFacts, evening: Evening,
                    scope: OnCallScope = DEFAULT_SCOPE) -> bool:
    """Whether on-call handles this open call during `evening`."""
    if facts.priority == 1 or facts.handled_by is Handler.ON_CALL:
        return True
    if not facts.evening_opening or not facts.incident:
        return False
    about_counter = (facts.category in scope.categories
                     or bool(facts.ci_types & scope.ci_types))
    if not about_counter:
        return False
    if evening.opens <= facts.registered_at < evening.closes:
        return True
    registered_day = facts.registered_at.astimezone(evening.opens.tzinfo).date()
    return registered_day == evening.day and facts.registered_at < evening.opens and (
        not facts.reacted)


def on_call_reaction_due(sla: SlaEngine, registered: datetime, evening: Evening) -> datetime:
    """When on-call must have reacted: the on-call reaction time from the registration or
    the window's opening, whichever is later, counted in the on-call window and, as the
    SLA engine does for a P1, on at the next service opening if the evening runs out."""
    start = max(registered, evening.opens)
    calendar = sla.calendars.on_call_then_service
    return calendar.add(start, sla.seconds(sla.targets.on_call_reaction))
