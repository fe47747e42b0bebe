"""The small demo the tests build: a pinned clock and seed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from desk_tui.demo.build import DemoReport, build_demo
from desk_tui.demo.options import DemoOptions
from desk_tui.domain.sla import SlaEngine
from desk_tui.store.engine import make_engine
from desk_tui.store.migrate import upgrade_database

AMS = ZoneInfo("Europe/Amsterdam")
# A Wednesday morning in January: the desk is open, and six months of history cross New
# Year, so two number sequences and the Christmas holidays are involved.
NOW = datetime(2026, 1, 7, 10, 30, tzinfo=AMS)
SMALL = DemoOptions(calls=300, cis=200, people=60, seed=7, now=NOW)


@dataclass(frozen=True)
class Demo:
    engine: Engine
    report: DemoReport
    sla: SlaEngine

    @property
    def now(self) -> datetime:
        return self.report.now


def build(url: str, sla: SlaEngine, options: DemoOptions = SMALL) -> Demo:
    engine = make_engine(url)
    upgrade_database(engine)
    return Demo(engine, build_demo(engine, sla, options), sla)
