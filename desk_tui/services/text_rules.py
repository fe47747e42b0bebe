"""Limits on text that operators type, applied before anything is stored."""

from __future__ import annotations

from desk_tui.services.errors import InvalidInput

SUBJECT_MAX = 200
DESCRIPTION_MAX = 20_000
NAME_MAX = 200
NOTE_MAX = 2_000


def clean_text(field: str, value: str | None, *, limit: int, required: bool = False) -> str:
    """The text as typed, less surrounding whitespace; NUL (which PostgreSQL cannot store)
    becomes a visible ␀. Too long or missing: InvalidInput naming the field."""
    text = (value or "").replace("\x00", "\u2400").strip()
    if required and not text:
        raise InvalidInput(field, f"{field} is required")
    if len(text) > limit:
        raise InvalidInput(
            field, f"{field} is {len(text):,} characters long; at most {limit:,} fit"
        )
    return text
