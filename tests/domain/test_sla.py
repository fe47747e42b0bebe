"""Targets, who handles a call, and countdowns."""

import pytest

from desk_tui.domain.calendar import CalendarConfig, build_calendars
from desk_tui.domain.changes import ChangeKind, VersionChange, parse_change_kind, version_change
from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.sla import ClockState, Handler, SlaEngine, SlaTargets, worst_state
from desk_tui.domain.worktime import hours
from tests.domain.conftest import HOUR, ams

L, M, H = Level.LAAG, Level.MIDDEN, Level.HOOG

REACTION_HOURS = {1: 0.25, 2: 0.5, 3: 0.5, 4: 1, 5: 2}
# (impact, urgency) -> resolution in work hours: per cell, so the two P3 cells differ.
RESOLUTION_HOURS = {
    (L, L): 80, (L, M): 40, (L, H): 8,
    (M, L): 40, (M, M): 24, (M, H): 8,
    (H, L): 24, (H, M): 8, (H, H): 4,
}


@pytest.mark.parametrize(("impact", "urgency"), list(RESOLUTION_HOURS))
def test_incident_targets_for_every_cell(engine, impact, urgency):
    registered = ams("2026-11-30 08:00")  # Monday, desk open
    plan = engine.plan_call(registered, CallType.STORING, impact, urgency)
    service = engine.calendars.service
    assert service.between(registered, plan.reaction_due) == REACTION_HOURS[plan.priority] * HOUR
    assert service.between(registered, plan.resolution_due) == RESOLUTION_HOURS[
        (impact, urgency)
    ] * HOUR


def test_the_two_p3_cells_have_different_resolution_times(engine):
    registered = ams("2026-11-30 08:00")
    low_impact = engine.plan_call(registered, CallType.STORING, L, H)
    high_impact = engine.plan_call(registered, CallType.STORING, H, L)
    assert low_impact.priority == high_impact.priority == 3
    assert low_impact.resolution_due == ams("2026-11-30 16:00")  # 1 day
    assert high_impact.resolution_due == ams("2026-12-02 14:00")  # 3 days = 24 h


@pytest.mark.parametrize("call_type", [CallType.SERVICEVERZOEK, CallType.INFORMATIEVERZOEK])
def test_requests_must_be_taken_within_two_hours_and_have_no_resolution_target(engine, call_type):
    plan = engine.plan_call(ams("2026-11-30 16:00"), call_type)
    assert plan.reaction_due == ams("2026-12-01 09:00")
    assert plan.resolution_due is None and plan.priority is None


def test_an_incident_needs_impact_and_urgency(engine):
    with pytest.raises(ValueError, match="impact and urgency"):
        engine.plan_call(ams("2026-11-30 09:00"), CallType.STORING)


class TestOnCall:
    def test_priority_1_outside_hours_goes_to_on_call(self, engine):
        plan = engine.plan_call(ams("2026-11-30 18:10"), CallType.STORING, H, H)  # Monday
        assert plan.handled_by is Handler.ON_CALL
        assert plan.reaction_due == ams("2026-11-30 18:40")  # 30 minutes on the on-call clock
        assert plan.resolution_due == ams("2026-12-01 12:00")  # resolution: service window

    def test_on_call_clock_runs_on_into_the_next_service_morning(self, engine):
        plan = engine.plan_call(ams("2026-11-30 19:50"), CallType.STORING, H, H)
        assert plan.handled_by is Handler.ON_CALL
        assert plan.reaction_due == ams("2026-12-01 08:20")

    def test_priority_1_on_a_tuesday_evening_waits_for_the_desk(self, engine):
        plan = engine.plan_call(ams("2026-12-01 18:00"), CallType.STORING, H, H)
        assert plan.handled_by is Handler.DESK
        assert plan.reaction_due == ams("2026-12-02 08:15")

    def test_priority_1_on_monday_morning_before_opening_is_the_desks(self, engine):
        plan = engine.plan_call(ams("2026-11-30 07:00"), CallType.STORING, H, H)
        assert plan.handled_by is Handler.DESK
        assert plan.clock_start == ams("2026-11-30 08:00")

    def test_priority_2_after_hours_waits_for_the_desk(self, engine):
        plan = engine.plan_call(ams("2026-11-30 18:10"), CallType.STORING, M, H)
        assert plan.handled_by is Handler.DESK
        assert plan.reaction_due == ams("2026-12-01 08:30")

    def test_priority_1_inside_hours_is_the_desks(self, engine):
        plan = engine.plan_call(ams("2026-11-30 16:45"), CallType.STORING, H, H)
        assert plan.handled_by is Handler.DESK
        assert plan.reaction_due == ams("2026-11-30 17:00")

    def test_on_call_reaction_is_configurable(self):
        targets = SlaTargets.from_mapping({"on_call_reaction_minutes": 15})
        engine = SlaEngine(build_calendars(first_year=2026), targets)
        plan = engine.plan_call(ams("2026-12-02 19:00"), CallType.STORING, H, H)
        assert plan.reaction_due == ams("2026-12-02 19:15")


