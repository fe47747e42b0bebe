"""Evening on-call: its window, what it handles, its clocks and the evening to hand over."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from desk_tui.domain.calendar import Calendars
from desk_tui.domain.oncall import (
    CallFacts,
    evening_at,
    handled_on_call,
    last_closed_evening,
    on_call_reaction_due,
)
from desk_tui.domain.sla import Handler, SlaEngine
from tests.domain.conftest import ams


@pytest.mark.parametrize(("instant", "open_"), [
    ("2026-11-30 16:59", False),  # Monday, desk still open
    ("2026-11-30 17:00", True),
    ("2026-11-30 19:59", True),
    ("2026-11-30 20:00", False),  # end exclusive: handed over at 20:00
    ("2026-12-01 18:00", False),  # Tuesday: no evening opening
    ("2026-12-02 18:00", True),  # Wednesday
    ("2026-12-03 18:00", True),  # Thursday
    ("2026-12-04 18:00", False),  # Friday
    ("2026-04-06 18:00", False),  # Tweede Paasdag, a Monday: closed
    ("2026-05-14 18:00", False),  # Hemelvaartsdag, a Thursday: closed
    ("2026-12-24 18:00", True),  # Christmas Eve is a working Thursday
])
def test_on_call_window(calendars: Calendars, instant: str, open_: bool) -> None:
    assert (evening_at(calendars, ams(instant)) is not None) is open_


def test_the_window_follows_daylight_saving(calendars: Calendars) -> None:
    summer = evening_at(calendars, ams("2026-03-30 18:00"))  # Monday after the clocks went on
    winter = evening_at(calendars, ams("2026-10-26 18:00"))  # Monday after they went back
    assert summer is not None and winter is not None
    assert summer.opens.astimezone(UTC) == datetime(2026, 3, 30, 15, 0, tzinfo=UTC)
    assert summer.closes.astimezone(UTC) == datetime(2026, 3, 30, 18, 0, tzinfo=UTC)
    assert winter.opens.astimezone(UTC) == datetime(2026, 10, 26, 16, 0, tzinfo=UTC)
    assert winter.closes.astimezone(UTC) == datetime(2026, 10, 26, 19, 0, tzinfo=UTC)


def test_the_evening_to_hand_over_skips_holidays(calendars: Calendars) -> None:
    at_eight = last_closed_evening(calendars, ams("2026-11-30 20:00"))
    assert at_eight is not None and at_eight.day == date(2026, 11, 30)
    assert last_closed_evening(calendars, ams("2026-11-30 19:59")).day == date(2026, 11, 26)
    # Easter Monday 6 April 2026 has no evening: Tuesday morning looks back to Thursday 2nd.
    assert last_closed_evening(calendars, ams("2026-04-07 08:00")).day == date(2026, 4, 2)


EVENING = "2026-11-30 17:00"


def _facts(**changes) -> CallFacts:
    values = dict(priority=3, handled_by=Handler.DESK, registered_at=ams("2026-11-30 17:20"),
                  category="Kernapplicatie", evening_opening=True)
    values.update(changes)
    return CallFacts(**values)


@pytest.mark.parametrize(("facts", "handled"), [
    (_facts(), True),  # counter application, evening-opening municipality, this evening
    (_facts(category="Printen en scannen"), True),  # a peripheral
    (_facts(category="Office", ci_types=frozenset({"printer"})), True),  # by its CI
    (_facts(category="Office"), False),  # not a counter matter
    (_facts(evening_opening=False), False),  # no evening opening there
    (_facts(reacted=True), True),  # taken this evening: still on-call's
    (_facts(registered_at=ams("2026-11-30 10:00")), True),  # today, nobody took it
    (_facts(registered_at=ams("2026-11-30 10:00"), reacted=True), False),  # the desk has it
    (_facts(registered_at=ams("2026-11-27 10:00")), False),  # older: the desk's
    (_facts(incident=False), False),  # a request waits for the desk
    (_facts(registered_at=ams("2026-11-30 20:00")), False),  # after closing
    (_facts(priority=1, category="Office", evening_opening=False,
            registered_at=ams("2026-11-20 10:00")), True),  # every open P1
    (_facts(priority=2, handled_by=Handler.ON_CALL, evening_opening=False), True),
])
def test_what_on_call_handles(calendars: Calendars, facts: CallFacts, handled: bool) -> None:
    evening = evening_at(calendars, ams(EVENING))
    assert evening is not None
    assert handled_on_call(facts, evening) is handled


def test_on_call_clock_runs_in_the_evening_and_on_next_morning(engine: SlaEngine) -> None:
    evening = evening_at(engine.calendars, ams("2026-11-30 19:00"))
    assert evening is not None
    # Registered at 16:50 (desk still open): on-call's 30 minutes start at 17:00.
    assert on_call_reaction_due(engine, ams("2026-11-30 16:50"), evening) == ams(
        "2026-11-30 17:30")
    # 19:45: 15 minutes tonight, 15 at the desk's opening on Tuesday.
    assert on_call_reaction_due(engine, ams("2026-11-30 19:45"), evening) == ams(
        "2026-12-01 08:15")


def test_the_counter_phones_are_on_calls(calendars: Calendars) -> None:
    evening = evening_at(calendars, ams(EVENING))
    assert evening is not None
    assert handled_on_call(_facts(category="Telefonie"), evening)
