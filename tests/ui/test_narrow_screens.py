"""At 80 × 24 nothing an operator needs is cut off: the queue's status line, the call's
description, history and due times, and the keys to help and the palette."""

from __future__ import annotations

from textual.widgets import Static

from desk_tui.ui.widgets.expiry_banner import ExpiryBanner
from tests.services.test_calls import register
from tests.ui.app_harness import make_test_app, wait_for
from tests.ui.test_app_queue import loaded
from tests.ui.test_call_screen import open_call, text_of
from tests.world import at

NARROW = (80, 24)


def _status(app) -> str:
    return str(app.screen.query_one("#queue-status", Static).render())


async def test_the_queue_notices_go_under_the_status_line_when_it_would_be_cut(
        ui_world, clock, monkeypatch):
    # The counts are set by hand below: the banner's own count (a worker started on
    # connect, 0 and 0 in this world) must not land after them on a busy machine.
    monkeypatch.setattr(ExpiryBanner, "refresh_counts", lambda self: None)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=NARROW) as pilot:
        await wait_for(pilot, lambda: loaded(app))
        bar = app.screen.query_one("#queue-bar")
        banner = app.screen.query_one(ExpiryBanner)
        banner.show_counts(1, 2)  # "⚠ 1 certificaat verlopen, 2 binnen 30 dagen"
        await wait_for(pilot, lambda: bar.has_class("-stacked"))
        await pilot.pause()
        status = app.screen.query_one("#queue-status", Static)
        assert status.region.y != banner.region.y  # a line of its own
        assert "sortering: eerstvolgende streeftijd" in _status(app)
        assert status.size.width >= len(_status(app))
        await pilot.resize_terminal(140, 42)
        await wait_for(pilot, lambda: not bar.has_class("-stacked"))  # room enough again
        await pilot.pause()
        assert status.region.y == banner.region.y
        banner.show_counts(0, 0)


async def test_the_call_view_shares_80_columns_between_its_two_columns(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:00"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_call(pilot, app, saved.id)
        main, side = screen.query_one("#call-main"), screen.query_one("#call-side")
        assert abs(main.size.width - side.size.width) <= 2
        assert main.size.width >= 34  # was 13 beside a fixed 60-column side
        # The due times fit beside the countdowns: the time alone, not cut off.
        due = text_of(screen, "#sla-resolution-due")
        assert due and not due.startswith("uiterlijk")
        widget = screen.query_one("#sla-resolution-due", Static)
        assert len(due) <= widget.size.width
        # Who did it heads each history line: the change itself keeps its room.
        history = "\n".join(line.text for line in (
            screen.query_one("#call-history").render_line(y) for y in range(6)))
        assert "Wijziging" in history and "Wie " not in history


async def test_help_and_the_palette_stay_in_the_footer_at_80_columns(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=NARROW) as pilot:
        # The footer composes again when the bindings change (on connect): look at the
        # group once its keys are in it.
        await wait_for(pilot, lambda: loaded(app) and any(
            len(group.query("FooterKey")) == 2 for group in app.screen.query(".footer-right")))
        await pilot.pause()
        right = app.screen.query(".footer-right").last()
        assert right.region.right == 80
        assert [key.description for key in right.query("FooterKey")] == ["Help", "opdrachten"]
