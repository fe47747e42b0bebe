"""The console sends the outbox in the background; a server out of reach is said once."""

from __future__ import annotations

from desk_tui.config import MailSettings, Settings
from desk_tui.services.desk import Desk
from desk_tui.ui.app import DeskApp
from tests.services.test_calls import register
from tests.services.test_mail_sender import Mailbox, _start, free_port
from tests.ui.app_harness import APP_SIZE, wait_for
from tests.world import at


def mail_app(world, clock, mail: MailSettings) -> DeskApp:
    settings = Settings(language="nl", mail=mail)
    return DeskApp(settings, lambda: Desk(world.db, world.sla, clock), operator="agent")


async def test_the_confirmation_goes_out_while_the_console_runs(ui_world, clock):
    register(ui_world, now=at("2026-11-30 09:00"))  # queues the caller's confirmation
    mailbox = Mailbox()
    port = free_port()
    controller = _start(mailbox, port)
    mail = MailSettings(host="127.0.0.1", port=port, starttls=False,
                        sender="servicedesk@desom.example", interval=0.2)
    try:
        app = mail_app(ui_world, clock, mail)
        async with app.run_test(size=APP_SIZE) as pilot:
            await wait_for(pilot, lambda: len(mailbox.received) == 1)
            await pilot.pause(0.5)  # more runs: nothing is sent twice
    finally:
        controller.stop()
    [(recipients, _content)] = mailbox.received
    assert recipients == ["a.jansen@enkhuizen.example"]


async def test_an_unreachable_server_is_said_once_and_the_mail_waits(ui_world, clock):
    register(ui_world, now=at("2026-11-30 09:00"))
    mail = MailSettings(host="127.0.0.1", port=free_port(), starttls=False,
                        sender="servicedesk@desom.example", interval=0.2, timeout=1)
    app = mail_app(ui_world, clock, mail)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: bool(app._notifications))
        await pilot.pause(0.6)
        titles = [notice.title for notice in app._notifications]
    assert titles == ["Mail wacht in de outbox"]