class TestCountdown:
    def test_ok_then_warning_then_breached(self, engine):
        plan = engine.plan_call(ams("2026-11-30 09:00"), CallType.STORING, H, H)  # 4 h
        clock = plan.resolution
        at_ten = engine.countdown(clock, ams("2026-11-30 10:00"))
        assert at_ten == (3 * HOUR, 0.25, ClockState.OK, True)
        assert engine.countdown(clock, ams("2026-11-30 12:00")).state is ClockState.WARNING
        at_due = engine.countdown(clock, ams("2026-11-30 13:00"))
        assert at_due.remaining_s == 0 and at_due.state is ClockState.BREACHED
        late = engine.countdown(clock, ams("2026-12-01 09:00"))
        assert late.remaining_s == -5 * HOUR and late.fraction_used == 2.25

    def test_countdown_stands_still_outside_the_window(self, engine):
        plan = engine.plan_call(ams("2026-11-27 15:00"), CallType.STORING, H, H)
        friday = engine.countdown(plan.resolution, ams("2026-11-27 17:00"))
        sunday = engine.countdown(plan.resolution, ams("2026-11-29 12:00"))
        assert friday.remaining_s == sunday.remaining_s == 2 * HOUR

    def test_a_waiting_call_keeps_its_remaining_time(self, engine):
        pauses = [(ams("2026-11-30 11:00"), None)]
        plan = engine.plan_call(ams("2026-11-30 09:00"), CallType.STORING, M, H, pauses)
        assert plan.resolution_due is None
        later = engine.countdown(plan.resolution, ams("2026-12-03 10:00"))
        assert later.remaining_s == 6 * HOUR and not later.running

    def test_a_reaction_given_stops_its_clock(self, engine):
        plan = engine.plan_call(
            ams("2026-11-30 09:00"), CallType.STORING, L, L, reacted=ams("2026-11-30 10:00")
        )
        later = engine.countdown(plan.reaction, ams("2026-12-03 10:00"))
        assert later.remaining_s == HOUR and later.state is ClockState.OK and not later.running

    def test_warning_share_is_configurable(self):
        engine = SlaEngine(build_calendars(first_year=2026), SlaTargets(warning_share=0.5))
        plan = engine.plan_call(ams("2026-11-30 09:00"), CallType.STORING, H, H)
        at_eleven = engine.countdown(plan.resolution, ams("2026-11-30 11:00"))
        assert at_eleven.state is ClockState.WARNING

    def test_many_countdowns_share_one_position_of_now(self, engine):
        plans = [
            engine.plan_call(ams(f"2026-11-30 {hour:02d}:00"), CallType.STORING, H, H)
            for hour in (9, 10, 11)
        ]
        positions = engine.now_positions(ams("2026-11-30 12:00"))
        states = [c.state for c in engine.countdowns([p.resolution for p in plans], positions)]
        assert states == [ClockState.WARNING, ClockState.OK, ClockState.OK]
        assert worst_state(states) is ClockState.WARNING


class TestChanges:
    @pytest.mark.parametrize(
        ("kind", "due"),
        [
            (ChangeKind.WACHTWOORD, "2026-11-30 08:15"),
            (ChangeKind.AUTORISATIE, "2026-11-30 09:00"),
            (ChangeKind.OVERIG_STANDAARD, "2026-12-01 15:00"),  # 16 work hours
            (ChangeKind.IN_DIENST, "2026-12-04 12:00"),  # 1 week = 5 work days = 40 h
            (ChangeKind.BESTELLING, "2026-12-04 12:00"),
        ],
    )
    def test_standard_change_lead_times(self, engine, kind, due):
        assert engine.plan_change(ams("2026-11-30 08:00"), kind).lead_time_due == ams(due)

    def test_joiner_own_part_is_three_work_days(self, engine):
        plan = engine.plan_change(ams("2026-11-30 08:00"), ChangeKind.IN_DIENST)
        assert plan.own_part_due == ams("2026-12-02 14:00")

    def test_emergency_change_reaction_is_two_work_hours(self, engine):
        plan = engine.plan_change(ams("2026-11-27 16:00"), ChangeKind.NOODWIJZIGING)
        assert plan.reaction_due == ams("2026-11-30 09:00") and plan.lead_time_due is None

    def test_non_standard_change_is_planned_with_the_participants(self, engine):
        plan = engine.plan_change(ams("2026-11-30 08:00"), ChangeKind.NIET_STANDAARD)
        assert not plan.standard and plan.lead_time_due is None and plan.reaction_due is None

    def test_a_week_is_configurable(self):
        config = CalendarConfig(work_week_days=4)
        engine = SlaEngine(build_calendars(config, first_year=2026))
        plan = engine.plan_change(ams("2026-11-30 08:00"), ChangeKind.UIT_DIENST)
        assert plan.lead_time_due == ams("2026-12-03 13:00")  # 32 work hours

    def test_change_kinds_read_dutch_and_english(self):
        assert parse_change_kind("password") is ChangeKind.WACHTWOORD
        assert parse_change_kind("In dienst") is ChangeKind.IN_DIENST
        with pytest.raises(ValueError, match="unknown change kind"):
            parse_change_kind("koffie")

    @pytest.mark.parametrize(
        ("old", "new", "kind"),
        [
            ("4.2.1", "5.0.0", VersionChange.UPGRADE),
            ("4.2.1", "4.3.0", VersionChange.UPDATE),
            ("4.2.1", "4.2.2", VersionChange.PATCH),
            ("4.2", "4.2.0.1", VersionChange.PATCH),
        ],
    )
    def test_upgrade_update_patch_by_version_number(self, old, new, kind):
        assert version_change(old, new) is kind

    def test_a_version_that_is_not_newer_is_refused(self):
        with pytest.raises(ValueError, match="not newer"):
            version_change("4.2.1", "4.2.1")


def test_work_time_units(engine):
    assert engine.seconds(hours(0.25)) == 900
