"""The footer shows the screen's keys from its first frame, and is rebuilt only when the
keys it shows change (Textual's rebuilds it on every focus change: ~15 ms each)."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from desk_tui.ui.widgets.desk_footer import DeskFooter
from tests.services.test_calls import register
from tests.ui.app_harness import make_test_app, wait_for
from tests.ui.test_app_queue import loaded
from tests.ui.test_call_screen import footer_actions, open_call
from tests.world import at


def _keys(app) -> list[FooterKey]:
    return list(app.screen.query_one(DeskFooter).query(FooterKey))


async def test_the_footer_is_not_rebuilt_when_its_keys_stay_the_same(ui_world, clock):
    app = make_test_app(ui_world, clock)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: loaded(app))
        await pilot.pause()
        before = _keys(app)
        assert "intake" in {key.action for key in before}
        app.screen.refresh_bindings()  # what a focus change does
        await pilot.pause()
        await pilot.pause()
        assert _keys(app) == before  # the same widgets: nothing mounted again


async def test_the_footer_is_rebuilt_when_a_key_comes_or_goes(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:00"))
    app = make_test_app(ui_world, clock)
    async with app.run_test() as pilot:
        await open_call(pilot, app, saved.id)
        await wait_for(pilot, lambda: "take" in {key.action for key in _keys(app)})
        await pilot.press("t")  # taken: "take" goes from the footer
        await wait_for(pilot, lambda: "take" not in {key.action for key in _keys(app)})
        assert "take" not in footer_actions(app)
