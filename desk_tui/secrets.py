"""Passwords desk needs (the SMTP account, PostgreSQL roles), kept in the system keyring.

Where no keyring backend exists (a headless server), `secret()` says so and takes the
password from an environment variable instead; it never falls back to a plaintext file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import ModuleType

SERVICE = "desk"
DATABASE_PASSWORD_ENV = "DESK_DATABASE_PASSWORD"


class SecretUnavailable(RuntimeError):
    """No password could be found; the message says where desk looked and what to do."""


def _keyring() -> ModuleType:
    """keyring, imported when a secret is needed (it is slow to import)."""
    import keyring

    return keyring


def keyring_available() -> bool:
    """Whether a real backend (not keyring's "fail" backend) is installed."""
    backend = _keyring().get_keyring()
    return getattr(backend, "priority", 0) > 0 and "fail" not in type(backend).__module__


def secret(name: str, env_var: str, environ: Mapping[str, str] | None = None) -> str:
    """The password stored as `name`: the keyring first, then `env_var`."""
    from keyring.errors import KeyringError

    env = os.environ if environ is None else environ
    stored: str | None = None
    problem = ""
    try:
        stored = _keyring().get_password(SERVICE, name)
    except KeyringError as error:  # NoKeyringError on a headless machine
        problem = f"the system keyring is not available ({error})"
    if stored is not None:
        return stored
    if env.get(env_var):
        return env[env_var]
    where = problem or f"the system keyring has no password for {name!r}"
    raise SecretUnavailable(
        f"{where}; store it with `desk secret set {name}` or set {env_var}"
    )


def store_secret(name: str, password: str) -> None:
    """Keep `password` in the keyring; raises SecretUnavailable where there is none."""
    from keyring.errors import KeyringError

    try:
        _keyring().set_password(SERVICE, name, password)
    except KeyringError as error:
        raise SecretUnavailable(
            f"the system keyring is not available ({error}); set the environment variable"
            " instead"
        ) from error


def database_secret_name(user: str, host: str | None, port: int | None = None) -> str:
    """The keyring name of a PostgreSQL role's password: `postgresql:ROLE@HOST[:PORT]`."""
    where = host or "localhost"
    return f"postgresql:{user}@{where}" + (f":{port}" if port else "")


def operator_database_url(
    url: str, login: str, *, role_per_operator: bool = False,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The URL the console of operator `login` connects with. PostgreSQL only: with
    `role_per_operator` the role is the operator's login (each operator's own rights and
    audit trail in the database); a password not in the URL comes from the keyring, else
    DESK_DATABASE_PASSWORD. With neither, libpq's own ways (.pgpass, peer, trust) apply;
    the URL never carries a password into a file."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return url
    if role_per_operator and login:
        # URL.set() ignores None; a shared role's password must not follow the operator.
        parsed = parsed.set(username=login)._replace(password=None)
    if parsed.username and parsed.password is None:
        name = database_secret_name(parsed.username, parsed.host, parsed.port)
        try:
            password = secret(name, DATABASE_PASSWORD_ENV, environ)
        except SecretUnavailable:
            password = None
        if password is not None:
            parsed = parsed.set(password=password)
    return parsed.render_as_string(hide_password=False)
