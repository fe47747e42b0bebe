"""Shared helpers for the domain tests: Amsterdam wall times and a default engine."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from desk_tui.domain.calendar import CalendarConfig, Calendars, build_calendars
from desk_tui.domain.sla import SlaEngine

AMS = ZoneInfo("Europe/Amsterdam")
HOUR = 3600.0


def ams(text: str) -> datetime:
    """Amsterdam wall time from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=AMS)


@pytest.fixture(scope="session")
def calendars() -> Calendars:
    return build_calendars(CalendarConfig(), first_year=2026)


@pytest.fixture(scope="session")
def engine(calendars: Calendars) -> SlaEngine:
    return SlaEngine(calendars)
