"""The resolved closing days per year are pinned: an upgrade of the `holidays` package or a
config change cannot move deadlines without this test saying so."""

from datetime import date

from desk_tui.domain.calendar import CalendarConfig, LiberationDay, resolved_holidays

EXPECTED = {
    2025: {
        date(2025, 1, 1): "Nieuwjaarsdag",
        date(2025, 4, 20): "Eerste paasdag",
        date(2025, 4, 21): "Tweede paasdag",
        date(2025, 4, 26): "Koningsdag",  # 27 April 2025 is a Sunday: the day before
        date(2025, 5, 5): "Bevrijdingsdag",
        date(2025, 5, 29): "Hemelvaartsdag",
        date(2025, 6, 8): "Eerste pinksterdag",
        date(2025, 6, 9): "Tweede pinksterdag",
        date(2025, 12, 25): "Eerste kerstdag",
        date(2025, 12, 26): "Tweede kerstdag",
    },
    2026: {
        date(2026, 1, 1): "Nieuwjaarsdag",
        date(2026, 4, 5): "Eerste paasdag",
        date(2026, 4, 6): "Tweede paasdag",
        date(2026, 4, 27): "Koningsdag",
        date(2026, 5, 5): "Bevrijdingsdag",
        date(2026, 5, 14): "Hemelvaartsdag",
        date(2026, 5, 24): "Eerste pinksterdag",
        date(2026, 5, 25): "Tweede pinksterdag",
        date(2026, 12, 25): "Eerste kerstdag",
        date(2026, 12, 26): "Tweede kerstdag",
    },
    2027: {
        date(2027, 1, 1): "Nieuwjaarsdag",
        date(2027, 3, 28): "Eerste paasdag",
        date(2027, 3, 29): "Tweede paasdag",
        date(2027, 4, 27): "Koningsdag",
        date(2027, 5, 5): "Bevrijdingsdag",
        date(2027, 5, 6): "Hemelvaartsdag",
        date(2027, 5, 16): "Eerste pinksterdag",
        date(2027, 5, 17): "Tweede pinksterdag",
        date(2027, 12, 25): "Eerste kerstdag",
        date(2027, 12, 26): "Tweede kerstdag",
    },
}


def test_default_closing_days_per_year_are_pinned():
    for year, expected in EXPECTED.items():
        assert resolved_holidays(CalendarConfig(), year) == expected, year


def test_good_friday_is_a_working_day_by_default_and_closable_by_config():
    assert date(2026, 4, 3) not in resolved_holidays(CalendarConfig(), 2026)
    closed = resolved_holidays(CalendarConfig(good_friday_closed=True), 2026)
    assert closed[date(2026, 4, 3)] == "Goede Vrijdag"


def test_liberation_day_every_year_or_as_the_holidays_package_has_it():
    lustrum = CalendarConfig(liberation_day=LiberationDay.LUSTRUM)
    assert date(2026, 5, 5) not in resolved_holidays(lustrum, 2026)
    assert date(2025, 5, 5) in resolved_holidays(lustrum, 2025)
    never = CalendarConfig(liberation_day=LiberationDay.NEVER)
    assert date(2025, 5, 5) not in resolved_holidays(never, 2025)


def test_kings_day_moves_to_saturday_26_april_when_the_27th_is_a_sunday():
    assert date(2031, 4, 26) in resolved_holidays(CalendarConfig(), 2031)
    assert date(2031, 4, 27) not in resolved_holidays(CalendarConfig(), 2031)


def test_bridge_days_are_configured_per_year():
    config = CalendarConfig(bridge_days={2026: (date(2026, 5, 15),)})
    assert resolved_holidays(config, 2026)[date(2026, 5, 15)] == "Brugdag"
    assert date(2027, 5, 7) not in resolved_holidays(config, 2027)
