"""Problems in the console: P lists the open problems; a problem in full; the problem
manager records cause and workaround, links the fix, adds calls and resolves it with its
calls after a confirmation that lists them."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from textual.widgets import Static, TextArea

from desk_tui.domain.changes import ChangeKind
from desk_tui.services import changes, problems
from desk_tui.services.changes import ChangeDraft
from desk_tui.store.engine import read_session
from desk_tui.store.enums import CallStatus, ProblemStatus
from desk_tui.store.models import Call, Problem
from desk_tui.ui.screens.change_form import ChangeFormScreen
from desk_tui.ui.screens.dialogs import ChoicePrompt, TextPrompt
from desk_tui.ui.screens.problems import ProblemScreen, ProblemsScreen, ResolveCallsDialog
from desk_tui.ui.widgets.option_rows import OptionRows
from tests.services.test_calls import register
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_app_queue import loaded
from tests.world import MONDAY_9, at


@pytest.fixture
def bundled(ui_world):
    first = register(ui_world, now=at("2026-11-27 09:00"), subject="Balieprinter storing")
    second = register(ui_world, now=at("2026-11-30 09:00"), subject="Printer 2e etage storing")
    third = register(ui_world, now=at("2026-11-30 09:10"), subject="Printer kantine")
    opened = ui_world.write(problems.open_problem, actor=ui_world.agent,
                            title="Printers storen na update", call_ids=(first.id, second.id),
                            now=at("2026-11-27 10:00"))
    return opened, (first, second, third)


def problem(world) -> Problem:
    with read_session(world.db) as session:
        return session.execute(select(Problem)).scalar_one()


def shown(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def open_problem(app, pilot) -> ProblemScreen:
    await wait_for(pilot, lambda: loaded(app))
    await pilot.press("P")
    await wait_for(pilot, lambda: isinstance(app.screen, ProblemsScreen) and app.screen.rows)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ProblemScreen)
                   and app.screen.detail is not None)
    return app.screen


async def save_text(app, pilot, text: str) -> None:
    await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
    app.screen.query_one(TextArea).text = text
    await pilot.press("ctrl+s")


async def test_the_list_shows_organisation_calls_state_and_age(ui_world, clock, bundled):
    opened, _calls = bundled
    app = make_test_app(ui_world, clock)  # Monday 10:00
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app))
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(app.screen, ProblemsScreen) and app.screen.rows)
        line = app.screen.query_one(OptionRows).render_line(0).text
    assert opened.reference in line and "ENK" in line and "2 meldingen" in line
    assert "open" in line and "3d" in line and "Printers storen na update" in line


async def test_an_agent_reads_a_problem_but_does_not_manage_it(ui_world, clock, bundled):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_problem(app, pilot)
        assert len(screen.detail.calls) == 2
        assert screen.check_action("cause", ()) is False
        assert screen.check_action("resolve", ()) is False
        assert screen.check_action("add_calls", ()) is True  # agents bundle calls
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press(*"M2026-000003", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProblemScreen)
                       and len(app.screen.detail.calls) == 3)


async def test_the_problem_manager_analyses_links_the_fix_and_resolves_with_the_calls(
        ui_world, clock, bundled):
    _opened, (first, second, third) = bundled
    change = ui_world.write(changes.register_change, actor=ui_world.agent, now=MONDAY_9,
                            draft=ChangeDraft(organisation_id=ui_world.organisation.id,
                                              kind=ChangeKind.NIET_STANDAARD,
                                              title="Printerdriver terugzetten",
                                              planned_for=at("2026-12-01 18:00")))
    app = make_test_app(ui_world, clock, login="specialist")
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_problem(app, pilot)
        await pilot.press("c")
        await save_text(app, pilot, "Driver 6.1 van de update")
        await wait_for(pilot, lambda: "Driver 6.1" in shown(screen, "#problem-cause"))
        await pilot.press("w")
        await save_text(app, pilot, "Printen via [lade 1]")
        await wait_for(pilot, lambda: screen.detail.view.status is ProblemStatus.BEKENDE_FOUT)
        assert "Printen via [lade 1]" in shown(screen, "#problem-workaround")
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.detail.fixes)
        assert change.reference in shown(screen, "#problem-fix")
        assert "01-12-2026 18:00" in shown(screen, "#problem-fix")
        await pilot.press("o")
        await save_text(app, pilot, "Driver teruggezet")
        await wait_for(pilot, lambda: isinstance(app.screen, ResolveCallsDialog))
        listed = str(app.screen.query_one("#resolve-calls-list", Static).render())
        assert first.reference in listed and second.reference in listed
        assert third.reference not in listed
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, ProblemScreen)
                       and screen.detail.view.status is ProblemStatus.OPGELOST)
        assert screen.check_action("resolve", ()) is False
    with read_session(ui_world.db) as session:
        statuses = {session.get(Call, c.id).status for c in (first, second)}
        assert statuses == {CallStatus.OPGELOST}
        assert session.get(Call, third.id).status is CallStatus.GEREGISTREERD


async def test_resolving_only_the_problem_leaves_the_calls_open(ui_world, clock, bundled):
    _opened, (first, _second, _third) = bundled
    app = make_test_app(ui_world, clock, login="specialist")
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_problem(app, pilot)
        await pilot.press("o")
        await save_text(app, pilot, "Vanzelf over")
        await wait_for(pilot, lambda: isinstance(app.screen, ResolveCallsDialog))
        await pilot.press("n")
        await wait_for(pilot, lambda: screen.detail.view.status is ProblemStatus.OPGELOST)
    assert problem(ui_world).status is ProblemStatus.OPGELOST
    with read_session(ui_world.db) as session:
        assert session.get(Call, first.id).status is CallStatus.GEREGISTREERD


async def test_the_problem_manager_registers_the_fix_in_the_change_form(ui_world, clock,
                                                                       bundled):
    from desk_tui.store.engine import write_session
    from desk_tui.store.enums import OperatorRole
    from desk_tui.store.models import Operator, OperatorRoleGrant

    with write_session(ui_world.db) as session:
        manager = Operator(login="pm", display_name="Petra Probleem")
        session.add(manager)
        session.flush()
        session.add(OperatorRoleGrant(operator_id=manager.id, role=OperatorRole.PROBLEM_MANAGER))
    specialist = make_test_app(ui_world, clock, login="specialist")
    async with specialist.run_test(size=APP_SIZE) as pilot:
        screen = await open_problem(specialist, pilot)
        # Specialists carry changes out but do not take requests: no f for them.
        assert screen.check_action("fix", ()) is False
    app = make_test_app(ui_world, clock, login="pm")
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_problem(app, pilot)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangeFormScreen)
                       and app.screen._organisation_ids)
        form = app.screen
        assert form.query_one("#title").value == "Printers storen na update"
        assert form.query_one("#organisation").value == ui_world.organisation.id
        form.query_one("#kind").focus()
        await pilot.press(*"overig")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ProblemScreen)
                       and screen.detail.fixes)
        [fix] = screen.detail.fixes
        assert fix.kind is ChangeKind.OVERIG_STANDAARD
        assert "01-12-2026 17:00" in shown(screen, "#problem-fix")  # 16 work hours from 10:00
