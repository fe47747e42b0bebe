"""The hierarchical ladder and the alerts that ask someone to act (SPEC 5)."""

from __future__ import annotations

import pytest

from desk_tui.domain.escalation import (
    HIERARCHICAL_LADDER,
    Alert,
    AlertKind,
    EscalationPolicy,
    alerts,
    next_rung,
    rung,
)
from desk_tui.domain.sla import ClockState, Countdown

POLICY = EscalationPolicy()


def countdown(used: float, *, running: bool = True) -> Countdown:
    state = (ClockState.BREACHED if used >= 1 else
             ClockState.WARNING if used >= 0.75 else ClockState.OK)
    return Countdown(remaining_s=(1 - used) * 3600, fraction_used=used, state=state,
                     running=running)


def test_the_ladder_has_the_five_levels_of_the_sla_with_both_sides() -> None:
    assert [r.level for r in HIERARCHICAL_LADDER] == [1, 2, 3, 4, 5]
    assert rung(1).participant_role == "contractmanager"
    assert rung(2).participant_role == "informatiemanager"
    assert rung(5).servicedesk_role == "algemeen bestuur"
    assert next_rung(0) == rung(1)
    assert next_rung(4) == rung(5)
    assert next_rung(5) is None
    with pytest.raises(ValueError, match="not on the ladder"):
        rung(6)


@pytest.mark.parametrize(
    ("priority", "used", "level"),
    [
        (3, None, 0), (3, 0.5, 0), (3, 0.999, 0), (3, 1.0, 1), (3, 1.49, 1), (3, 1.5, 2),
        (3, 2.0, 3), (3, 3.0, 4), (3, 4.0, 5), (3, 40.0, 5),
        # Priority 1 is at level 1 from registration: its manager is told at once.
        (1, None, 1), (1, 0.1, 1), (1, 1.5, 2),
    ],
)
def test_the_due_level_follows_the_share_of_the_resolution_target_used(
    priority: int, used: float | None, level: int
) -> None:
    assert POLICY.due_level(priority, used) == level


def test_a_call_under_its_warning_share_needs_nothing() -> None:
    found = alerts(POLICY, priority=3, reacted=True, reaction=countdown(0.2),
                   resolution=countdown(0.74), current_level=0)
    assert found == []


def test_warnings_and_breaches_of_both_clocks() -> None:
    assert alerts(POLICY, priority=4, reacted=False, reaction=countdown(0.8),
                  resolution=countdown(0.1), current_level=0) == [
        Alert(AlertKind.REACTION_WARNING)
    ]
    assert alerts(POLICY, priority=4, reacted=False, reaction=countdown(1.2),
                  resolution=countdown(0.8), current_level=0) == [
        Alert(AlertKind.RESOLUTION_WARNING), Alert(AlertKind.REACTION_BREACHED)
    ]
    # Reaction given: its clock no longer warns, however late it was.
    assert alerts(POLICY, priority=4, reacted=True, reaction=countdown(3.0),
                  resolution=countdown(1.1), current_level=1) == [
        Alert(AlertKind.RESOLUTION_BREACHED)
    ]


def test_a_waiting_call_does_not_warn_but_its_level_stays_due() -> None:
    found = alerts(POLICY, priority=3, reacted=True, reaction=countdown(0.1),
                   resolution=countdown(1.6, running=False), current_level=1)
    assert found == [Alert(AlertKind.LEVEL_DUE, 2)]


def test_an_escalated_call_at_its_due_level_needs_no_level_alert() -> None:
    found = alerts(POLICY, priority=1, reacted=True, reaction=countdown(0.1),
                   resolution=countdown(0.2), current_level=1)
    assert found == []
    new_p1 = alerts(POLICY, priority=1, reacted=False, reaction=countdown(0.1),
                    resolution=countdown(0.0), current_level=0)
    assert new_p1 == [Alert(AlertKind.LEVEL_DUE, 1)]


def test_the_policy_comes_from_the_config_and_refuses_nonsense() -> None:
    policy = EscalationPolicy.from_mapping(
        {"resolution_warning_share": 0.5, "level_shares": [1, 2]}
    )
    assert policy.due_level(3, 0.6) == 0
    assert policy.due_level(3, 2.5) == 2
    with pytest.raises(ValueError, match="rising"):
        EscalationPolicy.from_mapping({"level_shares": [2, 1]})
    with pytest.raises(ValueError, match="between 0 and 1"):
        EscalationPolicy.from_mapping({"reaction_warning_share": 1.5})
    with pytest.raises(ValueError, match="unknown"):
        EscalationPolicy.from_mapping({"levels": [1]})
    with pytest.raises(ValueError, match="1 to 5"):
        EscalationPolicy.from_mapping({"level_shares": [1, 2, 3, 4, 5, 6]})


# -- telling of each crossing once -----------------------------------------------------------------
def test_the_watch_tells_of_each_alert_once_per_crossing() -> None:
    from desk_tui.domain.escalation import AlertWatch

    watch = AlertWatch()
    warning = Alert(AlertKind.REACTION_WARNING)
    breached = Alert(AlertKind.REACTION_BREACHED)
    assert watch.update({"a": [], "b": [warning]}) == [("b", warning)]  # the first look
    assert watch.update({"a": [], "b": [warning]}) == []  # nothing new: nothing told
    assert watch.update({"a": [warning], "b": [breached]}) == [("a", warning), ("b", breached)]
    assert watch.update({"a": [warning], "b": [breached]}) == []
    # The level due moves up: told again, with the new level.
    assert watch.update({"a": [Alert(AlertKind.LEVEL_DUE, 1), warning]}) == [
        ("a", Alert(AlertKind.LEVEL_DUE, 1))]
    assert watch.update({"a": [Alert(AlertKind.LEVEL_DUE, 2), warning]}) == [
        ("a", Alert(AlertKind.LEVEL_DUE, 2))]
    # b left the list (reacted, closed): when it crosses again it is told again.
    assert watch.update({"b": [warning]}) == [("b", warning)]
