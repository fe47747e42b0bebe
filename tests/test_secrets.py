"""Passwords come from the keyring, or from an environment variable where there is none."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.fail import Keyring as NoKeyring

from desk_tui.secrets import SecretUnavailable, keyring_available, secret, store_secret


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    yield
    keyring.set_keyring(previous)


def test_a_stored_password_comes_from_the_keyring(memory_keyring: MemoryKeyring) -> None:
    store_secret("smtp:desk@mail", "s3cret")

    assert keyring_available()
    assert memory_keyring.passwords == {("desk", "smtp:desk@mail"): "s3cret"}
    assert secret("smtp:desk@mail", "DESK_SMTP_PASSWORD", environ={}) == "s3cret"


def test_the_keyring_wins_over_the_environment(memory_keyring: MemoryKeyring) -> None:
    store_secret("smtp:desk@mail", "from-keyring")

    found = secret("smtp:desk@mail", "DESK_SMTP_PASSWORD",
                   environ={"DESK_SMTP_PASSWORD": "from-env"})

    assert found == "from-keyring"


def test_without_a_keyring_the_environment_variable_is_used(no_keyring: None) -> None:
    assert not keyring_available()
    found = secret("smtp:desk@mail", "DESK_SMTP_PASSWORD",
                   environ={"DESK_SMTP_PASSWORD": "from-env"})
    assert found == "from-env"


def test_without_keyring_or_variable_the_message_says_what_to_do(no_keyring: None) -> None:
    with pytest.raises(SecretUnavailable) as raised:
        secret("smtp:desk@mail", "DESK_SMTP_PASSWORD", environ={})

    message = str(raised.value)
    assert "keyring is not available" in message
    assert "DESK_SMTP_PASSWORD" in message
    assert "desk secret set smtp:desk@mail" in message


def test_storing_without_a_keyring_is_refused_not_written_elsewhere(no_keyring: None) -> None:
    with pytest.raises(SecretUnavailable, match="environment variable"):
        store_secret("smtp:desk@mail", "s3cret")
