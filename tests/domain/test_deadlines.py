"""Due times in work hours (service window 1, Mon–Fri 08:00–17:00 Europe/Amsterdam)."""

from datetime import date

import pytest

from desk_tui.domain.calendar import CalendarConfig, build_calendars
from tests.domain.conftest import HOUR, ams

DAY = 8 * HOUR

# The SPEC's worked examples, and the dates the foundation issue names.
CASES = [
    # registered,          work seconds, due (Amsterdam wall time)
    ("2026-11-27 16:50", 0.25 * HOUR, "2026-11-30 08:05"),  # P1 reaction over a weekend
    ("2026-11-27 16:50", 4 * HOUR, "2026-11-30 11:50"),  # P1 resolution over a weekend
    ("2026-11-28 10:00", 2 * HOUR, "2026-11-30 10:00"),  # Saturday: starts Monday 08:00
    ("2026-11-28 10:00", 10 * DAY, "2026-12-10 16:00"),
    ("2026-04-24 16:30", 3 * DAY, "2026-04-30 13:30"),  # King's Day Monday 27 April
    ("2026-10-23 16:00", DAY, "2026-10-26 15:00"),  # clocks go back Sunday 25 October
    ("2026-12-23 10:00", 3 * DAY, "2026-12-28 16:00"),  # Christmas Friday 25 December
    ("2026-11-30 16:45", 0.25 * HOUR, "2026-11-30 17:00"),  # ends at closing, not next morning
    ("2026-04-02 16:00", 2 * HOUR, "2026-04-03 09:00"),  # Good Friday is worked by default
    ("2026-04-03 16:00", 2 * HOUR, "2026-04-07 09:00"),  # Easter Monday closed
    ("2025-04-25 16:00", 2 * HOUR, "2025-04-28 09:00"),  # King's Day on Saturday 26 April 2025
    ("2026-05-04 16:00", 2 * HOUR, "2026-05-06 09:00"),  # Liberation Day every year
    ("2026-05-13 16:00", 2 * HOUR, "2026-05-15 09:00"),  # Ascension Thursday
    ("2026-03-27 16:00", DAY, "2026-03-30 15:00"),  # clocks go forward Sunday 29 March
    ("2026-03-29 02:30", HOUR, "2026-03-30 09:00"),  # a wall time that does not exist
    ("2026-10-25 02:30", HOUR, "2026-10-26 09:00"),  # a wall time that happens twice
    ("2026-11-30 16:59", 0.25 * HOUR, "2026-12-01 08:14"),
    ("2026-11-30 17:00", 0.25 * HOUR, "2026-12-01 08:15"),
    ("2026-11-29 23:59", 0.5 * HOUR, "2026-11-30 08:30"),  # Sunday night
    ("2026-11-30 07:59", HOUR, "2026-11-30 09:00"),
    ("2026-12-31 16:00", 2 * HOUR, "2027-01-04 09:00"),  # New Year's Day, then a weekend
    # 5 days = 40 work hours; the window has 9 hours a day, so they end Friday noon.
    ("2026-11-30 08:00", 5 * DAY, "2026-12-04 12:00"),
]


@pytest.mark.parametrize(("registered", "work_seconds", "due"), CASES)
def test_due_time_in_work_hours(calendars, registered, work_seconds, due):
    assert calendars.service.add(ams(registered), work_seconds) == ams(due)


@pytest.mark.parametrize(("registered", "work_seconds", "due"), CASES)
def test_work_seconds_between_registration_and_due_is_the_target(
    calendars, registered, work_seconds, due
):
    assert calendars.service.between(ams(registered), ams(due)) == work_seconds


def test_due_times_carry_the_offset_of_their_own_date(calendars):
    due = calendars.service.add(ams("2026-10-23 16:00"), DAY)
    assert due.isoformat() == "2026-10-26T15:00:00+01:00"
    before = calendars.service.add(ams("2026-10-22 16:00"), DAY)
    assert before.isoformat() == "2026-10-23T15:00:00+02:00"


def test_a_configured_bridge_day_is_closed():
    config = CalendarConfig(bridge_days={2026: (date(2026, 5, 15),)})
    service = build_calendars(config, first_year=2026).service
    assert service.add(ams("2026-05-13 16:00"), 2 * HOUR) == ams("2026-05-18 09:00")


def test_good_friday_closed_by_configuration():
    service = build_calendars(CalendarConfig(good_friday_closed=True), first_year=2026).service
    assert service.add(ams("2026-04-02 16:00"), 2 * HOUR) == ams("2026-04-07 09:00")


def test_saturday_hours_can_be_configured():
    table = {"service_window": {"saturday": ["09:00-12:00"]}}
    service = build_calendars(CalendarConfig.from_mapping(table), first_year=2026).service
    assert service.add(ams("2026-11-28 10:00"), 2 * HOUR) == ams("2026-11-28 12:00")
    assert service.add(ams("2026-11-28 11:00"), 2 * HOUR) == ams("2026-11-30 09:00")
    # Days not named keep their default hours.
    assert service.add(ams("2026-11-30 16:00"), 2 * HOUR) == ams("2026-12-01 09:00")


def test_a_day_can_be_closed_and_hours_split():
    table = {"service_window": {"tuesday": [], "monday": ["08:00-12:00", "13:00-17:00"]}}
    service = build_calendars(CalendarConfig.from_mapping(table), first_year=2026).service
    assert service.add(ams("2026-11-30 11:00"), 2 * HOUR) == ams("2026-11-30 14:00")
    assert service.add(ams("2026-11-30 16:00"), 2 * HOUR) == ams("2026-12-02 09:00")


