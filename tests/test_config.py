"""Settings: working defaults, one TOML file, DESK_* variables."""

import tomllib
from pathlib import Path

import pytest

from desk_tui.config import ConfigError, Settings, load_settings, settings_from_mapping
from desk_tui.domain.calendar import CalendarConfig
from desk_tui.domain.escalation import EscalationPolicy
from desk_tui.domain.sla import SlaTargets

EXAMPLE = Path(__file__).resolve().parents[1] / "db" / "calendar.toml"


def test_the_shipped_calendar_file_states_exactly_the_defaults():
    settings = settings_from_mapping(tomllib.loads(EXAMPLE.read_text()))
    assert settings.calendar == CalendarConfig()
    assert settings.sla == SlaTargets()
    assert settings.escalation == EscalationPolicy()
    assert settings.alert_watch_seconds == Settings().alert_watch_seconds


def test_environment_overrides_the_file(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[database]\nurl = "sqlite:///a.db"\n[ui]\nlanguage = "en"\n')
    settings = load_settings(path, environ={"DESK_DATABASE_URL": "sqlite:///b.db"})
    assert settings.database_url == "sqlite:///b.db" and settings.language == "en"


def test_defaults_work_without_any_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    settings = load_settings(environ={})
    assert settings == Settings()
    assert settings.resolved_database_url().startswith("sqlite:///")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[calendar]\ntimezone = 'Mars/Olympus'\n", "Mars/Olympus"),
        ("[calendar.service_window]\nmonday = ['17:00-08:00']\n", "17:00-08:00"),
        ("[calendar]\nholidays = 1\n", "holidays"),
        ("[sla]\nwarning_share = 2\n", "warning_share"),
        ("[ui]\nlanguage = 'fr'\n", "fr"),
        ("[telemetry]\n", "telemetry"),
        ("[mail]\nport = 70000\n", "70000"),
        ("[mail]\nsender = 'servicedesk'\n", "servicedesk"),
        ("[mail]\npassword = 'x'\n", "password"),
        ("[escalation]\nreaction_warning_share = 1.2\n", "reaction_warning_share"),
        ("[escalation]\nwatch_seconds = 1\n", "watch_seconds"),
        ("[escalation]\nlevel_shares = [2.0, 1.0]\n", "level_shares"),
        ("[escalation]\nwarn = 0.5\n", "warn"),
        ("not toml = = \n", "not valid TOML"),
    ],
)
def test_bad_settings_are_refused_with_a_message_naming_them(tmp_path, text, message):
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message.replace(".", r"\.").replace("[", r"\[")):
        load_settings(path, environ={})


def test_desk_config_must_point_at_a_file(tmp_path):
    with pytest.raises(ConfigError, match="not a file"):
        load_settings(environ={"DESK_CONFIG": str(tmp_path / "missing.toml")})


def test_mail_settings_from_the_file(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(
        "[mail]\nhost = 'smtp.desom.example'\nuser = 'desk'\n"
        "sender = 'servicedesk@desom.example'\nstarttls = true\n"
    )
    mail = load_settings(path, environ={}).mail
    assert (mail.host, mail.port, mail.starttls, mail.enabled) == (
        "smtp.desom.example", 587, True, True
    )
    # The password is never a setting: it is looked up under this name in the keyring.
    assert mail.secret_name == "smtp:desk@smtp.desom.example"
    assert not Settings().mail.enabled  # no host: mail stays in the outbox


def test_the_warning_shares_follow_the_sla_share_unless_set(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("[sla]\nwarning_share = 0.8\n")
    assert load_settings(path, environ={}).escalation == EscalationPolicy(0.8, 0.8)
    path.write_text("[sla]\nwarning_share = 0.8\n[escalation]\nresolution_warning_share = 0.5\n"
                    "watch_seconds = 10\n")
    settings = load_settings(path, environ={})
    assert settings.escalation == EscalationPolicy(0.8, 0.5)
    assert settings.alert_watch_seconds == 10


def test_on_call_scope_from_the_file(tmp_path):
    from desk_tui.domain.oncall import COUNTER_CATEGORIES, OnCallScope

    assert Settings().on_call == OnCallScope()  # defaults: the counter kinds, database marks
    assert Settings().on_call.categories == COUNTER_CATEGORIES
    path = tmp_path / "desk.toml"
    path.write_text('[on_call]\ncategories = ["Kernapplicatie", " Office "]\n'
                    'ci_types = ["printer"]\nmunicipalities = ["enk", "DRE"]\n',
                    encoding="utf-8")
    scope = load_settings(path, environ={}).on_call
    assert scope.categories == {"Kernapplicatie", "Office"}
    assert scope.ci_types == {"printer"}
    assert scope.municipalities == {"ENK", "DRE"}
    assert scope.evening_opening("enk", marked=False)
    assert not scope.evening_opening("MED", marked=True)  # the list decides, not the mark


@pytest.mark.parametrize(("text", "message"), [
    ('[on_call]\ncategory = ["Hardware"]\n', "unknown [on_call] setting(s): category"),
    ('[on_call]\ncategories = "Hardware"\n', "categories must be a list of non-empty names"),
    ('[on_call]\ncategories = ["Hardware", ""]\n', "categories must be a list"),
    ('[on_call]\nci_types = ["printr"]\n', "'printr' is not a CI type (one of: applicatie"),
    ('[on_call]\nmunicipalities = [3]\n', "municipalities must be a list of non-empty names"),
    ("on_call = 3\n", "[on_call] must be a table"),
])
def test_bad_on_call_settings_say_what_is_wrong(tmp_path, text, message):
    path = tmp_path / "desk.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path, environ={})
    assert message in str(raised.value)
