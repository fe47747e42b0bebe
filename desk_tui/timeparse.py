"""Reading instants typed by people or scripts: ISO 8601, local Amsterdam time if no offset."""

from __future__ import annotations

from datetime import datetime, tzinfo


def parse_instant(text: str, zone: tzinfo) -> datetime:
    """An aware datetime from ISO 8601; text without an offset is wall time in `zone`."""
    if not isinstance(text, str):
        raise ValueError("expected an ISO 8601 date-time string")
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise ValueError(f"not an ISO 8601 date-time: {text!r}") from error
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(zone)


def iso(instant: datetime | None) -> str | None:
    """ISO 8601 with offset, to the second when there are no fractions."""
    if instant is None:
        return None
    spec = "seconds" if instant.microsecond == 0 else "auto"
    return instant.isoformat(timespec=spec)
