"""The holiday table is the pinned `holidays` package's answer, without its import cost."""

import subprocess
import sys

import holidays

from desk_tui.domain.holiday_table import dutch_holidays, table_years


def test_the_table_lists_what_the_package_lists_every_year():
    for year in table_years():
        package = dict(holidays.country_holidays("NL", years=year, language="nl").items())
        assert dutch_holidays(year) == package, (
            f"{year}: regenerate the table (python -m desk_tui.domain.holiday_table)"
        )


def test_years_outside_the_table_are_left_to_the_package():
    assert dutch_holidays(table_years().start - 1) is None
    assert dutch_holidays(table_years().stop) is None


def test_a_calendar_of_a_table_year_does_not_import_the_package():
    code = (
        "import sys\n"
        "from desk_tui.domain.calendar import build_calendars\n"
        "build_calendars(first_year=2026).service.position_at(1.8e9)\n"
        "print('holidays' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
