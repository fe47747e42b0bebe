"""Reliability harnesses: killed writers, concurrent writers, broken storage, bad input."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desk_tui.domain.calendar import build_calendars
from desk_tui.domain.sla import SlaEngine
from desk_tui.ui import i18n
from tests.ui.app_harness import clock, ui_sla, ui_store, ui_world  # noqa: F401 (fixtures)


@pytest.fixture(scope="session")
def sla() -> SlaEngine:
    return SlaEngine(build_calendars(first_year=2026))


@pytest.fixture(autouse=True)
def dutch() -> Iterator[None]:
    """A console test may switch the language: leave it as the UI tests expect it."""
    yield
    i18n.set_language("nl")
