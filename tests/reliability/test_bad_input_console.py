"""Bad input in the console, as an operator gets it there: typed or pasted into intake,
saved, then read back from the call view and the queue. Stored exactly as typed; shown
with every control character (ESC, C1, bidi overrides, NUL) as a visible stand-in and
nothing parsed as markup; too long says so and keeps the typed call.
"""

from __future__ import annotations

import asyncio
import re

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rich.text import Text
from sqlalchemy import select
from textual import events

from desk_tui.store.engine import read_session
from desk_tui.store.models import Call
from desk_tui.ui.screens.call import CallScreen, literal
from desk_tui.ui.screens.intake import IntakeScreen
from desk_tui.ui.screens.queue import QueueScreen
from desk_tui.ui.text import visible
from desk_tui.ui.widgets.call_queue import CallQueue
from tests.reliability.test_bad_input_services import CONTROL, MARKUP, SCRIPTS, as_stored
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_intake import choose_caller, open_intake

# What must never reach the terminal from user text.
DANGEROUS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def stored_call(world, subject_like: str | None = None) -> Call:
    with read_session(world.db) as session:
        rows = list(session.execute(select(Call).order_by(Call.number.desc())).scalars())
    return rows[0]


def shown(widget) -> str:
    rendered = widget.render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


async def paste(pilot, widget, text: str) -> None:
    """A paste, as the terminal driver delivers one to the app (ESC and all)."""
    widget.focus()
    await pilot.pause()
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def register(app, pilot, subject: str, description: str, *, typed: bool) -> IntakeScreen:
    screen = await open_intake(app, pilot)
    await choose_caller(pilot, screen)
    await pilot.press("enter", "enter", "2", "2", "enter")  # type, category, impact
    subject_field = screen.query_one("#subject")
    if typed:  # the first characters by key, the rest as a paste
        await pilot.press(*subject[:6])
        await paste(pilot, subject_field, subject[6:])
    else:
        await paste(pilot, subject_field, subject)
    await paste(pilot, screen.query_one("#description"), description)
    await pilot.press("ctrl+s")
    return screen


async def open_call(app, pilot, call: Call) -> CallScreen:
    app.push_screen(CallScreen(call.id))

    def loaded() -> bool:
        found = app.screen.query("#call-reference") if isinstance(app.screen, CallScreen) else []
        return bool(found) and shown(found[0]) == visible(call_reference(call))

    await wait_for(pilot, loaded)
    return app.screen


def call_reference(call: Call) -> str:
    from desk_tui.services.calls import reference_of

    return reference_of(call)


def queue_text(app) -> str:
    queue = app.screen.query_one(CallQueue)
    return "\n".join(
        "".join(segment.text for segment in queue.render_line(y)) for y in range(queue.size.height)
    )


async def check_shown_as_stored(app, pilot, call: Call) -> None:
    screen = await open_call(app, pilot, call)
    subject = shown(screen.query_one("#call-subject"))
    description = shown(screen.query_one("#call-description"))
    assert subject == visible(call.subject) or not call.subject
    if call.description:
        assert description == literal(call.description).plain
    for text in (subject, description):
        assert DANGEROUS.search(text) is None, repr(text)
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
    assert DANGEROUS.search(queue_text(app)) is None


async def test_markup_typed_into_intake_is_stored_and_shown_literally(ui_world, clock):
    subject = "[bold]Vet[/] [link=https://example.org]klik[/link] [0] [/tmp/x] \\[ $x"
    description = "Regel 1 [red]rood[/red]\n[@click=app.quit]stop[/]\n\tingesprongen"
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await register(app, pilot, subject, description, typed=True)
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        call = stored_call(ui_world)
        assert (call.subject, call.description) == (subject, description)
        await check_shown_as_stored(app, pilot, call)
        screen = app.screen
        assert app.is_running and isinstance(screen, QueueScreen)


async def test_escape_sequences_and_bidi_pasted_in_are_kept_and_shown_visibly(ui_world, clock):
    subject = "Scherm \x1b[2J\x1b]0;gehackt\x07 wit \u202eRTL\u202c \x9b31m"
    description = ("\x00NUL \x08terug \x7fDEL\r\nCRLF \u2028LS \u2066isolaat\u2069 "
                   "שלום مرحبا e\u0301 👩‍👩‍👧 🇳🇱 漢字")
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await register(app, pilot, subject, description, typed=False)
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        call = stored_call(ui_world)
        assert call.subject == subject
        # The text area holds lines: CRLF and the line separator become line breaks there.
        in_the_field = description.replace("\r\n", "\n").replace("\u2028", "\n")
        assert call.description == in_the_field.replace("\x00", "\u2400")
        await check_shown_as_stored(app, pilot, call)
        assert "␛[2J␛]0;gehackt␇" in visible(call.subject)


