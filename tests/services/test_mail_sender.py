"""The outbox sender against a real SMTP server (aiosmtpd) on this machine."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from sqlalchemy import select
from sqlalchemy.engine import Engine

from desk_tui.config import MailSettings
from desk_tui.services.mail_sender import BACKOFF, LEASE, _claim, send_outbox
from desk_tui.store.engine import make_engine, read_session, write_session
from desk_tui.store.migrate import upgrade_database
from desk_tui.store.models import OutboxMessage

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Mailbox:
    """The test server's handler: keeps what it accepts; can refuse or delay."""

    received: list[tuple[list[str], bytes]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # recipients answered with 550
    busy_once: set[str] = field(default_factory=set)  # recipients answered 451 once

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str,
        rcpt_options: list[str],
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        busy = self.busy_once & set(envelope.rcpt_tos)
        if busy:
            self.busy_once -= busy
            return "451 4.3.0 try again later"
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


@dataclass
class Server:
    mailbox: Mailbox
    settings: MailSettings
    controller: Controller | None = None


def _start(mailbox: Mailbox, port: int, **options: object) -> Controller:
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    return controller


@pytest.fixture
def smtp() -> Iterator[Server]:
    mailbox = Mailbox()
    port = free_port()
    settings = MailSettings(host="127.0.0.1", port=port, starttls=False,
                            sender="servicedesk@desom.example")
    server = Server(mailbox, settings, _start(mailbox, port))
    yield server
    if server.controller is not None:
        server.controller.stop()


def queue(engine: Engine, key: str, recipient: str, subject: str = "Melding M2026-000001",
          at: datetime = NOW) -> None:
    with write_session(engine) as session:
        session.add(OutboxMessage(dedupe_key=key, recipient=recipient, subject=subject,
                                  body="Uw melding is geregistreerd.\n", created_at=at,
                                  next_attempt_at=at))


def row(engine: Engine, key: str) -> OutboxMessage:
    with read_session(engine) as session:
        return session.execute(
            select(OutboxMessage).where(OutboxMessage.dedupe_key == key)
        ).scalar_one()


def test_pending_mail_is_sent_once(store: Engine, smtp: Server) -> None:
    queue(store, "a", "jan@almere.example", subject="Printer\r\nBcc: evil@example [b]x[/b]")
    queue(store, "b", "els@almere.example")

    report = send_outbox(store, smtp.settings, lambda: NOW)
    again = send_outbox(store, smtp.settings, lambda: NOW + timedelta(hours=2))

    assert (report.sent, report.problem) == (2, None)
    assert again.sent == 0
    assert sorted(rcpt for rcpts, _ in smtp.mailbox.received for rcpt in rcpts) == [
        "els@almere.example", "jan@almere.example",
    ]
    first = message_from_bytes(smtp.mailbox.received[0][1])
    # A line break in user text cannot add a header; the text itself arrives literally.
    assert first["Bcc"] is None
    assert first["Subject"] == "Printer Bcc: evil@example [b]x[/b]"
    assert first["Message-ID"] == f"<outbox-{row(store, 'a').id}@desom.example>"
    assert row(store, "a").sent_at == NOW
    assert row(store, "a").attempts == 1


def test_mail_waits_while_the_server_is_down_and_goes_once_it_is_back(
    store: Engine, smtp: Server
) -> None:
    assert smtp.controller is not None
    smtp.controller.stop()
    smtp.controller = None
    queue(store, "a", "jan@almere.example")

    offline = send_outbox(store, smtp.settings, lambda: NOW)

    assert offline.sent == 0
    assert offline.problem is not None and "not reachable" in offline.problem
    waiting = row(store, "a")
    assert (waiting.sent_at, waiting.attempts, waiting.next_attempt_at) == (None, 0, NOW)

    smtp.controller = _start(smtp.mailbox, smtp.settings.port)
    back = send_outbox(store, smtp.settings, lambda: NOW + timedelta(minutes=1))

    assert back.sent == 1
    assert len(smtp.mailbox.received) == 1


def test_a_temporary_refusal_is_retried_after_the_backoff_and_sent_once(
    store: Engine, smtp: Server
) -> None:
    smtp.mailbox.busy_once.add("jan@almere.example")
    queue(store, "a", "jan@almere.example")

    first = send_outbox(store, smtp.settings, lambda: NOW)
    too_soon = send_outbox(store, smtp.settings, lambda: NOW + BACKOFF[0] - timedelta(seconds=1))
    later = send_outbox(store, smtp.settings, lambda: NOW + BACKOFF[0])
    after = send_outbox(store, smtp.settings, lambda: NOW + timedelta(days=1))

    assert (first.sent, first.retry_later) == (0, 1)
    assert row(store, "a").sent_at == NOW + BACKOFF[0]
    assert (too_soon.sent, later.sent, after.sent) == (0, 1, 0)
    assert len(smtp.mailbox.received) == 1
    assert row(store, "a").attempts == 2


def test_a_refused_recipient_or_a_missing_address_is_given_up_with_the_reason(
    store: Engine, smtp: Server
) -> None:
    smtp.mailbox.refuse.add("nobody@almere.example")
    queue(store, "a", "nobody@almere.example")
    queue(store, "b", "")

    report = send_outbox(store, smtp.settings, lambda: NOW)
    later = send_outbox(store, smtp.settings, lambda: NOW + timedelta(days=1))

    assert (report.sent, report.given_up, later.given_up) == (0, 2, 0)
    refused, missing = row(store, "a"), row(store, "b")
    assert refused.next_attempt_at is None and "550" in (refused.last_error or "")
    assert missing.next_attempt_at is None and "no e-mail address" in (missing.last_error or "")
    assert smtp.mailbox.received == []


def test_two_senders_cannot_claim_the_same_message(store: Engine) -> None:
    queue(store, "a", "jan@almere.example")
    message_id = row(store, "a").id

    assert _claim(store, message_id, NOW) is not None
    assert _claim(store, message_id, NOW) is None  # leased to the first sender
    assert _claim(store, message_id, NOW + LEASE) is not None  # the lease ran out


def test_starttls_and_login_against_a_server_with_an_internal_ca(
    sqlite_url: str, tmp_path: Path
) -> None:
    upgrade_database(sqlite_url)
    sqlite_store = make_engine(sqlite_url)
    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1")
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(server_context)
    cafile = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(cafile))
    logins: list[tuple[bytes, bytes]] = []

    def authenticate(
        server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: object
    ) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret", handled=False)

    mailbox = Mailbox()
    port = free_port()
    controller = _start(mailbox, port, tls_context=server_context, require_starttls=True,
                        authenticator=authenticate)
    settings = MailSettings(host="127.0.0.1", port=port, starttls=True, user="desk",
                            sender="servicedesk@desom.example", cafile=str(cafile),
                            timeout=3)
    try:
        queue(sqlite_store, "a", "jan@almere.example")
        wrong = send_outbox(sqlite_store, settings, lambda: NOW, password="guess")
        right = send_outbox(sqlite_store, settings, lambda: NOW, password="s3cret")
        queue(sqlite_store, "b", "els@almere.example")
        untrusted = send_outbox(sqlite_store, replace(settings, cafile=""), lambda: NOW)
    finally:
        controller.stop()
        sqlite_store.dispose()

    assert wrong.sent == 0 and "refused the login of desk" in (wrong.problem or "")
    assert right.sent == 1
    # smtplib tries each mechanism the server offers before giving up on a password.
    assert {login for login, _ in logins} == {b"desk"}
    assert logins[-1] == (b"desk", b"s3cret")
    assert {password for _, password in logins[:-1]} == {b"guess"}
    assert untrusted.problem is not None  # the certificate is checked
    assert len(mailbox.received) == 1
