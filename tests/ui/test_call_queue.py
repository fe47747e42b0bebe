"""The live call queue: rows, countdowns in every state, cursor, messages, safety, themes."""

from dataclasses import replace
from datetime import timedelta

import pytest
from rich.cells import cell_len
from textual.color import Color

from desk_tui.domain.sla import ClockState, Countdown
from desk_tui.ui import i18n
from desk_tui.ui.themes import THEME_NAMES, load_themes
from desk_tui.ui.widgets.call_queue import (
    COLUMNS,
    CallQueue,
    Column,
    countdown_text,
    layout_columns,
)
from desk_tui.ui.widgets.priority_picker import PriorityPicker
from tests.ui.conftest import NOW, SIZE, H, L, WidgetApp, ams, make_row, sample_rows, sla_engine

HEADER = 0


def lines(queue: CallQueue) -> list[str]:
    return [queue.render_line(y).text for y in range(queue.size.height)]


def row_line(queue: CallQueue, number: str) -> str:
    return next(line for line in lines(queue) if number in line)


async def queue_app(rows=None, *, now=NOW, theme: str = "desk-dark"):
    engine = sla_engine()
    queue = CallQueue(engine)
    app = WidgetApp(queue, theme=theme)
    return app, queue, (sample_rows() if rows is None else rows), engine.now_positions(now)


async def loaded(pilot, queue: CallQueue, rows, positions) -> None:
    queue.set_rows(rows)
    queue.set_now(positions)
    queue.focus()
    await pilot.pause()


# -- what is on screen -----------------------------------------------------------------------
async def test_the_header_and_every_row_are_drawn_in_order():
    app, queue, rows, positions = await queue_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, rows, positions)
        shown = lines(queue)
        for title in ("Nummer", "Org.", "Melder", "Omschrijving", "Prio", "Behandelaar"):
            assert title in shown[HEADER]
        assert shown[HEADER].rstrip().endswith("Reactie Oplossing")
        numbers = [line.split()[0].lstrip("▌") for line in shown[1 : len(rows) + 1]]
        assert numbers == [row.number for row in rows]
        assert all(cell_len(line) == queue.size.width for line in shown)


async def test_countdowns_show_every_clock_state():
    app, queue, rows, positions = await queue_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, rows, positions)

        def countdowns(number: str) -> list[str]:
            return row_line(queue, number).split()[-2:]

        assert countdowns("M26-00101") == ["-0:15", "3:30"]  # reaction breached
        assert countdowns("M26-00102") == ["0:06", "7:36"]  # reaction in warning
        assert countdowns("M26-00103") == ["0:15", "23:45"]  # on time
        assert row_line(queue, "M26-00097").rstrip().endswith("✓   ⏸ 35:00")  # waiting
        assert row_line(queue, "M26-00099").rstrip().endswith("✓ -0:20     38:00")  # late
        assert countdowns("M26-00104") == ["1:10", "—"]  # a request: no resolution target


async def test_a_tick_moves_the_countdowns_and_not_the_held_ones():
    app, queue, rows, positions = await queue_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, rows, positions)
        queue.set_now(sla_engine().now_positions(NOW + timedelta(minutes=5)))
        await pilot.pause()
        assert row_line(queue, "M26-00102").split()[-2:] == ["0:01", "7:31"]
        assert row_line(queue, "M26-00097").split()[-2:] == ["⏸", "35:00"]


async def test_a_tick_redraws_only_the_rows_whose_countdowns_changed():
    """Countdowns show minutes: a second later only the breached row, whose overdue time
    just passed a minute, is drawn again; five minutes later the rows show the new time."""
    app, queue, rows, positions = await queue_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, rows, positions)
        await pilot.pause()
        drawn: list[str] = []
        original = queue.render_line

        def recording(y: int):
            strip = original(y)
            drawn.append(strip.text)
            return strip

        queue.render_line = recording
        queue.set_now(sla_engine().now_positions(NOW + timedelta(seconds=1)))
        await pilot.pause()
        assert [line.split()[0].lstrip("▌") for line in drawn] == ["M26-00101"]
        assert drawn[0].split()[-2:] == ["-0:16", "3:30"]
        drawn.clear()
        queue.set_now(sla_engine().now_positions(NOW + timedelta(minutes=5)))
        await pilot.pause()
        assert next(line for line in drawn if "M26-00102" in line).split()[-2:] == [
            "0:01", "7:31"]


