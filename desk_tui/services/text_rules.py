"""Limits on text that operators type, applied before anything is stored."""

from __future__ import annotations

import re

from desk_tui.services.errors import InvalidInput, Phrase

SUBJECT_MAX = 200
DESCRIPTION_MAX = 20_000
NAME_MAX = 200
NOTE_MAX = 2_000

# The fields a refusal names, as an operator says them (the console translates them).
FIELD_WORDS: dict[str, Phrase] = {
    "agreed_with": Phrase("who agreed"), "asset_tag": Phrase("asset tag"),
    "configuration": Phrase("configuration"), "description": Phrase("description"),
    "email": Phrase("e-mail"), "ends_on": Phrase("end date"),
    "expires_on": Phrase("expires on"), "external_ref": Phrase("external reference"),
    "hostname": Phrase("host name"), "in_service_on": Phrase("in service on"),
    "ip_address": Phrase("IP address"), "location": Phrase("location"),
    "login": Phrase("login"), "name": Phrase("name"), "note": Phrase("note"),
    "notes": Phrase("notes"), "number": Phrase("number"), "phone": Phrase("phone"),
    "reason": Phrase("reason"), "retired_on": Phrase("retired on"), "role": Phrase("role"),
    "root_cause": Phrase("root cause"), "serial_number": Phrase("serial number"),
    "solution": Phrase("solution"), "starts_on": Phrase("start date"),
    "subject": Phrase("subject"), "summary": Phrase("summary"),
    "supplier": Phrase("supplier"), "title": Phrase("title"), "what": Phrase("what"),
    "who": Phrase("who"), "with_whom": Phrase("with whom"),
    "workaround": Phrase("workaround"),
}


def field_name(field: str) -> str:
    """A field as a refusal names it: the operator's word (a Phrase), else as it is."""
    return FIELD_WORDS.get(field, field)


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
        raise InvalidInput(field, "{field} is required", field=field_name(field))
    if len(text) > limit:
        raise InvalidInput(
            field, "{field} is {length:,} characters long; at most {limit:,} fit",
            field=field_name(field), length=len(text), limit=limit,
        )
    return text
