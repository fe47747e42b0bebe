"""A change request outside a call: requester by type-ahead, kind with its lead time,
the agreed date for a non-standard change, refusals shown with the rule and the form kept."""

from __future__ import annotations

from sqlalchemy import select
from textual.widgets import Checkbox, Input, Select, Static

from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import ChangeStatus
from desk_tui.store.models import Change, Person
from desk_tui.ui.screens.change_form import ChangeFormScreen
from desk_tui.ui.screens.changes import ChangesScreen
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_app_queue import loaded
from tests.world import at


def changes(world) -> list[Change]:
    with read_session(world.db) as session:
        return list(session.execute(select(Change).order_by(Change.number)).scalars())


async def open_form(app, pilot) -> ChangeFormScreen:
    await wait_for(pilot, lambda: loaded(app))
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(app.screen, ChangesScreen))
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(app.screen, ChangeFormScreen)
                   and app.screen._organisation_ids)
    return app.screen


async def pick_requester(pilot, form: ChangeFormScreen, typed: str) -> None:
    await pilot.press(*typed)
    await wait_for(pilot, lambda: form._hits["requester"]
                   and not form.query_one("#requester-hits").has_class("empty"))
    await pilot.press("enter")
    await wait_for(pilot, lambda: form.requester is not None)


def lead_time(form: ChangeFormScreen) -> str:
    return str(form.query_one("#lead-time", Static).render())


async def test_a_password_change_for_a_requester_typed_ahead(ui_world, clock):
    app = make_test_app(ui_world, clock)  # Monday 10:00
    async with app.run_test(size=APP_SIZE) as pilot:
        form = await open_form(app, pilot)
        await pick_requester(pilot, form, "jans")
        assert form.requester.name == "Anouk Jansen"
        assert form.query_one("#organisation", Select).value == ui_world.organisation.id
        form.query_one("#kind").focus()
        await pilot.press(*"wachtwoord")
        assert "doorlooptijd 15 min: uiterlijk 30-11 10:15" in lead_time(form)  # not "0.25 h"
        form.query_one("#title", Input).value = "Wachtwoord vergeten"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangesScreen)
                       and len(app.screen.rows) == 1)
    [change] = changes(ui_world)
    assert (change.kind.value, change.title, change.requester_id, change.call_id) == (
        "wachtwoord", "Wachtwoord vergeten", ui_world.caller.id, None)


async def test_a_refused_joiner_shows_the_rule_and_keeps_what_was_typed(ui_world, clock):
    with write_session(ui_world.db) as session:
        session.add(Person(organisation_id=ui_world.organisation.id, name="Hanna HR",
                           is_hr_submitter=True))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        form = await open_form(app, pilot)
        await pick_requester(pilot, form, "jans")
        form.query_one("#kind").focus()
        await pilot.press(*"in-dienst")
        assert "Only from designated submitters" in lead_time(form) or (
            "aangewezen" in lead_time(form))
        form.query_one("#title", Input).value = "Account nieuwe collega"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "niet aangewezen" in form.message)
        assert "SLA 4.2.3.3" in form.message and "Anouk Jansen" in form.message
        assert app.screen is form
        assert form.query_one("#title", Input).value == "Account nieuwe collega"
        assert form.kind.value == "in-dienst"
        # The designated submitter asks instead: registered.
        form.query_one("#requester", Input).focus()
        form.query_one("#requester", Input).value = ""
        await pick_requester(pilot, form, "hanna")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangesScreen))
    refused, accepted = changes(ui_world)
    assert refused.status is ChangeStatus.GEWEIGERD and "not designated" in refused.refusal_reason
    assert accepted.status is ChangeStatus.AANGEVRAAGD


async def test_a_non_standard_change_needs_the_agreed_date(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        form = await open_form(app, pilot)
        form.query_one("#organisation", Select).value = ui_world.organisation.id
        form.query_one("#kind").focus()
        await pilot.press(*"niet")
        await wait_for(pilot, lambda: form.has_class("-nonstandard"))
        form.query_one("#title", Input).value = "Upgrade Key2"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "give the date" in form.message
                       or "datum" in form.message)
        form.query_one("#planned", Input).value = "2026-12-03 18:00"
        form.query_one("#release-from", Input).value = "2024.2"
        form.query_one("#release-to", Input).value = "2025.1"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangesScreen))
    [change] = changes(ui_world)
    assert change.planned_for == at("2026-12-03 18:00")
    assert change.release_change.value == "upgrade"


async def test_the_emergency_flag_makes_it_an_emergency_change(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        form = await open_form(app, pilot)
        form.query_one("#organisation", Select).value = ui_world.organisation.id
        form.query_one("#emergency", Checkbox).value = True
        await pilot.pause()
        assert form.kind.value == "noodwijziging"
        assert "30-11 12:00" in lead_time(form)  # reaction within 2 work hours
        form.query_one("#title", Input).value = "Firewall dicht"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangesScreen))
    [change] = changes(ui_world)
    assert change.emergency and change.reaction_due == at("2026-11-30 12:00")


async def test_blocking_asks_who_at_hr_passed_it_on(ui_world, clock):
    with write_session(ui_world.db) as session:
        session.add_all([
            Person(organisation_id=ui_world.organisation.id, name="Henk Hoofd",
                   is_department_head=True),
            Person(organisation_id=ui_world.organisation.id, name="Hanna HR",
                   is_hr_submitter=True),
        ])
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        form = await open_form(app, pilot)
        await pick_requester(pilot, form, "henk")
        form.query_one("#kind").focus()
        await pilot.press(*"blokkeren")
        assert form.has_class("-blocking") and "P&O" in lead_time(form)
        form.query_one("#title", Input).value = "Account blokkeren"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "het verzoek kwam niet via HR" in form.message)
        form.query_one("#via-hr", Input).focus()
        await pilot.press(*"hanna")
        await wait_for(pilot, lambda: form._hits["via-hr"]
                       and not form.query_one("#via-hr-hits").has_class("empty"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: form.via_hr is not None)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangesScreen))
    refused, accepted = changes(ui_world)
    assert refused.status is ChangeStatus.GEWEIGERD
    assert accepted.status is ChangeStatus.AANGEVRAAGD and accepted.kind.value == "blokkeren"


def test_the_kind_list_states_lead_times_as_the_sla_does():
    """Work time in the SLA's words: minutes, hours of work time, a working week, never
    "0.25 h" or "binnen 1 werkweek werktijd"."""
    from desk_tui.domain.changes import ChangeKind
    from desk_tui.ui.screens.changes import kind_choices

    labels = dict(kind_choices())
    assert labels[ChangeKind("wachtwoord")].endswith("(binnen 15 min werktijd)")
    assert labels[ChangeKind("autorisatie")].endswith("(binnen 1 uur werktijd)")
    assert labels[ChangeKind("in-dienst")].endswith("(binnen 1 werkweek)")
    assert labels[ChangeKind("noodwijziging")].endswith("(reactie binnen 2 uur werktijd)")
