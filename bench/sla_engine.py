"""Benchmark desk's SLA time engine, and check its answers against businesstimedelta.

Why: every open call shows live countdowns and every registration plans deadlines, so the
engine must be fast (a prefix-sum index, see desk_tui.domain.calendar) *and* right. Speed is
measured in-process on 100k random cases; correctness is checked on a sample against an
independent library (businesstimedelta, slow but correct), and every disagreement is
refereed by a minute-by-minute walk over the calendar rules. Exits 1 only when desk gives
a wrong deadline; missed speed targets are reported, not failed.

Run from the repository root: `.venv/bin/python bench/sla_engine.py` (or `make bench`).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from functools import cache
from zoneinfo import ZoneInfo

import pytz
from businesstimedelta import BusinessTimeDelta, HolidayRule, Rules, WorkDayRule

from desk_tui.domain.calendar import CalendarConfig, build_calendars, resolved_holidays
from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.sla import SlaClock, SlaEngine

SEED = 20250101
CASES = 100_000
SAMPLE = 2_000
CLOCKS = 10_000
REPEATS = 50
CALIBRATION = 20  # agreeing cases also walked by the referee, to check the referee itself
FIRST_YEAR, LAST_YEAR = 2025, 2028
TARGET_HOURS = (0.25, 0.5, 1, 2, 4, 8, 16, 24, 40, 80)

GOAL_RATE = 100_000  # deadlines per second, in-process
GOAL_RATIO = 300  # times businesstimedelta
GOAL_COUNTDOWN_MS = 5.0  # 10k countdowns at one instant

CONFIG = CalendarConfig()
ZONE = ZoneInfo(CONFIG.timezone)
# businesstimedelta calls tz.localize(): its rules need a pytz zone (a ZoneInfo raises
# AttributeError, and the default is UTC), and it reads naive datetimes as UTC.
PYTZ_ZONE = pytz.timezone(CONFIG.timezone)


@dataclass(frozen=True, slots=True)
class Case:
    epoch: int  # whole minutes, as epoch seconds
    seconds: int  # work seconds

    @property
    def hours(self) -> float:
        return self.seconds / 3600


# -- cases -------------------------------------------------------------------------------
def make_cases(rng: random.Random) -> list[Case]:
    """Instants uniform over the real minutes of the years (so the repeated autumn hour
    counts twice and the skipped spring hour never), targets uniform over the SLA's."""
    first = int(datetime(FIRST_YEAR, 1, 1, tzinfo=ZONE).timestamp()) // 60
    last = int(datetime(LAST_YEAR + 1, 1, 1, tzinfo=ZONE).timestamp()) // 60 - 1
    return [
        Case(rng.randint(first, last) * 60, int(rng.choice(TARGET_HOURS) * 3600))
        for _ in range(CASES)
    ]


# -- the referee: a minute-by-minute walk over CalendarConfig's rules --------------------
@cache
def closed_days(year: int) -> frozenset[date]:
    return frozenset(resolved_holidays(CONFIG, year))


def is_open_minute(epoch: int) -> bool:
    """Whether the service window is open during the minute that starts at `epoch`."""
    local = datetime.fromtimestamp(epoch, ZONE)
    day = local.date()
    if day.weekday() == 6 or day in closed_days(day.year):
        return False
    minute = local.hour * 60 + local.minute
    ranges = CONFIG.service_window.get(day.weekday(), ())
    return any(r.start_minute <= minute < r.end_minute for r in ranges)


def reference_deadline(case: Case) -> int:
    """The earliest instant (epoch) by which `case.seconds` of open minutes have passed."""
    needed = case.seconds // 60
    epoch = case.epoch
    while True:
        if is_open_minute(epoch):
            needed -= 1
            if needed == 0:
                return epoch + 60
        epoch += 60


def normalise(epoch: int) -> int:
    """Map an opening (08:00 after closed time) to the closing before it (17:00 of the
    last open day): both are the same amount of work time, only written differently."""
    if is_open_minute(epoch) and not is_open_minute(epoch - 60):
        back = epoch - 60
        while not is_open_minute(back - 60):
            back -= 60
        return back
    return epoch


