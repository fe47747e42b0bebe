"""Dutch public holidays as the pinned `holidays` package lists them (language "nl"), as a
table for the years desk meets most: importing the package and building its calendar takes
longer than the console's whole first frame. Other years still ask the package.

tests/domain/test_holiday_table.py holds the table equal to the installed package. After
upgrading the pin, replace `_TABLE` with the output of `python -m desk_tui.domain.holiday_table`.
"""

from __future__ import annotations

from datetime import date

# year: ("MM-DD name", …) as holidays.country_holidays("NL", years=year, language="nl") has it
_TABLE: dict[int, tuple[str, ...]] = {
    2010: ("01-01 Nieuwjaarsdag", "04-02 Goede vrijdag", "04-04 Eerste paasdag",
        "04-05 Tweede paasdag", "04-30 Koninginnedag", "05-05 Bevrijdingsdag",
        "05-13 Hemelvaartsdag", "05-23 Eerste pinksterdag", "05-24 Tweede pinksterdag",
        "12-25 Eerste kerstdag", "12-26 Tweede kerstdag"),
    2011: ("01-01 Nieuwjaarsdag", "04-22 Goede vrijdag", "04-24 Eerste paasdag",
        "04-25 Tweede paasdag", "04-30 Koninginnedag", "06-02 Hemelvaartsdag",
        "06-12 Eerste pinksterdag", "06-13 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2012: ("01-01 Nieuwjaarsdag", "04-06 Goede vrijdag", "04-08 Eerste paasdag",
        "04-09 Tweede paasdag", "04-30 Koninginnedag", "05-17 Hemelvaartsdag",
        "05-27 Eerste pinksterdag", "05-28 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2013: ("01-01 Nieuwjaarsdag", "03-29 Goede vrijdag", "03-31 Eerste paasdag",
        "04-01 Tweede paasdag", "04-30 Koninginnedag", "05-09 Hemelvaartsdag",
        "05-19 Eerste pinksterdag", "05-20 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2014: ("01-01 Nieuwjaarsdag", "04-18 Goede vrijdag", "04-20 Eerste paasdag",
        "04-21 Tweede paasdag", "04-26 Koningsdag", "05-29 Hemelvaartsdag",
        "06-08 Eerste pinksterdag", "06-09 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2015: ("01-01 Nieuwjaarsdag", "04-03 Goede vrijdag", "04-05 Eerste paasdag",
        "04-06 Tweede paasdag", "04-27 Koningsdag", "05-05 Bevrijdingsdag",
        "05-14 Hemelvaartsdag", "05-24 Eerste pinksterdag", "05-25 Tweede pinksterdag",
        "12-25 Eerste kerstdag", "12-26 Tweede kerstdag"),
    2016: ("01-01 Nieuwjaarsdag", "03-25 Goede vrijdag", "03-27 Eerste paasdag",
        "03-28 Tweede paasdag", "04-27 Koningsdag", "05-05 Hemelvaartsdag",
        "05-15 Eerste pinksterdag", "05-16 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2017: ("01-01 Nieuwjaarsdag", "04-14 Goede vrijdag", "04-16 Eerste paasdag",
        "04-17 Tweede paasdag", "04-27 Koningsdag", "05-25 Hemelvaartsdag",
        "06-04 Eerste pinksterdag", "06-05 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2018: ("01-01 Nieuwjaarsdag", "03-30 Goede vrijdag", "04-01 Eerste paasdag",
        "04-02 Tweede paasdag", "04-27 Koningsdag", "05-10 Hemelvaartsdag",
        "05-20 Eerste pinksterdag", "05-21 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2019: ("01-01 Nieuwjaarsdag", "04-19 Goede vrijdag", "04-21 Eerste paasdag",
        "04-22 Tweede paasdag", "04-27 Koningsdag", "05-30 Hemelvaartsdag",
        "06-09 Eerste pinksterdag", "06-10 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2020: ("01-01 Nieuwjaarsdag", "04-10 Goede vrijdag", "04-12 Eerste paasdag",
        "04-13 Tweede paasdag", "04-27 Koningsdag", "05-05 Bevrijdingsdag",
        "05-21 Hemelvaartsdag", "05-31 Eerste pinksterdag", "06-01 Tweede pinksterdag",
        "12-25 Eerste kerstdag", "12-26 Tweede kerstdag"),
    2021: ("01-01 Nieuwjaarsdag", "04-02 Goede vrijdag", "04-04 Eerste paasdag",
        "04-05 Tweede paasdag", "04-27 Koningsdag", "05-13 Hemelvaartsdag",
        "05-23 Eerste pinksterdag", "05-24 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2022: ("01-01 Nieuwjaarsdag", "04-15 Goede vrijdag", "04-17 Eerste paasdag",
        "04-18 Tweede paasdag", "04-27 Koningsdag", "05-26 Hemelvaartsdag",
        "06-05 Eerste pinksterdag", "06-06 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2023: ("01-01 Nieuwjaarsdag", "04-07 Goede vrijdag", "04-09 Eerste paasdag",
        "04-10 Tweede paasdag", "04-27 Koningsdag", "05-18 Hemelvaartsdag",
        "05-28 Eerste pinksterdag", "05-29 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2024: ("01-01 Nieuwjaarsdag", "03-29 Goede vrijdag", "03-31 Eerste paasdag",
        "04-01 Tweede paasdag", "04-27 Koningsdag", "05-09 Hemelvaartsdag",
        "05-19 Eerste pinksterdag", "05-20 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2025: ("01-01 Nieuwjaarsdag", "04-18 Goede vrijdag", "04-20 Eerste paasdag",
        "04-21 Tweede paasdag", "04-26 Koningsdag", "05-05 Bevrijdingsdag",
        "05-29 Hemelvaartsdag", "06-08 Eerste pinksterdag", "06-09 Tweede pinksterdag",
        "12-25 Eerste kerstdag", "12-26 Tweede kerstdag"),
    2026: ("01-01 Nieuwjaarsdag", "04-03 Goede vrijdag", "04-05 Eerste paasdag",
        "04-06 Tweede paasdag", "04-27 Koningsdag", "05-14 Hemelvaartsdag",
        "05-24 Eerste pinksterdag", "05-25 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2027: ("01-01 Nieuwjaarsdag", "03-26 Goede vrijdag", "03-28 Eerste paasdag",
        "03-29 Tweede paasdag", "04-27 Koningsdag", "05-06 Hemelvaartsdag",
        "05-16 Eerste pinksterdag", "05-17 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2028: ("01-01 Nieuwjaarsdag", "04-14 Goede vrijdag", "04-16 Eerste paasdag",
        "04-17 Tweede paasdag", "04-27 Koningsdag", "05-25 Hemelvaartsdag",
        "06-04 Eerste pinksterdag", "06-05 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2029: ("01-01 Nieuwjaarsdag", "03-30 Goede vrijdag", "04-01 Eerste paasdag",
        "04-02 Tweede paasdag", "04-27 Koningsdag", "05-10 Hemelvaartsdag",
        "05-20 Eerste pinksterdag", "05-21 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2030: ("01-01 Nieuwjaarsdag", "04-19 Goede vrijdag", "04-21 Eerste paasdag",
        "04-22 Tweede paasdag", "04-27 Koningsdag", "05-05 Bevrijdingsdag",
        "05-30 Hemelvaartsdag", "06-09 Eerste pinksterdag", "06-10 Tweede pinksterdag",
        "12-25 Eerste kerstdag", "12-26 Tweede kerstdag"),
    2031: ("01-01 Nieuwjaarsdag", "04-11 Goede vrijdag", "04-13 Eerste paasdag",
        "04-14 Tweede paasdag", "04-26 Koningsdag", "05-22 Hemelvaartsdag",
        "06-01 Eerste pinksterdag", "06-02 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2032: ("01-01 Nieuwjaarsdag", "03-26 Goede vrijdag", "03-28 Eerste paasdag",
        "03-29 Tweede paasdag", "04-27 Koningsdag", "05-06 Hemelvaartsdag",
        "05-16 Eerste pinksterdag", "05-17 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2033: ("01-01 Nieuwjaarsdag", "04-15 Goede vrijdag", "04-17 Eerste paasdag",
        "04-18 Tweede paasdag", "04-27 Koningsdag", "05-26 Hemelvaartsdag",
        "06-05 Eerste pinksterdag", "06-06 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2034: ("01-01 Nieuwjaarsdag", "04-07 Goede vrijdag", "04-09 Eerste paasdag",
        "04-10 Tweede paasdag", "04-27 Koningsdag", "05-18 Hemelvaartsdag",
        "05-28 Eerste pinksterdag", "05-29 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2035: ("01-01 Nieuwjaarsdag", "03-23 Goede vrijdag", "03-25 Eerste paasdag",
        "03-26 Tweede paasdag", "04-27 Koningsdag", "05-03 Hemelvaartsdag",
        "05-05 Bevrijdingsdag", "05-13 Eerste pinksterdag", "05-14 Tweede pinksterdag",
        "12-25 Eerste kerstdag", "12-26 Tweede kerstdag"),
    2036: ("01-01 Nieuwjaarsdag", "04-11 Goede vrijdag", "04-13 Eerste paasdag",
        "04-14 Tweede paasdag", "04-26 Koningsdag", "05-22 Hemelvaartsdag",
        "06-01 Eerste pinksterdag", "06-02 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2037: ("01-01 Nieuwjaarsdag", "04-03 Goede vrijdag", "04-05 Eerste paasdag",
        "04-06 Tweede paasdag", "04-27 Koningsdag", "05-14 Hemelvaartsdag",
        "05-24 Eerste pinksterdag", "05-25 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2038: ("01-01 Nieuwjaarsdag", "04-23 Goede vrijdag", "04-25 Eerste paasdag",
        "04-26 Tweede paasdag", "04-27 Koningsdag", "06-03 Hemelvaartsdag",
        "06-13 Eerste pinksterdag", "06-14 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2039: ("01-01 Nieuwjaarsdag", "04-08 Goede vrijdag", "04-10 Eerste paasdag",
        "04-11 Tweede paasdag", "04-27 Koningsdag", "05-19 Hemelvaartsdag",
        "05-29 Eerste pinksterdag", "05-30 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2040: ("01-01 Nieuwjaarsdag", "03-30 Goede vrijdag", "04-01 Eerste paasdag",
        "04-02 Tweede paasdag", "04-27 Koningsdag", "05-05 Bevrijdingsdag",
        "05-10 Hemelvaartsdag", "05-20 Eerste pinksterdag", "05-21 Tweede pinksterdag",
        "12-25 Eerste kerstdag", "12-26 Tweede kerstdag"),
    2041: ("01-01 Nieuwjaarsdag", "04-19 Goede vrijdag", "04-21 Eerste paasdag",
        "04-22 Tweede paasdag", "04-27 Koningsdag", "05-30 Hemelvaartsdag",
        "06-09 Eerste pinksterdag", "06-10 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2042: ("01-01 Nieuwjaarsdag", "04-04 Goede vrijdag", "04-06 Eerste paasdag",
        "04-07 Tweede paasdag", "04-26 Koningsdag", "05-15 Hemelvaartsdag",
        "05-25 Eerste pinksterdag", "05-26 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2043: ("01-01 Nieuwjaarsdag", "03-27 Goede vrijdag", "03-29 Eerste paasdag",
        "03-30 Tweede paasdag", "04-27 Koningsdag", "05-07 Hemelvaartsdag",
        "05-17 Eerste pinksterdag", "05-18 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2044: ("01-01 Nieuwjaarsdag", "04-15 Goede vrijdag", "04-17 Eerste paasdag",
        "04-18 Tweede paasdag", "04-27 Koningsdag", "05-26 Hemelvaartsdag",
        "06-05 Eerste pinksterdag", "06-06 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2045: ("01-01 Nieuwjaarsdag", "04-07 Goede vrijdag", "04-09 Eerste paasdag",
        "04-10 Tweede paasdag", "04-27 Koningsdag", "05-05 Bevrijdingsdag",
        "05-18 Hemelvaartsdag", "05-28 Eerste pinksterdag", "05-29 Tweede pinksterdag",
        "12-25 Eerste kerstdag", "12-26 Tweede kerstdag"),
    2046: ("01-01 Nieuwjaarsdag", "03-23 Goede vrijdag", "03-25 Eerste paasdag",
        "03-26 Tweede paasdag", "04-27 Koningsdag", "05-03 Hemelvaartsdag",
        "05-13 Eerste pinksterdag", "05-14 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2047: ("01-01 Nieuwjaarsdag", "04-12 Goede vrijdag", "04-14 Eerste paasdag",
        "04-15 Tweede paasdag", "04-27 Koningsdag", "05-23 Hemelvaartsdag",
        "06-02 Eerste pinksterdag", "06-03 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2048: ("01-01 Nieuwjaarsdag", "04-03 Goede vrijdag", "04-05 Eerste paasdag",
        "04-06 Tweede paasdag", "04-27 Koningsdag", "05-14 Hemelvaartsdag",
        "05-24 Eerste pinksterdag", "05-25 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2049: ("01-01 Nieuwjaarsdag", "04-16 Goede vrijdag", "04-18 Eerste paasdag",
        "04-19 Tweede paasdag", "04-27 Koningsdag", "05-27 Hemelvaartsdag",
        "06-06 Eerste pinksterdag", "06-07 Tweede pinksterdag", "12-25 Eerste kerstdag",
        "12-26 Tweede kerstdag"),
    2050: ("01-01 Nieuwjaarsdag", "04-08 Goede vrijdag", "04-10 Eerste paasdag",
        "04-11 Tweede paasdag", "04-27 Koningsdag", "05-05 Bevrijdingsdag",
        "05-19 Hemelvaartsdag", "05-29 Eerste pinksterdag", "05-30 Tweede pinksterdag",
        "12-25 Eerste kerstdag", "12-26 Tweede kerstdag"),
}


def table_years() -> range:
    return range(min(_TABLE), max(_TABLE) + 1)


def dutch_holidays(year: int) -> dict[date, str] | None:
    """The package's Dutch holidays of `year`, or None when the table does not have it."""
    days = _TABLE.get(year)
    if days is None:
        return None
    return {date(year, int(day[:2]), int(day[3:5])): day[6:] for day in days}


def table_source(first_year: int = 2010, last_year: int = 2050) -> str:
    """`_TABLE` as the installed package has it, as source."""
    import holidays

    lines = ["_TABLE: dict[int, tuple[str, ...]] = {"]
    for year in range(first_year, last_year + 1):
        found = holidays.country_holidays("NL", years=year, language="nl")
        items = [f'"{day:%m-%d} {name}"' for day, name in sorted(found.items())]
        line = f"    {year}: ("
        for item in items:
            if len(line) + len(item) + 2 > 96:
                lines.append(line.rstrip())
                line = "        "
            line += f"{item}, "
        lines.append(line.rstrip(", ") + "),")
    lines.append("}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table_source())
