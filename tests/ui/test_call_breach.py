"""A security incident in the call view: declared by key, the 72 hours to notify count
down, each protocol step recorded by key."""

from __future__ import annotations

from desk_tui.ui.screens.dialogs import TextPrompt
from tests.services.test_calls import register
from tests.ui.app_harness import APP_SIZE, make_test_app, wait_for
from tests.ui.test_call_p1 import open_call
from tests.world import at


async def test_a_data_breach_is_declared_and_its_steps_recorded_by_key(ui_world, clock):
    saved = register(ui_world, now=at("2026-11-30 09:00"))
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_call(app, pilot, saved.id)
        assert not screen.query_one("#call-breach-pane").display
        assert screen.check_action("breach", ()) is True
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press(*"2026-11-30 08:00", "enter")
        await wait_for(pilot, lambda: screen.breach is not None)
        pane = screen.query_one("#call-breach")
        assert screen.query_one("#call-breach-pane").display
        # Discovered at 08:00, now 10:00 (the frozen clock): 70 of the 72 hours left.
        assert "Melden binnen 72 u: nog 70:00 (uiterlijk 03-12 08:00)" in pane.plain
        assert "· Identificatie" in pane.plain
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt)
                       and "Identificatie" in str(app.screen.label))
        await pilot.press(*"Lijst van getroffen cliënten", "ctrl+s")
        await wait_for(pilot, lambda: screen.breach is not None
                       and screen.breach.next_step is not None
                       and screen.breach.next_step.value == "indamming")
        await wait_for(pilot, lambda: "✓ Identificatie" in screen.query_one("#call-breach").plain)
