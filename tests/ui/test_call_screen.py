"""The call view on a real database: what it shows, every step by key, conflicts, safety."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, Static, TextArea
from textual.widgets._select import SelectCurrent

from desk_tui.domain.classification import Level
from desk_tui.services import calls
from desk_tui.store.enums import CallStatus, SupportLine
from desk_tui.ui.screens.call import CallScreen, HistoryView, PlainLines
from desk_tui.ui.screens.dialogs import ChoicePrompt, ReclassifyDialog, TextPrompt
from desk_tui.ui.widgets.call_queue import HELD_MARK
from desk_tui.ui.widgets.ladder import FunctionalLadder
from tests.services.test_calls import register
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.world import at

H, M, L = Level.HOOG, Level.MIDDEN, Level.LAAG


def text_of(screen: CallScreen, selector: str) -> str:
    widget = screen.query_one(selector)
    if isinstance(widget, PlainLines):
        return widget.plain
    assert isinstance(widget, Static)
    return str(widget.content)


def footer_actions(app) -> set[str]:
    return {binding.binding.action for binding in app.screen.active_bindings.values()}


async def open_call(pilot, app, call_id) -> CallScreen:
    await wait_for(pilot, lambda: app.desk is not None)
    screen = CallScreen(call_id)
    await app.push_screen(screen)
    await wait_for(pilot, lambda: screen.detail is not None)
    await pilot.pause()
    return screen


async def until_status(pilot, screen: CallScreen, status: CallStatus) -> None:
    await wait_for(pilot, lambda: screen.detail is not None and screen.detail.status is status)
    await pilot.pause()


async def answer(pilot, app, text: str) -> None:
    """Type into the open TextPrompt and save it."""
    await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
    prompt = app.screen
    field = prompt.query_one("#prompt-text")
    if isinstance(field, TextArea):
        field.text = text
        await pilot.press("ctrl+s")
    else:
        assert isinstance(field, Input)
        field.value = text
        await pilot.press("enter")


async def choose(pilot, app, label_start: str) -> None:
    """Pick the option of the open ChoicePrompt whose label starts with `label_start`."""
    await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
    prompt = app.screen
    labels = [str(label) for _value, label in prompt.choices]
    index = next(i for i, label in enumerate(labels) if label.startswith(label_start))
    prompt.query_one("#choices").highlighted = index
    await pilot.press("enter")


async def test_the_call_shows_everything_about_it(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:00"),
                     description="Sinds vanochtend.\nLade 2 klemt.")
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_call(pilot, app, saved.id)
        assert text_of(screen, "#call-reference") == "M2026-000001"
        assert text_of(screen, "#call-subject") == "Balieprinter geeft papierstoring"
        assert text_of(screen, "#fact-status") == "Geregistreerd"
        assert text_of(screen, "#fact-type") == "Storing"
        assert text_of(screen, "#fact-priority") == "P2"
        assert screen.query_one("#fact-priority").has_class("priority-2")
        assert text_of(screen, "#fact-levels") == "impact midden · urgentie hoog"
        assert text_of(screen, "#fact-organisation") == "Gemeente Enkhuizen"
        assert text_of(screen, "#fact-department") == "Burgerzaken"
        assert text_of(screen, "#fact-caller") == "Anouk Jansen"
        assert text_of(screen, "#fact-phone") == "0228-351234"
        assert text_of(screen, "#fact-email") == "a.jansen@enkhuizen.example"
        assert text_of(screen, "#fact-category") == "Hardware"
        assert text_of(screen, "#fact-handler") == "—"
        assert text_of(screen, "#call-description") == "Sinds vanochtend.\nLade 2 klemt."
        assert text_of(screen, "#time-registered") == "ma 30 nov 09:00"
        assert text_of(screen, "#time-reacted") == "—"
        # P2: reaction 0.5 h due 09:30, at 10:00 half an hour late; resolution 1 day.
        assert text_of(screen, "#sla-reaction") == "-0:30"
        assert screen.query_one("#sla-reaction").has_class("sla-breached")
        assert text_of(screen, "#sla-reaction-due") == "uiterlijk ma 30 nov 09:30"
        assert text_of(screen, "#sla-resolution") == "7:00"
        assert screen.query_one("#sla-resolution").has_class("sla-ok")
        assert text_of(screen, "#sla-resolution-due") == "uiterlijk ma 30 nov 17:00"
        assert screen.query_one(FunctionalLadder).line is SupportLine.EERSTE_LIJN
        assert "ENK-WS-0042" in text_of(screen, "#call-cis")
        history = screen.query_one(HistoryView).rows
        assert [row[2:4] for row in history] == [("Prioriteit", "P2"),
                                                 ("Status", "Geregistreerd")]
        assert history[0][1] == "Sanne de Vries"


async def test_the_countdowns_tick_with_the_clock(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:50"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_call(pilot, app, saved.id)
        assert text_of(screen, "#sla-reaction") == "0:20"
        clock.now = at("2026-11-30 10:15")  # 25 of 30 minutes used: warning
        screen.tick()
        assert text_of(screen, "#sla-reaction") == "0:05"
        assert screen.query_one("#sla-reaction").has_class("sla-warning")


async def test_take_makes_the_operator_handler_and_adds_history(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:50"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_call(pilot, app, saved.id)
        assert "take" in footer_actions(app)
        await pilot.press("t")
        await until_status(pilot, screen, CallStatus.IN_BEHANDELING)
        assert text_of(screen, "#fact-status") == "In behandeling"
        assert text_of(screen, "#fact-handler") == "Sanne de Vries"
        assert text_of(screen, "#time-reacted") == "ma 30 nov 10:00"
        assert text_of(screen, "#sla-reaction") == "✓"
        rows = screen.query_one(HistoryView).rows
        assert ("Status", "Geregistreerd → In behandeling") in [row[2:4] for row in rows]
        assert "take" not in footer_actions(app)  # already mine


async def test_wait_asks_a_reason_and_holds_the_resolution_clock(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:00"))
    ui_world.write(calls.take, actor=ui_world.agent, call_id=saved.id, now=at("2026-11-30 09:10"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_call(pilot, app, saved.id)
        assert "pause" in footer_actions(app) and "resume" not in footer_actions(app)
        await pilot.press("w")
        await answer(pilot, app, "")  # a reason is required
        assert isinstance(app.screen, TextPrompt) and app.screen.message
        await answer(pilot, app, "Wacht op nieuwe toner van leverancier")
        await until_status(pilot, screen, CallStatus.WACHT)
        assert text_of(screen, "#fact-status") == "Wacht"
        resolution = screen.query_one("#sla-resolution")
        assert text_of(screen, "#sla-resolution").startswith(HELD_MARK)
        assert resolution.has_class("sla-paused")
        assert text_of(screen, "#sla-resolution-due") == "klok staat stil tijdens wachten"
        assert "Wacht op nieuwe toner" in text_of(screen, "#call-pauses")
        assert "resume" in footer_actions(app) and "pause" not in footer_actions(app)

        clock.now = at("2026-11-30 11:00")
        await pilot.press("w")  # now: resume
        await until_status(pilot, screen, CallStatus.IN_BEHANDELING)
        assert not text_of(screen, "#sla-resolution").startswith(HELD_MARK)
        # 1 day from 09:00 (Mon 17:00) plus the hour it waited: Tue 09:00.
        assert text_of(screen, "#sla-resolution-due") == "uiterlijk di 1 dec 09:00"


async def test_move_to_the_third_line_asks_the_supplier(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:00"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_call(pilot, app, saved.id)
        await pilot.press("l")
        await choose(pilot, app, "3e lijn")
        await answer(pilot, app, "Centric")
        await wait_for(pilot, lambda: screen.detail.line is SupportLine.DERDE_LIJN)
        await pilot.pause()
        ladder = screen.query_one(FunctionalLadder)
        assert ladder.line is SupportLine.DERDE_LIJN and ladder.supplier == "Centric"
        assert "Centric" in str(ladder.render())
        rows = screen.query_one(HistoryView).rows
        assert ("Lijn", "1e lijn → 3e lijn") in [row[2:4] for row in rows]


async def test_move_line_to_second_line_needs_no_supplier(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:00"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_call(pilot, app, saved.id)
        await pilot.press("l")
        await choose(pilot, app, "2e lijn")
        await wait_for(pilot, lambda: screen.detail.line is SupportLine.TWEEDE_LIJN)


async def test_reclassify_to_high_high_gives_priority_1_and_a_new_due_time(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:00"), impact=L, urgency=L)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_call(pilot, app, saved.id)
        assert text_of(screen, "#fact-priority") == "P5"
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ReclassifyDialog))
        dialog = app.screen
        await pilot.press("i", "3", "3")  # impact hoog, urgency hoog
        await pilot.pause()
        picker = dialog.query_one("#reclassify-priority")
        assert picker.priority == 1
        _reaction_due, resolution_due = picker.due_times(H, H)
        assert resolution_due == at("2026-11-30 13:00")  # 4 work hours from 09:00
        dialog.query_one("#reclassify-note", Input).value = "Hele afdeling kan niet printen"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen.detail.priority == 1)
        await pilot.pause()
        assert text_of(screen, "#fact-priority") == "P1"
        assert screen.query_one("#fact-priority").has_class("priority-1")
        assert not screen.query_one("#fact-priority").has_class("priority-5")
        assert text_of(screen, "#sla-resolution-due") == "uiterlijk ma 30 nov 13:00"
        rows = [row[2:5] for row in screen.query_one(HistoryView).rows]
        assert ("Prioriteit", "P5 → P1", "Hele afdeling kan niet printen") in rows
        assert ("Impact", "laag → hoog", "Hele afdeling kan niet printen") in rows


async def test_reclassify_refuses_an_incident_without_urgency_and_no_change(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:00"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await open_call(pilot, app, saved.id)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ReclassifyDialog))
        dialog = app.screen
        await pilot.press("ctrl+s")
        assert dialog.message == "Er is niets gewijzigd."
        dialog.query_one("#reclassify-priority").urgency = None
        await pilot.press("ctrl+s")
        assert dialog.message == "Een storing heeft impact én urgentie nodig."
        assert app.screen is dialog
        await pilot.press("escape")
        assert isinstance(app.screen, CallScreen)


async def test_resolve_close_and_reopen(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:00"))
    ui_world.write(calls.take, actor=ui_world.agent, call_id=saved.id, now=at("2026-11-30 09:10"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_call(pilot, app, saved.id)
        assert {"close_call", "reopen"}.isdisjoint(footer_actions(app))
        await pilot.press("o")
        await answer(pilot, app, "Lade 2 vervangen.\nTestafdruk gelukt.")
        await until_status(pilot, screen, CallStatus.OPGELOST)
        assert text_of(screen, "#call-solution") == "Lade 2 vervangen.\nTestafdruk gelukt."
        assert text_of(screen, "#time-resolved") == "ma 30 nov 10:00"
        assert text_of(screen, "#sla-resolution") == "✓"
        actions = footer_actions(app)
        assert {"close_call", "reopen"} <= actions
        assert {"take", "assign", "resolve", "pause", "reclassify"}.isdisjoint(actions)

        await pilot.press("x")
        await until_status(pilot, screen, CallStatus.GESLOTEN)
        assert text_of(screen, "#time-closed") == "ma 30 nov 10:00"
        actions = footer_actions(app)
        assert "reopen" in actions and "close_call" not in actions
        assert {"link_ci", "unlink_ci"}.isdisjoint(actions)

        await pilot.press("h")
        await answer(pilot, app, "Lade klemt weer")
        await until_status(pilot, screen, CallStatus.IN_BEHANDELING)
        assert text_of(screen, "#time-closed") == "—"
        assert "Lade klemt weer" in text_of(screen, "#call-pauses")


async def test_link_and_unlink_a_ci(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:00"), ci_ids=())
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_call(pilot, app, saved.id)
        assert text_of(screen, "#call-cis") == "Geen"
        assert "unlink_ci" not in footer_actions(app)
        await pilot.press("k")
        await answer(pilot, app, "ws-0042")
        await choose(pilot, app, "ENK-WS-0042")
        await wait_for(pilot, lambda: len(screen.detail.cis) == 1)
        await pilot.pause()
        assert "ENK-WS-0042" in text_of(screen, "#call-cis")
        assert "unlink_ci" in footer_actions(app)

        await pilot.press("K")
        await choose(pilot, app, "ENK-WS-0042")
        await wait_for(pilot, lambda: not screen.detail.cis)
        await pilot.pause()
        assert text_of(screen, "#call-cis") == "Geen"
        notes = [row[4] for row in screen.query_one(HistoryView).rows]
        assert "CI ontkoppeld: ENK-WS-0042" in notes and "CI gekoppeld: ENK-WS-0042" in notes


async def test_a_ci_search_without_match_says_so(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:00"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await open_call(pilot, app, saved.id)
        await pilot.press("k")
        await answer(pilot, app, "[bold]nergens[/]")
        await wait_for(pilot, lambda: bool(app._notifications))
        [notice] = list(app._notifications)
        assert "[bold]nergens[/]" in notice.message
        assert isinstance(app.screen, CallScreen)


async def test_assign_to_a_colleague(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:00"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_call(pilot, app, saved.id)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        await pilot.press("m", "i")  # type-ahead: Mila de Boer
        await pilot.press("enter")
        await until_status(pilot, screen, CallStatus.IN_BEHANDELING)
        assert text_of(screen, "#fact-handler") == "Mila de Boer"
        rows = [row[2:4] for row in screen.query_one(HistoryView).rows]
        assert ("Behandelaar", "Mila de Boer") in rows


async def test_a_conflict_is_reported_and_the_call_shown_as_it_is_now(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:00"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_call(pilot, app, saved.id)
        seen_version = screen.detail.version
        ui_world.write(calls.take, actor=ui_world.colleague, call_id=saved.id,
                       now=at("2026-11-30 09:55"))
        await pilot.press("t")  # still offered: the screen does not know yet
        await wait_for(pilot, lambda: screen.detail.version != seen_version)
        await wait_for(pilot, lambda: bool(app._notifications))
        await pilot.pause()
        [notice] = list(app._notifications)
        assert "door iemand anders gewijzigd" in notice.message
        assert notice.severity == "warning"
        assert text_of(screen, "#fact-handler") == "Ruben Smit"
        assert not screen.saving
        assert "take" in footer_actions(app)  # it is Ruben's now, so it can be taken over


async def test_user_text_is_shown_literally(ui_world, clock):
    saved = register(
        ui_world, now=at("2026-11-30 09:00"), subject="[bold]x[/] and [/",
        description="Titel \x1b]0;pwned\x07 weg?\n[red]rood[/red] [0] [/tmp/x]",
    )
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_call(pilot, app, saved.id)
        assert text_of(screen, "#call-subject") == "[bold]x[/] and [/"
        assert text_of(screen, "#call-description") == (
            "Titel ␛]0;pwned␇ weg?\n[red]rood[/red] [0] [/tmp/x]"
        )
        await pilot.press("t")
        await until_status(pilot, screen, CallStatus.IN_BEHANDELING)
        await pilot.press("w")
        await answer(pilot, app, "[/ wacht \x1b[31m")
        await until_status(pilot, screen, CallStatus.WACHT)
        assert "[/ wacht ␛[31m" in text_of(screen, "#call-pauses")
        notes = [row[4] for row in screen.query_one(HistoryView).rows]
        assert "[/ wacht ␛[31m" in notes
        app.screen.refresh()
        await pilot.pause()  # drawing it raises nothing


async def test_actions_that_do_not_apply_are_hidden(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:00"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_call(pilot, app, saved.id)
        actions = footer_actions(app)
        assert {"take", "assign", "move_line", "reclassify", "resolve", "link_ci",
                "unlink_ci", "back"} <= actions
        # pause needs a handler first; nothing to resume, close or reopen yet
        assert {"pause", "resume", "close_call", "reopen"}.isdisjoint(actions)
        await pilot.press("x", "h")  # hidden actions do nothing
        await pilot.pause()
        assert screen.detail.status is CallStatus.GEREGISTREERD
        assert isinstance(app.screen, CallScreen)


async def test_an_operator_without_rights_sees_no_actions(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:00"))
    app = make_test_app(ui_world, clock, login="cm")
    ui_world.write(calls.take, actor=ui_world.agent, call_id=saved.id, now=at("2026-11-30 09:10"))
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: app.desk is not None)
        # a contract manager of another organisation may not even read this call
        screen = CallScreen(saved.id)
        await app.push_screen(screen)
        await wait_for(pilot, lambda: bool(app._notifications))
        assert screen.detail is None
        assert footer_actions(app) & {"take", "assign", "resolve"} == set()


async def test_escape_goes_back(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:00"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await open_call(pilot, app, saved.id)
        await pilot.press("escape")
        assert not isinstance(app.screen, CallScreen)


# -- snapshot ------------------------------------------------------------------------------

def _snapshot_call(world) -> object:
    saved = register(
        world, now=at("2026-11-30 08:30"),
        description=(
            "Sinds vanochtend geeft de balieprinter bij Burgerzaken een papierstoring.\n"
            "Lade 2 klemt; lade 1 werkt nog wel, maar daar liggen de formulieren niet in.\n"
            "\n"
            "Melder heeft de printer al uit- en aangezet."
        ),
    )
    world.write(calls.take, actor=world.agent, call_id=saved.id, now=at("2026-11-30 08:40"))
    world.write(calls.move_line, actor=world.agent, call_id=saved.id,
                now=at("2026-11-30 08:50"), line=SupportLine.TWEEDE_LIJN,
                note="Hardware: naar werkplekbeheer")
    world.write(calls.pause, actor=world.agent, call_id=saved.id, now=at("2026-11-30 09:00"),
                reason="Wacht op melder: printer staat in afgesloten ruimte")
    world.write(calls.resume, actor=world.agent, call_id=saved.id, now=at("2026-11-30 09:30"))
    return saved


@pytest.mark.parametrize("theme", ["desk-dark", "desk-light"])
def test_call_view_snapshot(snap_compare, ui_world, clock, theme):
    saved = _snapshot_call(ui_world)
    app = make_test_app(ui_world, clock, theme=theme, header_clock=False)

    async def open_it(pilot):
        await open_call(pilot, app, saved.id)

    assert snap_compare(app, terminal_size=(140, 42), run_before=open_it)


async def test_the_focused_field_of_the_reclassify_dialog_can_be_seen(ui_world, clock):
    """Its category and reason fields are compact (no border): focus shows as a background."""
    saved = register(ui_world, now=at("2026-11-30 09:00"), impact=L, urgency=L)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await open_call(pilot, app, saved.id)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ReclassifyDialog))
        note = app.screen.query_one("#reclassify-note", Input)
        category = app.screen.query_one("#reclassify-category", Select)
        shown = category.query_one(SelectCurrent)
        before = (note.styles.background, shown.styles.background)
        note.focus()
        await pilot.pause()
        assert note.styles.background != before[0]
        category.focus()
        await pilot.pause()
        assert shown.styles.background != before[1]
        assert note.styles.background == before[0]
