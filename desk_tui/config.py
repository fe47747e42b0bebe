"""Settings: defaults that work with no file, one TOML file, and DESK_* environment variables.

Nothing is read at import time; `load_settings()` is called by the CLI and passed on.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from desk_tui.domain.calendar import CalendarConfig
from desk_tui.domain.escalation import EscalationPolicy
from desk_tui.domain.oncall import OnCallScope
from desk_tui.domain.sla import SlaTargets

APP_NAME = "desk"
LANGUAGES = ("nl", "en")


class ConfigError(ValueError):
    """A configuration file or variable that cannot be used; the message says which."""


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'desk.sqlite3'}"


@dataclass(frozen=True)
class MailSettings:
    """The SMTP server the outbox is sent through; no host: mail stays in the outbox.
    The password is not here: it lives in the keyring as `smtp:<user>@<host>` (or in
    DESK_SMTP_PASSWORD where there is no keyring)."""

    host: str = ""
    port: int = 587
    starttls: bool = True
    user: str = ""
    sender: str = "servicedesk@localhost"
    timeout: float = 15.0
    interval: float = 30.0  # seconds between outbox runs in the console
    cafile: str = ""  # a CA bundle for a server certified by an internal CA

    @property
    def enabled(self) -> bool:
        return bool(self.host)

    @property
    def secret_name(self) -> str:
        return f"smtp:{self.user}@{self.host}"

    @classmethod
    def from_mapping(cls, table: Mapping[str, object]) -> MailSettings:
        known = {"host", "port", "starttls", "user", "sender", "timeout", "interval", "cafile"}
        unknown = set(table) - known
        if unknown:
            raise ValueError(f"unknown [mail] setting(s): {', '.join(sorted(unknown))}")
        mail = cls(
            host=str(table.get("host", "")),
            port=int(table.get("port", 587)),  # type: ignore[call-overload]
            starttls=bool(table.get("starttls", True)),
            user=str(table.get("user", "")),
            sender=str(table.get("sender", cls.sender)),
            timeout=float(table.get("timeout", 15.0)),  # type: ignore[arg-type]
            interval=float(table.get("interval", 30.0)),  # type: ignore[arg-type]
            cafile=str(table.get("cafile", "")),
        )
        if not 0 < mail.port < 65536:
            raise ValueError(f"[mail] port {mail.port} is not a port number")
        if "@" not in mail.sender:
            raise ValueError(f"[mail] sender {mail.sender!r} is not an address")
        return mail


@dataclass(frozen=True)
class PrivacySettings:
    """[audit] and [privacy]: how long the audit trail is kept (the SLA and the data
    statement are silent: seven years), and how long after a participant's contract ends
    its personal data is anonymised (SPEC 11: within 3 months)."""

    audit_retention_days: int = 7 * 365 + 2
    grace_months: int = 3

    @classmethod
    def from_mapping(
        cls, audit: Mapping[str, object], privacy: Mapping[str, object]
    ) -> PrivacySettings:
        if set(audit) - {"retention_days"}:
            unknown = ", ".join(sorted(set(audit) - {"retention_days"}))
            raise ValueError(f"unknown [audit] setting(s): {unknown}")
        if set(privacy) - {"grace_months"}:
            unknown = ", ".join(sorted(set(privacy) - {"grace_months"}))
            raise ValueError(f"unknown [privacy] setting(s): {unknown}")
        settings = cls(
            audit_retention_days=int(audit.get("retention_days", cls.audit_retention_days)),  # type: ignore[call-overload]
            grace_months=int(privacy.get("grace_months", cls.grace_months)),  # type: ignore[call-overload]
        )
        if settings.audit_retention_days < 1:
            raise ValueError("[audit] retention_days must be at least 1")
        if not 0 <= settings.grace_months <= 3:
            raise ValueError("[privacy] grace_months must be 0 to 3 (SPEC 11: within 3 months)")
        return settings


@dataclass(frozen=True)
class Settings:
    database_url: str = ""
    # PostgreSQL: connect as the operator's own role (password in the keyring).
    database_role_per_operator: bool = False
    language: str = "nl"
    theme: str = "desk-dark"
    operator: str | None = None
    calendar: CalendarConfig = field(default_factory=CalendarConfig)
    sla: SlaTargets = field(default_factory=SlaTargets)
    mail: MailSettings = field(default_factory=MailSettings)
    escalation: EscalationPolicy = field(default_factory=EscalationPolicy)
    # How often the console looks for calls crossing a warning share or a target.
    alert_watch_seconds: float = 30.0
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    # [on_call]: the categories, CI types and municipalities the evening on-call handles.
    on_call: OnCallScope = field(default_factory=OnCallScope)
    source: Path | None = None  # the file the settings came from, if any

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()


def settings_from_mapping(table: Mapping[str, object], source: Path | None = None) -> Settings:
    """Settings from a parsed TOML document."""
    known = {"database", "ui", "calendar", "sla", "operator", "mail", "escalation", "audit",
             "privacy", "on_call"}
    unknown = set(table) - known
    if unknown:
        raise ConfigError(f"unknown section(s) in config: {', '.join(sorted(unknown))}")
    settings = Settings(source=source)
    try:
        database = _section(table, "database")
        if "url" in database:
            settings = replace(settings, database_url=str(database["url"]))
        if "role_per_operator" in database:
            per_operator = database["role_per_operator"]
            if not isinstance(per_operator, bool):
                raise ConfigError("[database] role_per_operator must be true or false")
            settings = replace(settings, database_role_per_operator=per_operator)
        ui = _section(table, "ui")
        if "language" in ui:
            settings = replace(settings, language=_language(str(ui["language"])))
        if "theme" in ui:
            settings = replace(settings, theme=str(ui["theme"]))
        if "operator" in table:
            settings = replace(settings, operator=str(table["operator"]))
        if "calendar" in table:
            calendar = CalendarConfig.from_mapping(_section(table, "calendar"))
            settings = replace(settings, calendar=calendar)
        if "sla" in table:
            settings = replace(settings, sla=SlaTargets.from_mapping(_section(table, "sla")))
        if "mail" in table:
            settings = replace(settings, mail=MailSettings.from_mapping(_section(table, "mail")))
        settings = _escalation(settings, _section(table, "escalation"))
        if "audit" in table or "privacy" in table:
            privacy = PrivacySettings.from_mapping(
                _section(table, "audit"), _section(table, "privacy"))
            settings = replace(settings, privacy=privacy)
        if "on_call" in table:
            from desk_tui.store.enums import CiType

            scope = OnCallScope.from_mapping(_section(table, "on_call"),
                                             [kind.value for kind in CiType])
            settings = replace(settings, on_call=scope)
    except (ValueError, TypeError, KeyError) as error:
        where = f" in {source}" if source else ""
        raise ConfigError(f"bad setting{where}: {error}") from error
    return settings


def _escalation(settings: Settings, table: Mapping[str, object]) -> Settings:
    """[escalation]: the warning shares (default: [sla] warning_share, which colours the
    queue, so one setting moves both), the ladder's level shares, and how often the
    console looks for new warnings."""
    policy = dict(table)
    watch = float(policy.pop("watch_seconds", 30.0))  # type: ignore[arg-type]
    if not 5 <= watch <= 3600:
        raise ValueError(f"[escalation] watch_seconds must lie between 5 and 3600, not {watch}")
    for name in ("reaction_warning_share", "resolution_warning_share"):
        policy.setdefault(name, settings.sla.warning_share)
    return replace(settings, escalation=EscalationPolicy.from_mapping(policy),
                   alert_watch_seconds=watch)


def _section(table: Mapping[str, object], name: str) -> Mapping[str, object]:
    value = table.get(name, {})
    if not isinstance(value, Mapping):
        raise ConfigError(f"[{name}] must be a table")
    return value


def _language(value: str) -> str:
    language = value.strip().lower()
    if language not in LANGUAGES:
        raise ConfigError(f"language {value!r} is not available (one of: {', '.join(LANGUAGES)})")
    return language


def load_settings(
    path: Path | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Settings from `path`, else $DESK_CONFIG, else the user's config file if present;
    then DESK_DATABASE_URL, DESK_LANG, DESK_THEME and DESK_OPERATOR override."""
    env = os.environ if environ is None else environ
    if path is None and env.get("DESK_CONFIG"):
        path = Path(env["DESK_CONFIG"])
        if not path.is_file():
            raise ConfigError(f"DESK_CONFIG points to {path}, which is not a file")
    if path is None:
        candidate = default_config_path()
        path = candidate if candidate.is_file() else None
    settings = Settings()
    if path is not None:
        try:
            with path.open("rb") as handle:
                document = tomllib.load(handle)
        except OSError as error:
            raise ConfigError(f"cannot read config {path}: {error.strerror}") from error
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"config {path} is not valid TOML: {error}") from error
        settings = settings_from_mapping(document, source=path)
    if env.get("DESK_DATABASE_URL"):
        settings = replace(settings, database_url=env["DESK_DATABASE_URL"])
    if env.get("DESK_LANG"):
        settings = replace(settings, language=_language(env["DESK_LANG"]))
    if env.get("DESK_THEME"):
        settings = replace(settings, theme=env["DESK_THEME"])
    if env.get("DESK_OPERATOR"):
        settings = replace(settings, operator=env["DESK_OPERATOR"])
    return settings