async def test_a_tick_reuses_the_static_cells():
    """Only the two countdown cells are formatted per tick; the rest comes from the cache."""
    app, queue, rows, positions = await queue_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, rows, positions)
        lines(queue)
        built = []
        original = queue._static_segments
        queue._static_segments = lambda *args: built.append(args) or original(*args)
        queue.set_now(sla_engine().now_positions(NOW + timedelta(seconds=1)))
        lines(queue)
        assert built == []
        queue.set_rows(rows)  # a reload with the same calls: nothing to rebuild
        lines(queue)
        assert built == []
        changed = replace(rows[0], handler="Daan Bakker")
        queue.set_rows([changed, *rows[1:]])  # one call changed: only its row is rebuilt
        lines(queue)
        assert [args[0] for args in built] == [changed]
        assert "Daan Bakker" in row_line(queue, changed.number)


@pytest.mark.parametrize(
    ("countdown", "reaction", "expected"),
    [
        (Countdown(83 * 60, 0.3, ClockState.OK, True), True, ("1:23", "sla-ok")),
        (Countdown(6 * 60, 0.8, ClockState.WARNING, True), False, ("0:06", "sla-warning")),
        (Countdown(-12 * 60, 1.4, ClockState.BREACHED, True), True, ("-0:12", "sla-breached")),
        (Countdown(0, 1.0, ClockState.BREACHED, True), False, ("-0:00", "sla-breached")),
        (Countdown(130 * 60, 0.5, ClockState.OK, False), False, ("⏸ 2:10", "sla-paused")),
        (Countdown(-60, 1.1, ClockState.BREACHED, False), False, ("⏸ -0:01", "sla-breached")),
        (Countdown(10 * 60, 0.6, ClockState.OK, False), True, ("✓", "sla-ok")),
        (Countdown(60, 0.9, ClockState.WARNING, False), True, ("✓", "sla-ok")),
        (Countdown(-20 * 60, 2.0, ClockState.BREACHED, False), True, ("✓ -0:20", "sla-breached")),
    ],
)
def test_countdown_text_and_state(countdown, reaction, expected):
    assert countdown_text(countdown, reaction=reaction) == expected


async def test_breached_and_priority_cells_take_their_colour_from_the_theme():
    app, queue, rows, positions = await queue_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, rows, positions)
        queue.action_cursor_to(-1)  # keep the cursor off the first row
        variables = load_themes()["desk-dark"].variables
        segments = list(queue.render_line(1))
        colour = {seg.text.strip(): seg.style.color for seg in segments if seg.text.strip()}
        assert Color.from_rich_color(colour["-0:15"]) == Color.parse(variables["sla-breached"])
        assert Color.from_rich_color(colour["P1"]) == Color.parse(variables["priority-1"])
        assert Color.from_rich_color(colour["3:30"]) == Color.parse(variables["sla-ok"])


# -- user text is shown literally ------------------------------------------------------------
async def test_markup_looking_text_is_shown_literally():
    app, queue, rows, positions = await queue_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, rows, positions)
        line = row_line(queue, "M26-00097")
        assert "[bold]x[/]" in line
        assert "[/ markup [0]" in line


async def test_control_characters_are_made_visible():
    app, queue, rows, positions = await queue_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, rows, positions)
        line = row_line(queue, "M26-00099")
        assert "Tom\u241b]0;pw" in line
        assert "Scherm\u2409flikkert" in line
        assert not any(char in text for text in lines(queue) for char in "\x1b\x07\x9b\t\n")


