"""The 12-month series the reports screen plots: each month's figures from one read."""

from __future__ import annotations

from datetime import date

import pytest

from desk_tui.domain.classification import Level
from desk_tui.services import calls, report_series
from desk_tui.services.errors import Refused
from desk_tui.store.engine import read_session
from tests.services.test_calls import register
from tests.world import World, at

H, M = Level.HOOG, Level.MIDDEN


def series(world: World, actor=None, last: date = date(2026, 10, 1)):
    with read_session(world.db) as session:
        return report_series.monthly_series(
            session=session, actor=actor or world.agent, sla=world.sla,
            organisation_id=world.organisation.id, last_month=last,
            now=at("2026-11-30 10:00"))


def test_a_p1_over_the_month_end_costs_each_month_its_own_hours(world: World) -> None:
    p1 = register(world, impact=H, urgency=H, now=at("2026-09-30 16:00"))
    world.write(calls.take, actor=world.agent, call_id=p1.id, now=at("2026-09-30 16:10"))
    world.write(calls.resolve, actor=world.agent, call_id=p1.id, now=at("2026-10-01 10:00"),
                solution="Herstart")
    late = register(world, impact=M, urgency=M, now=at("2026-10-06 09:00"))  # P3
    world.write(calls.take, actor=world.agent, call_id=late.id, now=at("2026-10-06 10:00"))
    register(world, impact=M, urgency=M, now=at("2025-10-31 09:00"))  # before the span

    figures = series(world)

    assert [f.month for f in figures] == [date(2025, 11, 1), date(2025, 12, 1), *(
        date(2026, month, 1) for month in range(1, 11))]
    september, october = figures[-2], figures[-1]
    # September: Wed 16:00–17:00 of 198 hours; October: Thu 08:00–10:00 of 198.
    assert september.availability == pytest.approx(1 - 1 / 198)
    assert october.availability == pytest.approx(1 - 2 / 198)
    # September's P1: reaction in 10 min and resolved in 3 hours, both met. October's P3:
    # reaction missed (1 h against 0.5 h), and its resolution (3 days, due Thursday 8
    # October 15:00) still open on 30 November: missed too.
    assert (september.calls, september.targets_met, september.targets_missed) == (1, 2, 0)
    assert (october.calls, october.targets_met, october.targets_missed) == (1, 0, 2)
    assert october.compliance == 0.0 and september.compliance == 1.0
    assert all(f.calls == 0 and f.availability == 1.0 for f in figures[:-2])


def test_a_contract_manager_cannot_read_another_participants_series(world: World) -> None:
    with pytest.raises(Refused, match="own organisation"):
        series(world, actor=world.contract_manager)


def test_months_up_to_crosses_the_year() -> None:
    assert report_series.months_up_to(date(2026, 2, 1), 4) == [
        date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