# -- engines -------------------------------------------------------------------------------
def desk_deadlines(add: Callable[[datetime, float], datetime], instants: Sequence[datetime],
                   cases: Sequence[Case]) -> list[datetime]:
    return [add(instant, case.seconds) for instant, case in zip(instants, cases, strict=True)]


def bt_rules() -> Rules:
    holidays = {day for year in range(FIRST_YEAR - 1, LAST_YEAR + 3) for day in closed_days(year)}
    window = CONFIG.service_window[0][0]
    workdays = WorkDayRule(
        start_time=clock_time(window.start_minute // 60, window.start_minute % 60),
        end_time=clock_time(window.end_minute // 60, window.end_minute % 60),
        working_days=sorted(CONFIG.service_window),
        tz=PYTZ_ZONE,
    )
    return Rules([workdays, HolidayRule(holidays, tz=PYTZ_ZONE)])


def fmt(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, ZONE).strftime("%a %Y-%m-%d %H:%M %Z")


def describe(case: Case, **answers: int) -> str:
    given = ", ".join(f"{name} {fmt(value)}" for name, value in answers.items())
    return f"{fmt(case.epoch)} + {case.hours:g} h → {given}"


# -- the parts of the run ------------------------------------------------------------------
# Hand-picked cases (local wall time, fold, hours) where calendars usually go wrong: ends
# at closing time, starts on a boundary, DST nights and weekends, holidays, the year's end.
EDGES: tuple[tuple[str, int, float], ...] = (
    ("2025-06-13 16:45", 0, 0.25),  # Friday, due at closing: 17:00, not Monday 08:00
    ("2025-12-24 16:45", 0, 0.25),  # closing before Christmas
    ("2026-04-24 16:45", 0, 0.25),  # closing before King's Day (Monday)
    ("2025-06-16 17:00", 0, 0.25),  # registered at closing: counts from 08:00 next day
    ("2025-06-16 08:00", 0, 8),
    ("2025-06-13 16:00", 0, 1),
    ("2025-03-28 16:30", 0, 1),  # across the spring DST weekend
    ("2025-10-24 16:30", 0, 1),  # across the autumn DST weekend
    ("2025-03-30 01:59", 0, 0.25),  # the night the clocks skip 02:00-03:00
    ("2025-10-26 02:30", 0, 0.25),  # the first 02:30 (CEST) ...
    ("2025-10-26 02:30", 1, 0.25),  # ... and the second (CET)
    ("2025-05-02 16:00", 0, 2),  # Liberation Day, every year by default
    ("2026-04-02 16:00", 0, 2),  # Good Friday: open by default
    ("2027-03-27 12:00", 0, 1),  # Easter Sunday is the DST day, then Easter Monday
    ("2025-12-24 16:45", 0, 80),
    ("2028-12-29 12:00", 0, 80),  # into 2029
)


def edge_cases() -> list[Case]:
    cases = []
    for wall, fold, target in EDGES:
        local = datetime.strptime(wall, "%Y-%m-%d %H:%M").replace(tzinfo=ZONE, fold=fold)
        cases.append(Case(int(local.timestamp()), int(target * 3600)))
    return cases


def run_bt(cases: Sequence[Case], rules: Rules) -> tuple[list[datetime], float]:
    """Deadlines from businesstimedelta, and the seconds they took."""
    inputs = [datetime.fromtimestamp(case.epoch, PYTZ_ZONE) for case in cases]
    started = time.perf_counter()
    deadlines = [
        instant + BusinessTimeDelta(rules, seconds=case.seconds)
        for instant, case in zip(inputs, cases, strict=True)
    ]
    return deadlines, time.perf_counter() - started


Found = dict[str, list[tuple[Case, int, int, int]]]


def classify(cases: Sequence[Case], desk: Sequence[datetime], bt: Sequence[datetime],
             referee_all: bool = False) -> tuple[Found, list[tuple[Case, int]]]:
    """Disagreements by class, refereed by the minute walk, and the agreeing cases (also
    refereed when `referee_all`, then a wrong shared answer is a class of its own)."""
    classes: Found = {}
    agreeing: list[tuple[Case, int]] = []
    for case, ours, theirs in zip(cases, desk, bt, strict=True):
        ours_epoch, theirs_epoch = int(ours.timestamp()), int(theirs.timestamp())
        if ours.timestamp() == theirs.timestamp():
            if referee_all and (ref := reference_deadline(case)) != ours_epoch:
                key = "both WRONG"
                classes.setdefault(key, []).append((case, ours_epoch, theirs_epoch, ref))
            else:
                agreeing.append((case, ours_epoch))
            continue
        ref = reference_deadline(case)
        if normalise(ours_epoch) == normalise(theirs_epoch):
            roller = "businesstimedelta" if ours_epoch == ref else "desk"
            key = f"boundary: {roller} rolls a closing-time deadline to the next opening"
        elif ours_epoch == ref:
            key = "desk right, businesstimedelta wrong"
        elif theirs_epoch == ref:
            key = "businesstimedelta right, desk WRONG"
        else:
            key = "both WRONG"
        classes.setdefault(key, []).append((case, ours_epoch, theirs_epoch, ref))
    return classes, agreeing


def report(classes: Found) -> tuple[int, int]:
    """Print one line per class; returns (disagreements after normalisation, desk wrong)."""
    for key, found in sorted(classes.items()):
        case, ours, theirs, ref = found[0]
        print(f"  {len(found):>5} × {key}; e.g. "
              + describe(case, desk=ours, bt=theirs, minute_walk=ref))
    if any(key.startswith("boundary: desk") for key in classes):
        print("  note: the SLA wants the earliest instant (17:00), so desk rolling is a bug too")
    remaining = sum(len(found) for key, found in classes.items() if not key.startswith("bound"))
    desk_wrong = sum(1 for found in classes.values() for _, ours, _, ref in found if ours != ref)
    return remaining, desk_wrong


def compare(cases: Sequence[Case], desk: Sequence[datetime], rules: Rules,
            add: Callable[[datetime, float], datetime]) -> tuple[float, int, int]:
    """Run the sample through businesstimedelta, referee every disagreement, print a line
    per class. Returns (bt rate, disagreements after normalisation, desk wrong)."""
    bt, elapsed = run_bt(cases, rules)
    rate = len(cases) / elapsed
    print(f"businesstimedelta: {len(cases):,} deadlines in {elapsed:.2f} s"
          f" = {rate:,.0f}/s (pytz zone, aware inputs, holidays as a set)")
    classes, agreeing = classify(cases, desk, bt)
    raw = sum(len(found) for found in classes.values())
    boundary = sum(len(found) for key, found in classes.items() if key.startswith("boundary"))
    print(f"disagreements on the sample: {raw} raw, {raw - boundary} after boundary"
          " normalisation (17:00 on day D = 08:00 on the next open day)")
    remaining, desk_wrong = report(classes)
    at_close = [
        (case, ours) for case, ours in agreeing if not is_open_minute(ours)
        and is_open_minute(ours - 60)
    ]
    if at_close:
        case, ours = at_close[0]
        print(f"  sample deadlines exactly at closing time: {len(at_close)}; both engines give"
              f" the closing time, e.g. {describe(case, both=ours)}")

    calibration = random.Random(SEED + 1).sample(agreeing, min(CALIBRATION, len(agreeing)))
    off = [(case, ours) for case, ours in calibration if reference_deadline(case) != ours]
    print(f"referee calibration: minute walk agrees on {len(calibration) - len(off)}"
          f"/{len(calibration)} sample cases where desk and businesstimedelta agree")
    for case, ours in off:
        print("  MISMATCH " + describe(case, both=ours, minute_walk=reference_deadline(case)))

    edges = edge_cases()
    edge_desk = [
        add(datetime.fromtimestamp(case.epoch, ZONE), case.seconds) for case in edges
    ]
    edge_classes, _ = classify(edges, edge_desk, run_bt(edges, rules)[0], referee_all=True)
    edge_remaining, edge_wrong = report(edge_classes)
    wrong_ones = sum(len(found) for found in edge_classes.values())
    first = edges[0]
    print(f"edge cases: desk = businesstimedelta = minute walk on {len(edges) - wrong_ones}"
          f"/{len(edges)} hand-picked ones, e.g. {describe(first, all=reference_deadline(first))}")
    return rate, remaining + edge_remaining, desk_wrong + len(off) + edge_wrong


def countdowns(rng: random.Random) -> tuple[float, float]:
    """Median and best ms to evaluate CLOCKS countdowns at one instant."""
    engine = SlaEngine(build_calendars(first_year=FIRST_YEAR))
    now = datetime(2026, 3, 30, 10, 30, tzinfo=ZONE)  # a Monday, just after the DST change
    levels = tuple(Level)
    span = int(timedelta(days=28).total_seconds()) // 60
    clocks: list[SlaClock] = []
    while len(clocks) < CLOCKS:
        registered = now - timedelta(minutes=rng.randint(1, span))
        call = engine.plan_call(
            registered, CallType.STORING, rng.choice(levels), rng.choice(levels)
        )
        clocks.append(call.reaction)
        if call.resolution is not None:
            clocks.append(call.resolution)
    clocks = clocks[:CLOCKS]
    runs: list[float] = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        positions = engine.now_positions(now)
        result = engine.countdowns(clocks, positions)
        runs.append((time.perf_counter() - started) * 1000)
    assert len(result) == CLOCKS
    kinds = {clock.kind.value for clock in clocks}
    median, best = statistics.median(runs), min(runs)
    print(f"countdowns: {CLOCKS:,} clocks ({', '.join(sorted(kinds))}) × {REPEATS} runs:"
          f" median {median:.2f} ms, best {best:.2f} ms")
    return median, best


def main() -> int:
    rng = random.Random(SEED)
    print(f"desk SLA engine benchmark: seed {SEED}, {CONFIG.timezone},"
          f" {FIRST_YEAR}–{LAST_YEAR}, targets {', '.join(f'{h:g}' for h in TARGET_HOURS)} h")
    cases = make_cases(rng)
    instants = [datetime.fromtimestamp(case.epoch, ZONE) for case in cases]

    started = time.perf_counter()
    calendar = build_calendars(first_year=FIRST_YEAR).service
    calendar.position(datetime(LAST_YEAR + 1, 12, 31, tzinfo=ZONE))  # index every year used
    print(f"calendar index {FIRST_YEAR}–{LAST_YEAR + 1}:"
          f" built in {(time.perf_counter() - started) * 1000:.0f} ms (not in the rate)")

    started = time.perf_counter()
    desk = desk_deadlines(calendar.add, instants, cases)
    elapsed = time.perf_counter() - started
    desk_rate = len(cases) / elapsed
    print(f"desk in-process: {len(cases):,} deadlines in {elapsed * 1000:.0f} ms"
          f" = {desk_rate:,.0f}/s")

    picked = sorted(random.Random(SEED + 2).sample(range(CASES), SAMPLE))
    bt_rate, remaining, desk_wrong = compare(
        [cases[i] for i in picked], [desk[i] for i in picked], bt_rules(), calendar.add
    )
    ratio = desk_rate / bt_rate
    print(f"desk / businesstimedelta: {ratio:,.0f}×")

    median, best = countdowns(rng)

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "MISS"

    print("summary")
    print(f"  {verdict(desk_rate >= GOAL_RATE)}  ≥ {GOAL_RATE:,} deadlines/s in-process:"
          f" {desk_rate:,.0f}/s")
    print(f"  {verdict(ratio >= GOAL_RATIO)}  ≥ {GOAL_RATIO}× businesstimedelta: {ratio:,.0f}×")
    print(f"  {verdict(remaining == 0 and desk_wrong == 0)}  identical answers after boundary"
          f" normalisation: {remaining} disagreements, desk wrong on {desk_wrong}")
    print(f"  {verdict(median <= GOAL_COUNTDOWN_MS)}  {CLOCKS:,} countdowns ≤"
          f" {GOAL_COUNTDOWN_MS:g} ms: median {median:.2f} ms (best {best:.2f} ms)")
    if desk_wrong:
        print("desk gave wrong deadlines: see the lines marked WRONG/MISMATCH above")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
