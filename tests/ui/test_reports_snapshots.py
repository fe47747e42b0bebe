"""Snapshots of the reports screen on a small October, frozen clock, two themes: the
availability table and the 12-month plots."""

from __future__ import annotations

import pytest

from tests.ui.app_harness import APP_SIZE, make_test_app
from tests.ui.test_reports_screen import october, open_reports

THEMES = ["desk-dark", "desk-light"]


@pytest.mark.parametrize("tab", ["1", "5"])
@pytest.mark.parametrize("theme", THEMES)
def test_reports_screen(snap_compare, ui_world, clock, theme, tab):
    october(ui_world)
    app = make_test_app(ui_world, clock, theme=theme, header_clock=False)

    async def enkhuizen(pilot):
        await open_reports(app, pilot, "ENK")
        await pilot.press(tab)
        await pilot.pause()

    assert snap_compare(app, terminal_size=APP_SIZE, run_before=enkhuizen)
