"""Deterministic keys and instants, so the same seed gives the same demo database."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

_MASK_48 = (1 << 48) - 1


class IdFactory:
    """UUIDv7-shaped keys from a seeded generator: time-ordered like `new_id()` (the
    millisecond field is the record's own instant), repeatable for one seed, and rising
    within one millisecond, so rows written together (a call's history) keep their order."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self._last_millis = -1
        self._counter = 0

    def at(self, instant: datetime) -> uuid.UUID:
        millis = int(instant.timestamp() * 1000) & _MASK_48
        if millis == self._last_millis and self._counter < 0xFFF:
            self._counter += 1
        else:
            self._counter = self._rng.getrandbits(10)  # headroom for the rows that follow
        self._last_millis = millis
        rand_b = self._rng.getrandbits(62)
        value = (millis << 80) | (0x7 << 76) | (self._counter << 64) | (0b10 << 62) | rand_b
        return uuid.UUID(int=value)


def whole_seconds(instant: datetime) -> datetime:
    """`instant` in UTC, to the second. UTC because aware datetimes that share a ZoneInfo
    add and subtract in wall-clock time (wrong by an hour across a clock change); whole
    seconds because operators' actions are stored so, and fractions would only blur them."""
    return instant.astimezone(UTC).replace(microsecond=0)
