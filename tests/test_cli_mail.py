"""`desk mail send|status` and `desk secret set` from the command line."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring
from sqlalchemy.engine import Engine

from desk_tui.cli import main
from desk_tui.store.engine import write_session
from desk_tui.store.models import OutboxMessage
from tests.services.test_mail_sender import NOW, Mailbox, _start, free_port


@pytest.fixture
def database(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    from desk_tui.store.engine import make_engine
    from desk_tui.store.migrate import upgrade_database

    monkeypatch.setenv("DESK_DATABASE_URL", sqlite_url)
    upgrade_database(sqlite_url)
    engine = make_engine(sqlite_url)
    with write_session(engine) as session:
        session.add_all([
            OutboxMessage(dedupe_key="a", recipient="jan@almere.example", subject="Melding",
                          body="Tekst", created_at=NOW, next_attempt_at=NOW),
            OutboxMessage(dedupe_key="b", recipient="", subject="Zonder adres", body="Tekst",
                          created_at=NOW, next_attempt_at=None, last_error="no e-mail address"),
        ])
    yield engine
    engine.dispose()


def test_status_and_send_through_the_configured_server(
    database: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mailbox = Mailbox()
    port = free_port()
    controller = _start(mailbox, port)
    config = tmp_path / "desk.toml"
    config.write_text(f"[mail]\nhost = '127.0.0.1'\nport = {port}\nstarttls = false\n"
                      "sender = 'servicedesk@desom.example'\n")
    try:
        assert main(["mail", "status"]) == 0
        assert main(["--config", str(config), "mail", "send"]) == 0
        assert main(["mail", "status"]) == 0
    finally:
        controller.stop()

    out = capsys.readouterr().out.splitlines()
    assert out[0] == "1 message(s) waiting, 1 undeliverable"
    assert out[1] == "  (no address): 'Zonder adres': no e-mail address"
    assert "mail: 1 sent" in out
    assert "0 message(s) waiting, 1 undeliverable" in out
    assert len(mailbox.received) == 1


def test_send_without_a_server_says_mail_waits(database: Engine, capsys) -> None:
    assert main(["mail", "send"]) == 2
    assert "no mail server configured" in capsys.readouterr().err


def test_a_login_without_a_password_anywhere_is_explained(
    database: Engine, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    monkeypatch.delenv("DESK_SMTP_PASSWORD", raising=False)
    config = tmp_path / "desk.toml"
    config.write_text("[mail]\nhost = 'smtp.desom.example'\nuser = 'desk'\n"
                      "sender = 'servicedesk@desom.example'\n")
    try:
        assert main(["--config", str(config), "mail", "send"]) == 1
        monkeypatch.setattr("sys.stdin", io.StringIO("s3cret\n"))
        assert main(["secret", "set", "smtp:desk@smtp.desom.example", "--stdin"]) == 1
    finally:
        keyring.set_keyring(previous)
    err = capsys.readouterr().err
    assert "keyring is not available" in err and "DESK_SMTP_PASSWORD" in err
    assert "set the environment variable instead" in err
