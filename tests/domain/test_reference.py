"""Property tests: desk's indexed engine against a slow, obviously correct reference that
walks real time minute by minute and asks, for each minute, whether the desk is open."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from desk_tui.domain.calendar import CalendarConfig, build_calendars, resolved_holidays
from tests.domain.conftest import AMS

CONFIG = CalendarConfig(bridge_days={2026: (date(2026, 5, 15),)})
SERVICE = build_calendars(CONFIG, first_year=2026).service
MINUTE = timedelta(minutes=1)


def desk_open(minute_start: datetime) -> bool:
    """The SLA's rule, read literally: not Sunday, not a closing day, inside a range."""
    local = minute_start.astimezone(AMS)
    day = local.date()
    if day.weekday() == 6 or day in resolved_holidays(CONFIG, day.year):
        return False
    wall = local.hour * 60 + local.minute
    ranges = CONFIG.service_window.get(day.weekday(), ())
    return any(r.start_minute <= wall < r.end_minute for r in ranges)


def paused(minute_start: datetime, pauses: list[tuple[datetime, datetime]]) -> bool:
    return any(start <= minute_start < end for start, end in pauses)


def reference_due(start: datetime, work_minutes: int, pauses) -> datetime:
    t = start.astimezone(UTC)
    left = work_minutes
    while True:
        if desk_open(t) and not paused(t, pauses):
            left -= 1
            if left == 0:
                return t + MINUTE
        t += MINUTE


def reference_between(start: datetime, end: datetime, pauses) -> int:
    t, stop, worked = start.astimezone(UTC), end.astimezone(UTC), 0
    while t < stop:
        worked += desk_open(t) and not paused(t, pauses)
        t += MINUTE
    return worked


# Anchors where calendars go wrong: both DST weekends, Easter, King's Day, Ascension with the
# configured bridge day, Liberation Day, Christmas and New Year; plus anywhere in 2026–2027.
ANCHORS = [
    datetime(2026, 3, 27, tzinfo=AMS), datetime(2026, 10, 23, tzinfo=AMS),
    datetime(2026, 4, 2, tzinfo=AMS), datetime(2026, 4, 24, tzinfo=AMS),
    datetime(2026, 5, 1, tzinfo=AMS), datetime(2026, 5, 12, tzinfo=AMS),
    datetime(2026, 12, 23, tzinfo=AMS), datetime(2027, 3, 26, tzinfo=AMS),
    datetime(2027, 10, 29, tzinfo=AMS),
]
near_anchor = st.builds(
    lambda anchor, minutes: (anchor.astimezone(UTC) + timedelta(minutes=minutes)),
    st.sampled_from(ANCHORS),
    st.integers(0, 6 * 24 * 60),
)
anywhere = st.builds(
    lambda minutes: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes),
    st.integers(0, 2 * 365 * 24 * 60),
)
instants = st.one_of(near_anchor, anywhere)
# Whole quarter hours up to three work days, as the SLA's targets are.
work_minutes = st.integers(1, 96).map(lambda quarters: quarters * 15)


@st.composite
def pause_lists(draw, start: datetime) -> list[tuple[datetime, datetime]]:
    pauses = []
    cursor = start - timedelta(hours=2)
    for _ in range(draw(st.integers(0, 3))):
        begin = cursor + timedelta(minutes=draw(st.integers(0, 3 * 24 * 60)))
        end = begin + timedelta(minutes=draw(st.integers(1, 2 * 24 * 60)))
        pauses.append((begin, end))
        cursor = end + timedelta(minutes=draw(st.integers(0, 600)))
    return pauses


@settings(max_examples=150, deadline=None)
@given(start=instants, minutes=work_minutes)
def test_due_time_matches_the_minute_by_minute_reference(start, minutes):
    assert SERVICE.add(start, minutes * 60.0) == reference_due(start, minutes, [])


@settings(max_examples=100, deadline=None)
@given(data=st.data(), start=instants, minutes=work_minutes)
def test_due_time_with_pauses_matches_the_reference(data, start, minutes):
    pauses = data.draw(pause_lists(start))
    assert SERVICE.add(start, minutes * 60.0, pauses) == reference_due(start, minutes, pauses)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), start=instants, span=st.integers(0, 5 * 24 * 60))
def test_work_seconds_between_match_the_reference(data, start, span):
    end = start + timedelta(minutes=span)
    pauses = data.draw(pause_lists(start))
    assert SERVICE.between(start, end, pauses) == reference_between(start, end, pauses) * 60.0
