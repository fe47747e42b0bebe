"""Human reference numbers ("M2026-000123") as text, and the central site's code; free of
SQLAlchemy, so the console's first queue (services/first_queue.py) can use them."""

from __future__ import annotations

from enum import StrEnum

CENTRAL_SITE = "main"  # the site code of the central database


class ReferenceKind(StrEnum):
    """The letter that starts a reference."""

    CALL = "M"  # melding
    PROBLEM = "P"
    CHANGE = "W"  # wijziging


def format_reference(kind: ReferenceKind, site: str, year: int, number: int) -> str:
    """"M2026-000123" for the central site, "M2026-V01-000004" for another site."""
    if site == CENTRAL_SITE:
        return f"{kind.value}{year}-{number:06d}"
    return f"{kind.value}{year}-{site.upper()}-{number:06d}"
