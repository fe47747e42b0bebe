"""The daily privacy purge leaves a record (when, by whom, what), and its status warns
when the last run is more than a day old or an ended participant still waits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from desk_tui.services import privacy
from desk_tui.services.errors import Refused
from desk_tui.store.engine import read_session, write_session
from tests.services.test_privacy import TODAY, _admin, _call, _contract_ends, _purge
from tests.world import MONDAY_9, World


def _status(world: World, actor, *, hours_later: float = 0, today: date = TODAY):
    with read_session(world.db) as session:
        return privacy.purge_status(session=session, actor=actor,
                                    now=MONDAY_9 + timedelta(hours=hours_later), today=today,
                                    grace_months=3)


def test_each_purge_run_is_recorded_with_who_when_and_counts(world: World) -> None:
    admin = _admin(world)
    _call(world, world.other_organisation, world.stranger, "Laptop")
    _contract_ends(world, world.other_organisation, date(2026, 7, 31))
    [report] = _purge(world, admin)
    [run] = _status(world, admin).runs
    assert (run.ran_at, run.operator_login, run.today, run.grace_months) == (
        MONDAY_9, "admin", TODAY, 3)
    assert (run.organisations, run.persons, run.calls) == (1, report.persons, report.calls)
    assert run.persons == 1 and run.calls == 1
    assert "by admin" in run.describe() and "1 persons" in run.describe()
    # A second run with nothing new is recorded too: the record says the purge ran.
    _purge(world, admin, today=TODAY + timedelta(days=1))
    assert len(_status(world, admin).runs) == 2


def test_a_dry_run_is_not_recorded(world: World) -> None:
    admin = _admin(world)
    with write_session(world.db) as session:
        privacy.purge(session=session, actor=admin, today=TODAY, now=MONDAY_9, dry_run=True)
    assert _status(world, admin).runs == ()


def test_status_warns_when_never_run_or_the_last_run_is_over_a_day_old(world: World) -> None:
    admin = _admin(world)
    never = _status(world, admin)
    assert never.overdue and never.warning().startswith("the privacy purge has never run")
    _purge(world, admin)
    assert _status(world, admin, hours_later=23).warning() is None
    late = _status(world, admin, hours_later=25)
    assert late.overdue
    assert late.warning().startswith("the privacy purge last ran 25 hours ago")


def test_status_names_an_ended_participant_that_was_never_anonymised(world: World) -> None:
    admin = _admin(world)
    _purge(world, admin)
    _contract_ends(world, world.other_organisation, date(2026, 7, 31))
    waiting = _status(world, admin, hours_later=1)
    assert not waiting.overdue and waiting.waiting == (world.other_organisation.code,)
    assert f"personal data of {world.other_organisation.code} is due" in waiting.warning()
    _purge(world, admin)
    assert _status(world, admin, hours_later=1).warning() is None


def test_status_needs_the_purge_right(world: World) -> None:
    with pytest.raises(Refused):
        _status(world, world.agent)
