"""Business calendar: when the servicedesk is open, and work-time arithmetic on it.

Working time is indexed as a sorted list of open intervals (epoch seconds) with a prefix
sum of their lengths. An instant's *position* is the number of work seconds before it, so
"add N work seconds" is position + N mapped back to an instant, and every countdown is one
subtraction. The index grows in whole years on demand, in both directions, without moving
positions that were already handed out.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

Instant = datetime
Pause = tuple[datetime, datetime | None]


@dataclass(frozen=True, slots=True, order=True)
class TimeRange:
    """A span of wall-clock time within one day, in minutes after midnight (end ≤ 1440)."""

    start_minute: int
    end_minute: int

    def __post_init__(self) -> None:
        if not 0 <= self.start_minute < self.end_minute <= 24 * 60:
            raise ValueError(f"time range must lie within one day: {self}")

    @classmethod
    def parse(cls, text: str) -> TimeRange:
        """Read "08:00-17:00" (24:00 allowed as an end)."""
        try:
            start_text, end_text = (part.strip() for part in text.split("-"))
            return cls(_minutes(start_text), _minutes(end_text))
        except ValueError as error:
            raise ValueError(f"bad time range {text!r}: expected HH:MM-HH:MM") from error

    def __str__(self) -> str:
        return f"{_hhmm(self.start_minute)}-{_hhmm(self.end_minute)}"


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    value = int(hours) * 60 + int(minutes)
    if not (0 <= int(minutes) < 60 and 0 <= value <= 24 * 60):
        raise ValueError(text)
    return value


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


Week = Mapping[int, tuple[TimeRange, ...]]


def _week(spec: Mapping[str, object], default: Week) -> dict[int, tuple[TimeRange, ...]]:
    """Days named in `spec` replace the default's (an empty list closes the day)."""
    week: dict[int, tuple[TimeRange, ...]] = dict(default)
    for name, ranges in spec.items():
        day = name.strip().lower()
        if day not in WEEKDAY_NAMES:
            raise ValueError(f"unknown weekday {name!r}")
        if isinstance(ranges, str):
            ranges = [ranges]
        if not isinstance(ranges, list | tuple):
            raise ValueError(f"{name}: expected a list of ranges like [\"08:00-17:00\"]")
        week[WEEKDAY_NAMES.index(day)] = tuple(sorted(TimeRange.parse(str(r)) for r in ranges))
    return {day: ranges for day, ranges in week.items() if ranges}


def _default_service_week() -> dict[int, tuple[TimeRange, ...]]:
    return {day: (TimeRange(8 * 60, 17 * 60),) for day in range(5)}


def _default_on_call_week() -> dict[int, tuple[TimeRange, ...]]:
    return {day: (TimeRange(17 * 60, 20 * 60),) for day in (0, 2, 3)}


class LiberationDay(StrEnum):
    """How 5 May counts: every year (cao Gemeenten), as the `holidays` package has it
    (only every fifth year), or never."""

    EVERY_YEAR = "every-year"
    LUSTRUM = "lustrum"
    NEVER = "never"


@dataclass(frozen=True)
class CalendarConfig:
    """Everything that decides when clocks run. The defaults follow the SLA and the
    municipal collective agreement; every field can be set from the `[calendar]` table."""

    timezone: str = "Europe/Amsterdam"
    service_window: Week = field(default_factory=_default_service_week)
    on_call_window: Week = field(default_factory=_default_on_call_week)
    on_call_on_holidays: bool = False
    maintenance_window: TimeRange | None = TimeRange(6 * 60, 7 * 60)
    # Municipal staff work on Good Friday (cao Gemeenten art. 6.6) and are off on
    # 5 May every year; the `holidays` package says the opposite on both counts.
    good_friday_closed: bool = False
    liberation_day: LiberationDay = LiberationDay.EVERY_YEAR
    bridge_days: Mapping[int, tuple[date, ...]] = field(default_factory=dict)
    work_day_hours: float = 8.0
    work_week_days: int = 5

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def work_day_seconds(self) -> float:
        return self.work_day_hours * 3600.0

    @property
    def work_week_seconds(self) -> float:
        return self.work_week_days * self.work_day_seconds

    @classmethod
    def from_mapping(cls, table: Mapping[str, object]) -> CalendarConfig:
        """Build from a parsed TOML `[calendar]` table; unknown keys are an error."""
        known = {
            "timezone", "service_window", "on_call", "maintenance_window", "good_friday_closed",
            "liberation_day", "bridge_days", "work_day_hours", "work_week_days",
        }
        unknown = set(table) - known
        if unknown:
            raise ValueError(f"unknown calendar setting(s): {', '.join(sorted(unknown))}")
        values: dict[str, object] = {}
        if "timezone" in table:
            values["timezone"] = str(table["timezone"])
            ZoneInfo(values["timezone"])  # fail early on a misspelt zone
        if "service_window" in table:
            values["service_window"] = _week(
                _table(table["service_window"], "service_window"), _default_service_week()
            )
        if "on_call" in table:
            on_call = dict(_table(table["on_call"], "on_call"))
            if "on_holidays" in on_call:
                values["on_call_on_holidays"] = bool(on_call.pop("on_holidays"))
            values["on_call_window"] = _week(on_call, _default_on_call_week())
        if "maintenance_window" in table:
            text = str(table["maintenance_window"]).strip()
            values["maintenance_window"] = TimeRange.parse(text) if text else None
        if "good_friday_closed" in table:
            values["good_friday_closed"] = bool(table["good_friday_closed"])
        if "liberation_day" in table:
            values["liberation_day"] = LiberationDay(str(table["liberation_day"]))
        if "bridge_days" in table:
            bridge = _table(table["bridge_days"], "bridge_days")
            values["bridge_days"] = {
                int(year): tuple(_as_date(day) for day in days) for year, days in bridge.items()
            }
        if "work_day_hours" in table:
            values["work_day_hours"] = float(table["work_day_hours"])  # type: ignore[arg-type]
        if "work_week_days" in table:
            values["work_week_days"] = int(table["work_week_days"])  # type: ignore[call-overload]
        return cls(**values)  # type: ignore[arg-type]


