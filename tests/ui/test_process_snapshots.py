"""Snapshots of the problem screens and the change form (fixed size, frozen clock)."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select

from desk_tui.domain.changes import ChangeKind
from desk_tui.services import problems
from desk_tui.services.changes import ChangeDraft
from desk_tui.store.engine import write_session
from desk_tui.ui.screens.change_form import ChangeFormScreen
from desk_tui.ui.screens.changes import ChangesScreen
from desk_tui.ui.screens.problems import ProblemScreen, ProblemsScreen
from tests.services.test_calls import register
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_app_queue import loaded
from tests.ui.test_app_snapshots import quiet
from tests.world import MONDAY_9, at

THEMES = ["desk-dark", "desk-light"]


def a_problem(world) -> None:
    first = register(world, now=at("2026-11-26 09:00"), subject="Balieprinter [b]storing[/b]")
    second = register(world, now=at("2026-11-30 09:00"), subject="Printer 2e etage storing")
    opened = world.write(problems.open_problem, actor=world.agent,
                         title="Printers storen na update", call_ids=(first.id, second.id),
                         now=at("2026-11-26 10:00"))
    with write_session(world.db) as session:
        problems.record_analysis(session=session, actor=world.specialist,
                                 problem_id=opened.id, now=MONDAY_9,
                                 root_cause="Driver 6.1 uit de update van 25-11")
    from desk_tui.services import changes

    change = world.write(changes.register_change, actor=world.agent, now=MONDAY_9,
                         draft=ChangeDraft(organisation_id=world.organisation.id,
                                           kind=ChangeKind.NIET_STANDAARD,
                                           title="Printerdriver terugzetten naar 6.0",
                                           planned_for=at("2026-12-01 18:00")))
    with write_session(world.db) as session:
        problems.link_fix(session=session, actor=world.specialist, problem_id=opened.id,
                          change_id=change.id, now=MONDAY_9)


@pytest.mark.parametrize("theme", THEMES)
def test_problem_screen(snap_compare, ui_world, clock, theme):
    a_problem(ui_world)
    app = make_test_app(ui_world, clock, theme=theme, header_clock=False, login="specialist")

    async def opened(pilot):
        await wait_for(pilot, lambda: loaded(app))
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(app.screen, ProblemsScreen) and app.screen.rows)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProblemScreen)
                       and app.screen.detail is not None)
        await pilot.pause()

    assert snap_compare(app, terminal_size=APP_SIZE, run_before=opened)


@pytest.mark.parametrize("theme", THEMES)
def test_problems_list(snap_compare, ui_world, clock, theme):
    a_problem(ui_world)
    app = make_test_app(ui_world, clock, theme=theme, header_clock=False)

    async def listed(pilot):
        await wait_for(pilot, lambda: loaded(app))
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(app.screen, ProblemsScreen) and app.screen.rows)
        await pilot.pause()

    assert snap_compare(app, terminal_size=APP_SIZE, run_before=listed)


@pytest.mark.parametrize("theme", THEMES)
def test_change_form(snap_compare, ui_world, clock, theme):
    app = make_test_app(ui_world, clock, theme=theme, header_clock=False)

    async def typed(pilot):
        await wait_for(pilot, lambda: loaded(app))
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangesScreen))
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangeFormScreen)
                       and app.screen._organisation_ids)
        form = app.screen
        quiet(app)
        await pilot.press(*"jans")
        await wait_for(pilot, lambda: form._hits["requester"])
        await pilot.press("enter")
        await wait_for(pilot, lambda: form.requester is not None)
        form.query_one("#kind").focus()
        await pilot.press(*"in-dienst")
        form.query_one("#title", Input).value = "Account voor nieuwe collega"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "niet aangewezen" in form.message)
        assert form.query_one("#organisation", Select).value == ui_world.organisation.id
        quiet(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=APP_SIZE, run_before=typed)