async def test_long_and_wide_text_is_clipped_to_its_column():
    app, queue, rows, positions = await queue_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, rows, positions)
        line = row_line(queue, "M26-00104")
        assert "李小龍" in line
        assert "Nieuwe medewerk" in line and "…" in line  # cut, with an ellipsis
        assert cell_len(line) == queue.size.width


# -- cursor and messages ---------------------------------------------------------------------
async def test_the_cursor_moves_and_each_move_is_announced():
    app, queue, rows, positions = await queue_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, rows, positions)
        assert queue.cursor_row == 0 and queue.selected_row == rows[0]
        await pilot.press("down", "down")
        assert queue.selected_row == rows[2]
        await pilot.press("end")
        assert queue.cursor_row == len(rows) - 1
        await pilot.press("down")  # stays on the last row
        assert queue.cursor_row == len(rows) - 1
        await pilot.press("home", "up")
        assert queue.cursor_row == 0
        await pilot.press("pagedown")
        assert queue.cursor_row == len(rows) - 1
        await pilot.press("pageup")
        assert queue.cursor_row == 0
        highlighted = [m.row.number for m in app.of_type(CallQueue.Highlighted)]
        assert highlighted == [
            rows[0].number, rows[1].number, rows[2].number, rows[-1].number,
            rows[0].number, rows[-1].number, rows[0].number,
        ]  # fmt: skip


async def test_the_cursor_row_is_marked():
    app, queue, rows, positions = await queue_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, rows, positions)
        await pilot.press("down")
        marked = [line for line in lines(queue) if line.startswith("▌")]
        assert marked == [row_line(queue, rows[1].number)]


async def test_enter_selects_the_call_under_the_cursor():
    app, queue, rows, positions = await queue_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, rows, positions)
        await pilot.press("down", "enter")
        selected = app.of_type(CallQueue.Selected)
        assert [message.row for message in selected] == [rows[1]]
        assert selected[0].control is queue


async def test_a_click_highlights_and_a_second_click_selects():
    app, queue, rows, positions = await queue_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, rows, positions)
        await pilot.click(CallQueue, offset=(5, 3))  # header + rows 0, 1: row 2
        assert queue.cursor_row == 2
        await pilot.click(CallQueue, offset=(5, 3))
        assert [message.row for message in app.of_type(CallQueue.Selected)] == [rows[2]]


async def test_the_cursor_stays_on_the_same_call_when_the_rows_change():
    app, queue, rows, positions = await queue_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, rows, positions)
        await pilot.press("down", "down")
        call = queue.selected_row
        reordered = list(reversed(rows))
        queue.set_rows(reordered)
        await pilot.pause()
        assert queue.selected_row == call
        assert queue.cursor_row == reordered.index(call)
        queue.set_rows([row for row in reordered if row.id != call.id])  # it was closed
        await pilot.pause()
        assert queue.cursor_row == reordered.index(call)  # same place, the next call
        assert app.of_type(CallQueue.Highlighted)[-1].row == queue.selected_row


async def test_a_long_queue_scrolls_to_keep_the_cursor_in_view():
    many = [
        make_row(f"M26-{n:05d}", registered=ams("2026-11-30 08:00"), impact=L, urgency=H)
        for n in range(60)
    ]
    app, queue, rows, positions = await queue_app(many)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, rows, positions)
        await pilot.press("end")
        await pilot.pause()
        assert queue.cursor_row == 59
        assert "M26-00059" in lines(queue)[-1]
        assert "Nummer" in lines(queue)[HEADER]  # the header stays put
        await pilot.press("pageup")
        await pilot.pause()
        visible_numbers = {line.split()[0].lstrip("▌") for line in lines(queue)[1:]}
        assert queue.selected_row.number in visible_numbers


async def test_a_queue_not_yet_loaded_does_not_claim_to_be_empty():
    app = WidgetApp(CallQueue())  # composed before the engine and the rows are there
    async with app.run_test(size=SIZE) as pilot:
        queue = app.query_one(CallQueue)
        await pilot.pause()
        assert "Nummer" in lines(queue)[HEADER]
        assert all(not line.strip() for line in lines(queue)[1:])
        queue.set_rows([])
        await pilot.pause()
        assert lines(queue)[1].strip() == "Geen open meldingen"


