"""The SLA's classification vocabulary: call types, impact and urgency levels."""

from __future__ import annotations

from enum import StrEnum


class CallType(StrEnum):
    """How a call is classified; decides the process (SLA 4.2)."""

    STORING = "storing"
    SERVICEVERZOEK = "serviceverzoek"
    INFORMATIEVERZOEK = "informatieverzoek"
    WIJZIGINGSVERZOEK = "wijzigingsverzoek"


class Level(StrEnum):
    """Impact and urgency share one three-step scale."""

    LAAG = "laag"
    MIDDEN = "midden"
    HOOG = "hoog"


Impact = Level
Urgency = Level

_CALL_TYPE_ALIASES = {
    "incident": CallType.STORING,
    "service-request": CallType.SERVICEVERZOEK,
    "service_request": CallType.SERVICEVERZOEK,
    "information-request": CallType.INFORMATIEVERZOEK,
    "information_request": CallType.INFORMATIEVERZOEK,
    "change-request": CallType.WIJZIGINGSVERZOEK,
    "change_request": CallType.WIJZIGINGSVERZOEK,
}
_LEVEL_ALIASES = {
    "low": Level.LAAG,
    "medium": Level.MIDDEN,
    "middel": Level.MIDDEN,
    "high": Level.HOOG,
    "1": Level.LAAG,
    "2": Level.MIDDEN,
    "3": Level.HOOG,
}


def parse_call_type(text: str) -> CallType:
    """Accept the SLA's Dutch term or its English translation."""
    key = text.strip().lower()
    try:
        return CallType(key)
    except ValueError:
        if key in _CALL_TYPE_ALIASES:
            return _CALL_TYPE_ALIASES[key]
    choices = ", ".join(t.value for t in CallType)
    raise ValueError(f"unknown call type {text!r} (one of: {choices})")


def parse_level(text: str) -> Level:
    """Accept laag/midden/hoog, low/medium/high, or 1/2/3."""
    key = str(text).strip().lower()
    try:
        return Level(key)
    except ValueError:
        if key in _LEVEL_ALIASES:
            return _LEVEL_ALIASES[key]
    raise ValueError(f"unknown level {text!r} (one of: laag, midden, hoog)")
