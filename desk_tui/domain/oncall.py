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

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
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
    """Which categories and CI types on-call supports at the counters, and which
    municipalities open their counters in the evening (`[on_call]` in the config)."""

    categories: frozenset[str] = COUNTER_CATEGORIES
    ci_types: frozenset[str] = COUNTER_CI_TYPES
    # Organisation codes with an evening opening; None: those marked so in the database.
    municipalities: frozenset[str] | None = None

    def evening_opening(self, code: str, marked: bool) -> bool:
        """Whether organisation `code` opens its counters in the evening."""
        return marked if self.municipalities is None else code.upper() in self.municipalities

    @classmethod
    def from_mapping(cls, table: Mapping[str, object],
                     known_ci_types: Collection[str]) -> OnCallScope:
        """The `[on_call]` table; ValueError says which setting is wrong and how."""
        unknown = set(table) - {"categories", "ci_types", "municipalities"}
        if unknown:
            raise ValueError(f"unknown [on_call] setting(s): {', '.join(sorted(unknown))}"
                             " (known: categories, ci_types, municipalities)")
        scope = cls()
        if "categories" in table:
            scope = replace(scope, categories=_names(table, "categories",
                                                     'e.g. ["Kernapplicatie", "Hardware"]'))
        if "ci_types" in table:
            types = _names(table, "ci_types", 'e.g. ["applicatie", "printer"]')
            wrong = sorted(types - set(known_ci_types))
            if wrong:
                raise ValueError(
                    f"[on_call] ci_types: {', '.join(map(repr, wrong))} is not a CI type"
                    f" (one of: {', '.join(sorted(known_ci_types))})")
            scope = replace(scope, ci_types=types)
        if "municipalities" in table:
            codes = _names(table, "municipalities", 'organisation codes, e.g. ["ENK", "DRE"]')
            scope = replace(scope, municipalities=frozenset(code.upper() for code in codes))
        return scope


def _names(table: Mapping[str, object], key: str, example: str) -> frozenset[str]:
    """A list of non-empty strings, stripped."""
    value = table[key]
    if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value):
        raise ValueError(f"[on_call] {key} must be a list of non-empty names, {example};"
                         f" not {value!r}")
    return frozenset(item.strip() for item in value)


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