async def test_an_empty_queue_says_so_and_selects_nothing():
    app, queue, rows, positions = await queue_app([])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, rows, positions)
        assert lines(queue)[1].strip() == "Geen open meldingen"
        assert queue.selected_row is None
        await pilot.press("enter", "down")
        assert app.of_type(CallQueue.Selected) == []


async def test_an_unassigned_on_call_p1_shows_piket_as_handler():
    after_hours = make_row(
        "M26-00200", registered=ams("2026-11-30 18:00"), impact=H, urgency=H, handler=None
    )
    app, queue, _, positions = await queue_app([after_hours], now=ams("2026-11-30 18:05"))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, [after_hours], positions)
        assert " piket " in row_line(queue, "M26-00200")


# -- language, themes, layout ----------------------------------------------------------------
async def test_the_header_and_labels_switch_to_english():
    i18n.set_language("en")
    rows = [replace(sample_rows()[4])]
    app, queue, rows, positions = await queue_app(rows)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, rows, positions)
        header = lines(queue)[HEADER]
        assert "Caller" in header and "Handler" in header and "Resolution" in header
        assert "specialist" in row_line(queue, "M26-00099")


@pytest.mark.parametrize("name", THEME_NAMES)
async def test_switching_theme_redraws_in_the_new_colours(name):
    app, queue, rows, positions = await queue_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, rows, positions)
        queue.action_cursor_to(-1)
        app.theme = name
        await pilot.pause()
        assert row_line(queue, "M26-00101").split()[-2:] == ["-0:15", "3:30"]
        breached = next(seg for seg in queue.render_line(1) if seg.text.strip() == "-0:15")
        expected = load_themes()[name].variables["sla-breached"]
        assert Color.from_rich_color(breached.style.color) == Color.parse(expected)


@pytest.mark.parametrize("width", [40, 60, 80, 100, 160, 240])
def test_columns_fit_the_width_and_the_countdowns_always_stay(width):
    titles = {column: i18n._(spec.title) for column, spec in COLUMNS.items()}
    columns = layout_columns(width, 9, titles)
    shown = [column for column, _ in columns]
    assert shown[-2:] == [Column.REACTION, Column.RESOLUTION]
    assert 1 + sum(w for _, w in columns) + len(columns) - 1 <= width
    for column, column_width in columns:
        if column is not Column.SUMMARY:  # the only column that may shrink below its title
            assert column_width >= cell_len(titles[column])


def test_a_wide_screen_gives_the_description_the_most_room():
    columns = dict(layout_columns(160, 9))
    assert columns[Column.SUMMARY] == max(columns.values())


async def test_rows_given_before_mounting_are_shown():
    engine = sla_engine()
    queue = CallQueue(engine)
    rows = sample_rows()
    queue.set_rows(rows)
    queue.set_now(engine.now_positions(NOW))
    app = WidgetApp(queue)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert rows[0].number in lines(queue)[1]
        assert queue.selected_row == rows[0]


async def test_the_cursor_row_is_dimmer_when_the_queue_has_no_focus():
    engine = sla_engine()
    queue, other = CallQueue(engine), PriorityPicker()
    app = WidgetApp(queue, other)
    rows, positions = sample_rows(), engine.now_positions(NOW)
    variables = load_themes()["desk-dark"].variables
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, queue, rows, positions)

        def cursor_background() -> Color:
            first = next(iter(queue.render_line(1)))
            return Color.from_rich_color(first.style.bgcolor)

        assert cursor_background() == Color.parse(variables["desk-cursor-background"])
        other.focus()
        await pilot.pause()
        assert cursor_background() == Color.parse(variables["desk-cursor-blurred-background"])
        assert not lines(queue)[1].startswith("▌")  # the mark shows where the keys go