async def test_a_description_of_100k_characters_is_refused_and_kept(ui_world, clock):
    description = "Logregel met een foutmelding en een stacktrace. " * 2_100  # 100,800
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await register(app, pilot, "Logbestand", description, typed=True)
        error = screen.query_one("#intake-error")
        await wait_for(pilot, lambda: not error.has_class("empty"))
        assert "100.799" in shown(error) and "20.000" in shown(error)  # Dutch figures
        assert isinstance(app.screen, IntakeScreen)
        assert screen.query_one("#description").text == description
        assert app.focused is screen.query_one("#description")
    with read_session(ui_world.db) as session:
        assert session.execute(select(Call)).first() is None


async def test_notices_with_brackets_do_not_crash_the_console(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE, notifications=True) as pilot:  # toasts drawn
        await wait_for(pilot, lambda: app.desk is not None)
        app.screen.notify("Geen datum: [/] [/tmp/x] \x1b[31m")  # markup=True by default
        app.notify("[Errno 13] Permission denied: '/srv/desk'", title="[/]")
        await pilot.pause(0.3)  # the toasts are drawn (a markup error would end the app)
        assert app.is_running
        messages = [notice.message for notice in app._notifications]
    assert messages == ["Geen datum: [/] [/tmp/x] ␛[31m",
                        "[Errno 13] Permission denied: '/srv/desk'"]


# -- a small hypothesis run through the real console --------------------------------------
LINE = st.lists(st.one_of(st.sampled_from(MARKUP + CONTROL + SCRIPTS), st.text(max_size=8)),
                min_size=1, max_size=6).map("".join)


async def _round_trip(app, pilot, world, subject: str, description: str) -> None:
    while not isinstance(app.screen, QueueScreen):  # after a failed example
        app.pop_screen()
        await pilot.pause()
    screen = await open_intake(app, pilot)
    await choose_caller(pilot, screen)
    await pilot.press("enter", "enter", "1", "enter")
    screen.query_one("#subject").value = subject
    screen.query_one("#description").text = description
    # The text area holds lines, ended the way its first line break is (CRLF or LF).
    description = screen.query_one("#description").text
    error = screen.query_one("#intake-error")
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen)
                   or not error.has_class("empty"))
    if isinstance(app.screen, IntakeScreen):  # refused: only an empty subject may be
        assert not as_stored(subject), shown(error)
        assert "subject" in shown(error)
        app.screen.dismiss(None)
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        return
    call = stored_call(world)
    assert (call.subject, call.description) == (as_stored(subject), as_stored(description))
    await check_shown_as_stored(app, pilot, call)


def test_any_subject_and_description_round_trip_through_the_console(ui_world, clock):
    """One console for every example (starting one costs a second or more): a task keeps
    it running while each example fills intake, saves, and reads the call view and the
    queue. No shrinking: a failing example is reported as drawn, within the time budget."""
    loop = asyncio.new_event_loop()
    app = make_test_app(ui_world, clock)
    jobs: asyncio.Queue = asyncio.Queue()
    started = loop.create_future()

    async def console() -> None:
        async with app.run_test(size=APP_SIZE) as pilot:
            started.set_result(None)
            while (job := await jobs.get()) is not None:
                texts, done = job
                try:
                    await _round_trip(app, pilot, ui_world, *texts)
                    done.set_result(None)
                except BaseException as error:
                    done.set_exception(error)

    running = loop.create_task(console())
    loop.run_until_complete(started)

    @settings(max_examples=3, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(subject=LINE, description=st.lists(LINE, max_size=3).map("\n".join))
    def round_trip(subject: str, description: str) -> None:
        done = loop.create_future()
        jobs.put_nowait(((subject, description), done))
        loop.run_until_complete(done)

    try:
        round_trip()
    finally:
        jobs.put_nowait(None)
        loop.run_until_complete(running)
        loop.close()


def drawn(widget) -> str:
    """What the widget sends to the terminal, line by line."""
    return "\n".join("".join(segment.text for segment in widget.render_line(y))
                     for y in range(widget.size.height))


async def test_control_characters_are_visible_while_typing_and_stored_as_typed(ui_world, clock):
    """ESC, OSC, NUL, C1 and a bidi override pasted into the intake's fields: the fields
    draw a stand-in for each (nothing reaches the terminal), the cursor stays after the
    last character, and the value holds exactly what was pasted."""
    pasted = "a\x1b]0;gehackt\x07b\x00c\x9bd\u202ee\x08f"
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_intake(app, pilot)
        for field_id in ("#caller", "#subject", "#description"):
            field = screen.query_one(field_id)
            await paste(pilot, field, pasted)
            await pilot.pause()
            value = getattr(field, "value", None) or field.text
            assert value == pasted
            on_screen = drawn(field)
            assert DANGEROUS.search(on_screen) is None, (field_id, repr(on_screen))
            assert "a␛]0;gehackt␇b␀c\ufffdd\ufffde␈f" in on_screen, (field_id, on_screen)
        subject = screen.query_one("#subject")
        assert subject.cursor_position == len(pasted)
        assert subject._cursor_offset == len(pasted) + 1  # one cell per character, then the cursor
