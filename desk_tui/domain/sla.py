"""SLA targets, the due times of a call or change, and live countdowns.

A call's clocks are planned once (at registration, reclassification, pause or resume) as
positions on a work calendar; a countdown is then one subtraction against the position of
"now", which the caller computes once per tick for all open calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from desk_tui.domain.calendar import Calendars, Pause, WorkCalendar
from desk_tui.domain.changes import CHANGE_RULES, ChangeKind
from desk_tui.domain.classification import CallType, Impact, Level, Urgency
from desk_tui.domain.priority import priority_for
from desk_tui.domain.worktime import WorkTime, days, hours


class Handler(StrEnum):
    """Who reacts to a call: the servicedesk, or on-call (piket) after hours."""

    DESK = "desk"
    ON_CALL = "on-call"


class ClockState(StrEnum):
    OK = "ok"
    WARNING = "warning"
    BREACHED = "breached"


def _default_reaction() -> dict[int, WorkTime]:
    return {1: hours(0.25), 2: hours(0.5), 3: hours(0.5), 4: hours(1), 5: hours(2)}


def _default_resolution() -> dict[tuple[Impact, Urgency], WorkTime]:
    low, mid, high = Level.LAAG, Level.MIDDEN, Level.HOOG
    return {
        (low, low): days(10), (low, mid): days(5), (low, high): days(1),
        (mid, low): days(5), (mid, mid): days(3), (mid, high): days(1),
        (high, low): days(3), (high, mid): days(1), (high, high): hours(4),
    }


@dataclass(frozen=True)
class SlaTargets:
    """The SLA's figures (section 4.2). The on-call reaction time is not in the SLA
    ("afwijkende reactietijd"): 30 minutes by default, set it in `[sla]`."""

    reaction_by_priority: Mapping[int, WorkTime] = field(default_factory=_default_reaction)
    request_reaction: WorkTime = hours(2)
    # Resolution is set per impact × urgency cell, not per priority: the P3 cells differ.
    resolution_by_cell: Mapping[tuple[Impact, Urgency], WorkTime] = field(
        default_factory=_default_resolution
    )
    on_call_reaction: WorkTime = hours(0.5)
    warning_share: float = 0.75

    @classmethod
    def from_mapping(cls, table: Mapping[str, object]) -> SlaTargets:
        """Build from a parsed TOML `[sla]` table."""
        known = {"on_call_reaction_minutes", "warning_share", "request_reaction_hours"}
        unknown = set(table) - known
        if unknown:
            raise ValueError(f"unknown sla setting(s): {', '.join(sorted(unknown))}")
        values: dict[str, object] = {}
        if "on_call_reaction_minutes" in table:
            values["on_call_reaction"] = hours(float(table["on_call_reaction_minutes"]) / 60)  # type: ignore[arg-type]
        if "request_reaction_hours" in table:
            values["request_reaction"] = hours(float(table["request_reaction_hours"]))  # type: ignore[arg-type]
        if "warning_share" in table:
            share = float(table["warning_share"])  # type: ignore[arg-type]
            if not 0 < share < 1:
                raise ValueError("warning_share must lie between 0 and 1")
            values["warning_share"] = share
        return cls(**values)  # type: ignore[arg-type]


class ClockKind(StrEnum):
    """Which calendar a clock runs on."""

    SERVICE = "service"
    ON_CALL = "on-call"


@dataclass(frozen=True, slots=True)
class SlaClock:
    """One running target, as positions on its calendar.

    `held_at` is set while the clock does not run: the call waits (open pause), or the
    target was reached (reaction given, call resolved). Remaining time is then fixed.
    """

    kind: ClockKind
    target_s: float
    deadline: float
    held_at: float | None = None

    def remaining_at(self, now_position: float) -> float:
        return self.deadline - (now_position if self.held_at is None else self.held_at)


class Countdown(NamedTuple):
    remaining_s: float
    fraction_used: float
    state: ClockState
    running: bool


@dataclass(frozen=True, slots=True)
class CallSla:
    """Due times of one call; `resolution_due` is None without a resolution target or
    while the call waits on the caller."""

    priority: int | None
    handled_by: Handler
    clock_start: datetime
    reaction: SlaClock
    reaction_due: datetime
    resolution: SlaClock | None
    resolution_due: datetime | None


@dataclass(frozen=True, slots=True)
class ChangeSla:
    """Due times of a change: a lead time, a reaction (emergency), or a planned date."""

    kind: ChangeKind
    standard: bool
    clock_start: datetime
    lead_time_due: datetime | None
    own_part_due: datetime | None
    reaction_due: datetime | None


class SlaEngine:
    """Plans due times and evaluates countdowns on one set of calendars and targets."""

    def __init__(self, calendars: Calendars, targets: SlaTargets | None = None):
        self.calendars = calendars
        self.targets = targets or SlaTargets()
        config = calendars.config
        self._day_s = config.work_day_seconds
        self._week_days = config.work_week_days
        self._by_kind: dict[ClockKind, WorkCalendar] = {
            ClockKind.SERVICE: calendars.service,
            ClockKind.ON_CALL: calendars.on_call_then_service,
        }

    def seconds(self, amount: WorkTime) -> float:
        return amount.seconds(self._day_s, self._week_days)

    def calendar(self, kind: ClockKind) -> WorkCalendar:
        return self._by_kind[kind]

    # -- targets ------------------------------------------------------------------------
    def reaction_target(self, call_type: CallType, priority: int | None) -> WorkTime:
        if call_type is CallType.STORING:
            if priority is None:
                raise ValueError("an incident needs impact and urgency")
            return self.targets.reaction_by_priority[priority]
        return self.targets.request_reaction

    def resolution_target(
        self, call_type: CallType, impact: Impact | None, urgency: Urgency | None
    ) -> WorkTime | None:
        """Incidents only: the SLA sets no resolution time for requests; change requests
        follow the change catalogue."""
        if call_type is not CallType.STORING or impact is None or urgency is None:
            return None
        return self.targets.resolution_by_cell[(Level(impact), Level(urgency))]

    def handler_for(self, registered: datetime, priority: int | None) -> Handler:
        """On-call takes a P1 registered outside service hours when it opens before the desk."""
        service = self.calendars.service
        if priority != 1 or service.is_open(registered):
            return Handler.DESK
        try:
            on_call_opens = self.calendars.on_call.next_opening(registered)
        except ValueError:  # no on-call windows configured
            return Handler.DESK
        return Handler.ON_CALL if on_call_opens < service.next_opening(registered) else Handler.DESK

    # -- planning -----------------------------------------------------------------------
    def clock(
        self,
        kind: ClockKind,
        start: datetime,
        target: WorkTime,
        pauses: Sequence[Pause] = (),
        stopped: datetime | None = None,
    ) -> SlaClock:
        """A clock of `target` from `start`; `stopped` holds it where the target was met."""
        calendar = self._by_kind[kind]
        target_s = self.seconds(target)
        start_position = calendar.position(start)
        deadline, held_at = calendar.clock_positions(start_position, target_s, pauses)
        if stopped is not None:
            stop_position = calendar.position(stopped)
            if held_at is None or stop_position < held_at:
                held_at = stop_position
        return SlaClock(kind, target_s, deadline, held_at)

    def due(self, clock: SlaClock) -> datetime:
        """The instant a clock's target runs out (if it resumed where it is held)."""
        return self._by_kind[clock.kind].instant_at(clock.deadline)

    def plan_call(
        self,
        registered: datetime,
        call_type: CallType,
        impact: Impact | None = None,
        urgency: Urgency | None = None,
        pauses: Sequence[Pause] = (),
        reacted: datetime | None = None,
        resolved: datetime | None = None,
    ) -> CallSla:
        """Priority, handler and both clocks of a call. Waiting periods (`pauses`) hold the
        resolution clock only: the reaction is due before anyone can wait on the caller."""
        priority = (
            priority_for(impact, urgency) if impact is not None and urgency is not None else None
        )
        handled_by = self.handler_for(registered, priority)
        if handled_by is Handler.ON_CALL:
            reaction = self.clock(
                ClockKind.ON_CALL, registered, self.targets.on_call_reaction, stopped=reacted
            )
            clock_start = self.calendars.on_call.next_opening(registered)
        else:
            reaction = self.clock(
                ClockKind.SERVICE, registered, self.reaction_target(call_type, priority),
                stopped=reacted,
            )
            clock_start = self.calendars.service.next_opening(registered)
        resolution_target = self.resolution_target(call_type, impact, urgency)
        resolution = None
        resolution_due = None
        if resolution_target is not None:
            resolution = self.clock(
                ClockKind.SERVICE, registered, resolution_target, pauses, stopped=resolved
            )
            waiting = resolution.held_at is not None and resolved is None
            resolution_due = None if waiting else self.due(resolution)
        return CallSla(
            priority=priority,
            handled_by=handled_by,
            clock_start=clock_start,
            reaction=reaction,
            reaction_due=self.due(reaction),
            resolution=resolution,
            resolution_due=resolution_due,
        )

    def plan_change(self, registered: datetime, kind: ChangeKind) -> ChangeSla:
        """Lead time (and the desk's own part) of a standard change, or the emergency
        change's reaction; a non-standard change is planned with the participants."""
        rule = CHANGE_RULES[kind]
        service = self.calendars.service

        def due(amount: WorkTime | None) -> datetime | None:
            return None if amount is None else service.add(registered, self.seconds(amount))

        return ChangeSla(
            kind=kind,
            standard=rule.standard,
            clock_start=service.next_opening(registered),
            lead_time_due=due(rule.lead_time),
            own_part_due=due(rule.own_part),
            reaction_due=due(rule.reaction),
        )

    # -- countdowns -----------------------------------------------------------------------
    def now_positions(self, now: datetime) -> dict[ClockKind, float]:
        """Position of `now` on each calendar: computed once per tick, shared by all rows."""
        return {kind: calendar.position(now) for kind, calendar in self._by_kind.items()}

    def countdown(self, clock: SlaClock, now: datetime | Mapping[ClockKind, float]) -> Countdown:
        positions = now if isinstance(now, Mapping) else self.now_positions(now)
        return self.countdowns((clock,), positions)[0]

    def countdowns(
        self, clocks: Iterable[SlaClock], positions: Mapping[ClockKind, float]
    ) -> list[Countdown]:
        """Countdowns of many clocks at one instant: one subtraction and a comparison each."""
        warning = self.targets.warning_share
        ok, warn, breached = ClockState.OK, ClockState.WARNING, ClockState.BREACHED
        # tuple.__new__ skips NamedTuple's Python-level constructor: half the cost per row.
        make = tuple.__new__
        # Enum members hash in Python code: look the two positions up once, not per clock.
        service_kind = ClockKind.SERVICE
        service_now = positions[service_kind]
        on_call_now = positions[ClockKind.ON_CALL]
        result: list[Countdown] = []
        append = result.append
        for clock in clocks:
            held = clock.held_at
            if held is None:
                now = service_now if clock.kind is service_kind else on_call_now
                remaining = clock.deadline - now
                running = True
            else:
                remaining = clock.deadline - held
                running = False
            used = 1.0 - remaining / clock.target_s
            state = breached if remaining <= 0 else warn if used >= warning else ok
            append(make(Countdown, (remaining, used, state, running)))
        return result


def worst_state(states: Iterable[ClockState]) -> ClockState:
    """The most urgent of several clock states."""
    order = (ClockState.OK, ClockState.WARNING, ClockState.BREACHED)
    return max(states, key=order.index, default=ClockState.OK)