def _table(value: object, name: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise ValueError(f"calendar setting {name!r} must be a table")
    return value


def _as_date(value: object) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def resolved_holidays(config: CalendarConfig, year: int) -> dict[date, str]:
    """The days the servicedesk is closed in `year` besides Sundays: public holidays as
    configured, plus that year's bridge days."""
    return dict(_resolved_holidays(config.good_friday_closed, config.liberation_day, year)) | {
        day: "Brugdag" for day in config.bridge_days.get(year, ())
    }


@cache
def _resolved_holidays(
    good_friday_closed: bool, liberation_day: LiberationDay, year: int
) -> tuple[tuple[date, str], ...]:
    from dateutil.easter import easter

    from desk_tui.domain.holiday_table import dutch_holidays

    days = dutch_holidays(year)
    if days is None:
        import holidays  # imported here: the package loads every country's calendar class

        days = dict(holidays.country_holidays("NL", years=year, language="nl").items())
    good_friday = easter(year) - timedelta(days=2)
    if good_friday_closed:
        days[good_friday] = "Goede Vrijdag"
    else:
        days.pop(good_friday, None)
    liberation = date(year, 5, 5)
    if liberation_day is LiberationDay.EVERY_YEAR:
        days[liberation] = "Bevrijdingsdag"
    elif liberation_day is LiberationDay.NEVER:
        days.pop(liberation, None)
    return tuple(sorted(days.items()))


DayRanges = Callable[[date], Iterable[TimeRange]]


class WorkCalendar:
    """Open intervals of one kind of window (service, on-call) with work-time arithmetic.

    Positions are float work seconds from an arbitrary origin; compare them only within
    one calendar.
    """

    def __init__(self, zone: ZoneInfo, day_ranges: DayRanges, *, first_year: int | None = None):
        self.zone = zone
        self._day_ranges = day_ranges
        self._starts: list[float] = []
        self._ends: list[float] = []
        self._cum_start: list[float] = []
        self._cum_end: list[float] = []
        year = first_year if first_year is not None else datetime.now(zone).year
        self._first_year = year
        self._last_year = year - 1
        self._span_start, self._span_end = self._year_bounds(year)
        self._span_end = self._span_start
        self._extend_forward()

    # -- the index ---------------------------------------------------------------------
    def _year_intervals(self, year: int) -> tuple[list[float], list[float]]:
        starts: list[float] = []
        ends: list[float] = []
        day = date(year, 1, 1)
        one_day = timedelta(days=1)
        while day.year == year:
            midnight = datetime(day.year, day.month, day.day, tzinfo=self.zone)
            for span in self._day_ranges(day):
                start = (midnight + timedelta(minutes=span.start_minute)).timestamp()
                end = (midnight + timedelta(minutes=span.end_minute)).timestamp()
                if starts and start <= ends[-1]:  # touching or overlapping: merge
                    ends[-1] = max(ends[-1], end)
                else:
                    starts.append(start)
                    ends.append(end)
            day += one_day
        return starts, ends

    def _year_bounds(self, year: int) -> tuple[float, float]:
        return (
            datetime(year, 1, 1, tzinfo=self.zone).timestamp(),
            datetime(year + 1, 1, 1, tzinfo=self.zone).timestamp(),
        )

    def _extend_forward(self) -> None:
        year = self._last_year + 1
        starts, ends = self._year_intervals(year)
        base = self._cum_end[-1] if self._cum_end else 0.0
        for start, end in zip(starts, ends, strict=True):
            self._starts.append(start)
            self._ends.append(end)
            self._cum_start.append(base)
            base += end - start
            self._cum_end.append(base)
        self._last_year = year
        self._span_end = self._year_bounds(year)[1]

    def _extend_backward(self) -> None:
        year = self._first_year - 1
        starts, ends = self._year_intervals(year)
        total = sum(end - start for start, end in zip(starts, ends, strict=True))
        base = (self._cum_start[0] if self._cum_start else 0.0) - total
        cum_start: list[float] = []
        cum_end: list[float] = []
        for start, end in zip(starts, ends, strict=True):
            cum_start.append(base)
            base += end - start
            cum_end.append(base)
        self._starts[:0] = starts
        self._ends[:0] = ends
        self._cum_start[:0] = cum_start
        self._cum_end[:0] = cum_end
        self._first_year = year
        self._span_start = self._year_bounds(year)[0]

    def _cover(self, epoch: float) -> None:
        guard = 0
        while epoch < self._span_start:
            self._extend_backward()
            guard += 1
        while epoch >= self._span_end:
            self._extend_forward()
            guard += 1
        if guard > 400:
            raise ValueError("instant too far from the calendar's years")

    # -- positions ----------------------------------------------------------------------
    def position_at(self, epoch: float) -> float:
        """Work seconds before `epoch` (seconds since 1970 UTC)."""
        if not self._span_start <= epoch < self._span_end:
            self._cover(epoch)
        index = bisect.bisect_right(self._starts, epoch) - 1
        if index < 0:
            return self._cum_start[0] if self._cum_start else 0.0
        end = self._ends[index]
        if epoch >= end:
            return self._cum_end[index]
        return self._cum_start[index] + (epoch - self._starts[index])

    def position(self, instant: datetime) -> float:
        """Work seconds before `instant` (which must be timezone-aware)."""
        return self.position_at(_epoch(instant))

    def epoch_at(self, position: float) -> float:
        """The earliest instant (epoch seconds) at which `position` work seconds have passed."""
        cum_end = self._cum_end
        if not cum_end or position > cum_end[-1] or position < self._cum_start[0]:
            self._cover_position(position)
        index = bisect.bisect_left(self._cum_end, position)
        return self._starts[index] + (position - self._cum_start[index])

    def _cover_position(self, position: float) -> None:
        empty_years = 0
        while not self._cum_end or position > self._cum_end[-1]:
            known = len(self._starts)
            self._extend_forward()
            empty_years = empty_years + 1 if len(self._starts) == known else 0
            if empty_years > 2:
                raise ValueError("the calendar has no working time: a deadline never comes")
        while position < self._cum_start[0]:
            self._extend_backward()

    def instant_at(self, position: float) -> datetime:
        """`epoch_at`, as a local, timezone-aware datetime."""
        return datetime.fromtimestamp(self.epoch_at(position), self.zone)

    # -- arithmetic ----------------------------------------------------------------------
    def add(self, start: datetime, work_seconds: float, pauses: Sequence[Pause] = ()) -> datetime:
        """The instant `work_seconds` of work time after `start`, clocks stopped in `pauses`.

        A start outside the window counts from the next opening. An open pause (end None)
        that begins before the deadline holds the clock: there is no deadline, ValueError.
        """
        start_position = self.position_at(_epoch(start))
        if not pauses:  # the common case, kept lean: it runs for every open call
            return datetime.fromtimestamp(self.epoch_at(start_position + work_seconds), self.zone)
        deadline, held_at = self.clock_positions(start_position, work_seconds, pauses)
        if held_at is not None:
            raise ValueError("the clock is held by an open pause: no deadline yet")
        return self.instant_at(deadline)

    def clock_positions(
        self, start_position: float, work_seconds: float, pauses: Sequence[Pause] = ()
    ) -> tuple[float, float | None]:
        """(deadline, held_at) positions of a clock of `work_seconds` from `start_position`.

        Work time inside a pause that began before the deadline pushes the deadline back;
        a pause that begins after it cannot undo a breach. While a pause is open the clock
        is held at its start, and the deadline is where it would be if it resumed there.
        """
        deadline = start_position + work_seconds
        for pause_start, pause_end in _merged(pauses):
            begin = max(self.position(pause_start), start_position)
            if begin >= deadline:
                break
            if pause_end is None:
                return deadline, begin
            deadline += max(0.0, self.position(pause_end) - begin)
        return deadline, None

    def between(self, start: datetime, end: datetime, pauses: Sequence[Pause] = ()) -> float:
        """Work seconds from `start` to `end` (negative if end is earlier), less pauses."""
        if end < start:
            return -self.between(end, start, pauses)
        first, last = self.position(start), self.position(end)
        paused = 0.0
        for pause_start, pause_end in _merged(pauses):
            begin = max(self.position(pause_start), first)
            finish = min(last if pause_end is None else self.position(pause_end), last)
            if finish > begin:
                paused += finish - begin
        return last - first - paused

    def is_open(self, instant: datetime) -> bool:
        """Whether the window is open at `instant` (start inclusive, end exclusive)."""
        epoch = _epoch(instant)
        if not self._span_start <= epoch < self._span_end:
            self._cover(epoch)
        index = bisect.bisect_right(self._starts, epoch) - 1
        return index >= 0 and epoch < self._ends[index]

    def next_opening(self, instant: datetime) -> datetime:
        """`instant` itself when open, else the next moment the window opens."""
        if self.is_open(instant):
            return instant
        epoch = _epoch(instant)
        for _ in range(3):
            index = bisect.bisect_right(self._starts, epoch)
            if index < len(self._starts):
                break
            self._extend_forward()
        else:
            raise ValueError("the window does not open again")
        return datetime.fromtimestamp(self._starts[index], self.zone)

    def intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """The open intervals that overlap [start, end), clipped to it."""
        first, last = _epoch(start), _epoch(end)
        self._cover(first)
        self._cover(last)
        index = max(0, bisect.bisect_right(self._starts, first) - 1)
        found: list[tuple[datetime, datetime]] = []
        while index < len(self._starts) and self._starts[index] < last:
            lo, hi = max(self._starts[index], first), min(self._ends[index], last)
            if lo < hi:
                found.append(
                    (datetime.fromtimestamp(lo, self.zone), datetime.fromtimestamp(hi, self.zone))
                )
            index += 1
        return found


def _epoch(instant: datetime) -> float:
    if instant.tzinfo is None:
        raise ValueError("instants must be timezone-aware")
    return instant.timestamp()


def _merged(pauses: Sequence[Pause]) -> list[Pause]:
    """Pauses sorted and with overlaps joined, so none is counted twice."""
    ordered = sorted(pauses, key=lambda pause: pause[0])
    merged: list[Pause] = []
    for start, end in ordered:
        if end is not None and end < start:
            raise ValueError("a pause cannot end before it starts")
        if merged:
            last_start, last_end = merged[-1]
            if last_end is None:
                break
            if start <= last_end:
                merged[-1] = (last_start, None if end is None else max(last_end, end))
                continue
        merged.append((start, end))
    return merged


@dataclass(frozen=True)
class Calendars:
    """The windows the SLA speaks of, built from one configuration."""

    config: CalendarConfig
    service: WorkCalendar
    on_call: WorkCalendar
    on_call_then_service: WorkCalendar

    def in_maintenance(self, instant: datetime) -> bool:
        """Whether systems may restart now (the daily maintenance window)."""
        window = self.config.maintenance_window
        if window is None:
            return False
        local = instant.astimezone(self.config.zone)
        minute = local.hour * 60 + local.minute
        return window.start_minute <= minute < window.end_minute


def build_calendars(
    config: CalendarConfig | None = None, *, first_year: int | None = None
) -> Calendars:
    """The service, on-call and P1-after-hours calendars for `config` (defaults if None)."""
    config = config or CalendarConfig()
    zone = config.zone
    closed_by_year: dict[int, frozenset[date]] = {}

    def closed(day: date) -> bool:
        if day.year not in closed_by_year:
            closed_by_year[day.year] = frozenset(resolved_holidays(config, day.year))
        return day.weekday() == 6 or day in closed_by_year[day.year]

    def service_ranges(day: date) -> tuple[TimeRange, ...]:
        return () if closed(day) else config.service_window.get(day.weekday(), ())

    def on_call_ranges(day: date) -> tuple[TimeRange, ...]:
        if closed(day) and not config.on_call_on_holidays:
            return ()
        return config.on_call_window.get(day.weekday(), ())

    def both_ranges(day: date) -> list[TimeRange]:
        return sorted((*service_ranges(day), *on_call_ranges(day)))

    return Calendars(
        config=config,
        service=WorkCalendar(zone, service_ranges, first_year=first_year),
        on_call=WorkCalendar(zone, on_call_ranges, first_year=first_year),
        on_call_then_service=WorkCalendar(zone, both_ranges, first_year=first_year),
    )
