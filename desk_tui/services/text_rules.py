"""Limits on text that operators type, applied before anything is stored."""

from __future__ import annotations

import re

from desk_tui.services.errors import InvalidInput

SUBJECT_MAX = 200
DESCRIPTION_MAX = 20_000
NAME_MAX = 200
NOTE_MAX = 2_000

# Half of a UTF-16 pair on its own: what undecodable bytes become through
# surrogateescape (a paste, a file). No UTF-8 database can store one.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(field: str, value: str | None, *, limit: int, required: bool = False) -> str:
    """The text as typed, less surrounding whitespace; what no database can store becomes
    visible instead of failing the save: NUL (PostgreSQL refuses it) a ␀, a lone surrogate
    a �. Too long or missing: InvalidInput naming the field, with the figures."""
    text = (value or "").replace("\x00", "\u2400")
    if not text.isascii():
        text = _LONE_SURROGATE.sub("\ufffd", text)
    text = text.strip()
    if required and not text:
        raise InvalidInput(field, f"{field} is required")
    if len(text) > limit:
        raise InvalidInput(
            field, f"{field} is {len(text):,} characters long; at most {limit:,} fit"
        )
    return text
