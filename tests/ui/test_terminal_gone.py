"""A console whose terminal went away (a dropped SSH session, a closed tmux) closes itself
instead of reading endless empty input on a busy core."""

from __future__ import annotations

import os

from desk_tui.ui.app import TERMINAL_GONE
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_app_queue import loaded


async def test_the_console_closes_when_its_terminal_hangs_up(ui_world, clock):
    controller, terminal = os.openpty()
    app = make_test_app(ui_world, clock)
    try:
        async with app.run_test(size=APP_SIZE) as pilot:
            await wait_for(pilot, lambda: loaded(app))
            app.terminal_fd = terminal
            app.check_terminal()
            assert app.is_running and app.return_code is None  # still there: nothing
            os.close(controller)  # the terminal hangs up
            controller = -1
            app.check_terminal()
            await pilot.pause()
        assert app.return_code == TERMINAL_GONE
    finally:
        os.close(terminal)
        if controller >= 0:
            os.close(controller)


async def test_a_console_without_a_terminal_is_not_watched(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: loaded(app))
        assert app.terminal_fd is None  # headless: tests, benchmarks
        app.check_terminal()
        assert app.return_code is None