class TestPauses:
    def test_waiting_on_the_caller_stops_the_resolution_clock(self, calendars):
        pauses = [(ams("2026-11-30 11:00"), ams("2026-12-01 14:00"))]
        due = calendars.service.add(ams("2026-11-30 09:00"), DAY, pauses)
        assert due == ams("2026-12-02 11:00")

    def test_a_pause_over_a_weekend_and_nights(self, calendars):
        pauses = [(ams("2026-11-27 15:00"), ams("2026-12-01 10:00"))]
        # Fri 09–15 = 6 h used, resumes Tue 10:00, 2 h left.
        due = calendars.service.add(ams("2026-11-27 09:00"), DAY, pauses)
        assert due == ams("2026-12-01 12:00")

    def test_overlapping_pauses_are_counted_once(self, calendars):
        pauses = [
            (ams("2026-11-30 10:00"), ams("2026-11-30 12:00")),
            (ams("2026-11-30 11:00"), ams("2026-11-30 13:00")),
        ]
        due = calendars.service.add(ams("2026-11-30 08:00"), 4 * HOUR, pauses)
        assert due == ams("2026-11-30 15:00")

    def test_a_pause_after_the_deadline_does_not_undo_a_breach(self, calendars):
        pauses = [(ams("2026-11-30 12:00"), ams("2026-12-01 12:00"))]
        due = calendars.service.add(ams("2026-11-30 08:00"), 2 * HOUR, pauses)
        assert due == ams("2026-11-30 10:00")

    def test_a_pause_starting_exactly_at_the_deadline_is_too_late(self, calendars):
        pauses = [(ams("2026-11-30 10:00"), ams("2026-12-01 12:00"))]
        due = calendars.service.add(ams("2026-11-30 08:00"), 2 * HOUR, pauses)
        assert due == ams("2026-11-30 10:00")

    def test_a_pause_before_registration_counts_from_registration(self, calendars):
        pauses = [(ams("2026-11-30 07:00"), ams("2026-11-30 10:00"))]
        due = calendars.service.add(ams("2026-11-30 09:00"), HOUR, pauses)
        assert due == ams("2026-11-30 11:00")

    def test_an_open_pause_holds_the_clock(self, calendars):
        with pytest.raises(ValueError, match="open pause"):
            calendars.service.add(ams("2026-11-30 09:00"), DAY, [(ams("2026-11-30 10:00"), None)])

    def test_work_seconds_between_leave_out_pauses(self, calendars):
        pauses = [(ams("2026-11-30 11:00"), ams("2026-12-01 14:00"))]
        worked = calendars.service.between(ams("2026-11-30 09:00"), ams("2026-12-02 11:00"), pauses)
        assert worked == DAY
        open_pause = [(ams("2026-11-30 11:00"), None)]
        assert calendars.service.between(
            ams("2026-11-30 09:00"), ams("2026-12-02 11:00"), open_pause
        ) == 2 * HOUR


class TestWindows:
    def test_open_at_opening_closed_at_closing(self, calendars):
        assert calendars.service.is_open(ams("2026-11-30 08:00"))
        assert not calendars.service.is_open(ams("2026-11-30 17:00"))
        assert not calendars.service.is_open(ams("2026-12-25 10:00"))

    def test_next_opening(self, calendars):
        assert calendars.service.next_opening(ams("2026-11-27 17:00")) == ams("2026-11-30 08:00")
        assert calendars.service.next_opening(ams("2026-11-30 09:13")) == ams("2026-11-30 09:13")

    def test_on_call_runs_monday_wednesday_thursday_evenings(self, calendars):
        on_call = calendars.on_call
        assert on_call.is_open(ams("2026-11-30 17:00"))  # Monday
        assert not on_call.is_open(ams("2026-12-01 18:00"))  # Tuesday
        assert on_call.is_open(ams("2026-12-02 19:59"))  # Wednesday
        assert on_call.is_open(ams("2026-12-03 18:00"))  # Thursday
        assert not on_call.is_open(ams("2026-12-04 18:00"))  # Friday
        assert not on_call.is_open(ams("2026-12-03 20:00"))

    def test_no_on_call_on_a_holiday(self, calendars):
        assert not calendars.on_call.is_open(ams("2026-04-06 18:00"))  # Easter Monday

    def test_daily_maintenance_window(self, calendars):
        assert calendars.in_maintenance(ams("2026-11-29 06:30"))
        assert not calendars.in_maintenance(ams("2026-11-29 07:00"))

    def test_intervals_are_clipped(self, calendars):
        spans = calendars.service.intervals(ams("2026-11-27 12:00"), ams("2026-11-30 09:00"))
        assert spans == [
            (ams("2026-11-27 12:00"), ams("2026-11-27 17:00")),
            (ams("2026-11-30 08:00"), ams("2026-11-30 09:00")),
        ]


def test_calendar_grows_in_both_directions_without_moving_positions(calendars):
    service = build_calendars(first_year=2026).service
    position = service.position(ams("2026-06-01 10:00"))
    service.add(ams("2031-12-01 10:00"), DAY)
    service.add(ams("2019-12-01 10:00"), DAY)
    assert service.position(ams("2026-06-01 10:00")) == position
    assert service.add(ams("2019-12-24 16:00"), 2 * HOUR) == ams("2019-12-27 09:00")


def test_naive_instants_are_refused(calendars):
    from datetime import datetime

    with pytest.raises(ValueError, match="timezone-aware"):
        calendars.service.add(datetime(2026, 11, 30, 9), HOUR)


def test_a_calendar_without_working_time_says_so():
    closed = {day: [] for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}
    config = CalendarConfig.from_mapping({"service_window": closed})
    with pytest.raises(ValueError, match="no working time"):
        build_calendars(config, first_year=2026).service.add(ams("2026-11-30 09:00"), HOUR)
