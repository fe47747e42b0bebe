"""A demo holds exactly as many calls and CIs as asked, with an open queue an operator
can read at any size."""

from __future__ import annotations

import random

import pytest

from desk_tui.demo.calls import Fate, open_count, plan_seeds
from desk_tui.demo.cmdb import build_cmdb
from desk_tui.demo.ids import IdFactory
from desk_tui.demo.organisations import build_parties
from desk_tui.demo.world import World
from desk_tui.domain.sla import SlaEngine
from tests.demo.support import NOW


def _world() -> World:
    world = World(NOW, random.Random(1), IdFactory(2))
    build_parties(world, 40)
    return world


@pytest.mark.parametrize("total", [0, 1, 2, 3, 5, 12, 50, 300, 3_000])
def test_the_demo_plans_exactly_the_calls_asked_for(total: int, sla: SlaEngine) -> None:
    seeds = plan_seeds(_world(), sla, total)
    assert len(seeds) == total
    assert len({(seed.year, seed.number) for seed in seeds}) == total
    assert sum(seed.fate is not Fate.HISTORY for seed in seeds) == open_count(total)
    if open_count(total) >= 3:
        assert {seed.fate for seed in seeds} >= {Fate.GEREGISTREERD, Fate.IN_BEHANDELING,
                                                 Fate.WACHT}


def test_the_open_queue_stays_readable_at_any_size() -> None:
    assert open_count(3_000) == 90  # 3 %
    assert open_count(300) == 60  # at least ~60...
    assert open_count(100_000) == 300  # ...and at most a few hundred
    assert open_count(10) == 2  # never more than a quarter of a tiny demo


@pytest.mark.parametrize("total", [0, 1, 7, 13, 200, 1_500])
def test_the_cmdb_holds_exactly_the_items_asked_for(total: int) -> None:
    rows = build_cmdb(_world(), total)
    assert len(rows.items) == total
    tags = [item["asset_tag"] for item in rows.items if item["asset_tag"]]
    assert len(tags) == len(set(tags))
