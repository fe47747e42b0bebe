"""The footer shows the screen's keys from its first frame, and is rebuilt only when the
keys it shows change (Textual's rebuilds it on every focus change: ~15 ms each)."""

from __future__ import annotations

from textual.widgets import TabbedContent
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

from desk_tui.ui.screens.cmdb import TABS
from desk_tui.ui.widgets.desk_footer import DeskFooter
from tests.services.test_calls import register
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_app_queue import loaded
from tests.ui.test_call_screen import footer_actions, open_call
from tests.ui.test_cmdb_screens import build_cmdb, open_cmdb
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


async def test_a_ci_in_full_keeps_quit_in_the_footer_at_140_columns(ui_world, clock):
    """The four tab keys share one place ("1234 Tabbladen"); each tab shows its key. Listed
    one by one they pushed Quit (and the theme key) off the footer."""
    cmdb = build_cmdb(ui_world)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_cmdb(pilot, app, cmdb.application)
        await wait_for(pilot, lambda: any(key.key == "ctrl+q" for key in _keys(app)))
        footer = screen.query_one(DeskFooter)
        quit_key = next(key for key in _keys(app) if key.key == "ctrl+q")
        assert quit_key.region.right <= footer.query_one(".footer-right").region.x
        label = footer.query_one(FooterLabel)
        assert str(label.render()) == "Tabbladen"
        assert [key.key for key in footer.query_one(KeyGroup).query(FooterKey)] == [
            "1", "2", "3", "4"]
        tabs = screen.query_one(TabbedContent)
        assert [tabs.get_tab(pane).label.plain.split()[:2] for pane in TABS] == [
            ["1", "Meldingen"], ["2", "Wijzigingen"], ["3", "Contracten"], ["4", "Geschiedenis"]]
        await pilot.press("3")
        await wait_for(pilot, lambda: tabs.active == "contracts")
