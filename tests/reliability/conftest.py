"""Reliability harnesses: killed writers, concurrent writers, broken storage, bad input."""

from __future__ import annotations

import pytest

from desk_tui.domain.calendar import build_calendars
from desk_tui.domain.sla import SlaEngine


@pytest.fixture(scope="session")
def sla() -> SlaEngine:
    return SlaEngine(build_calendars(first_year=2026))
