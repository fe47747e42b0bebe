"""Deterministic keys and instants, so the same seed gives the same demo database."""

from __future__ import annotations

import random
import uuid
from datetime import datetime

_MASK_48 = (1 << 48) - 1


class IdFactory:
    """UUIDv7-shaped keys from a seeded generator: time-ordered like `new_id()` (the
    millisecond field is the record's own instant), but repeatable for one seed."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def at(self, instant: datetime) -> uuid.UUID:
        millis = int(instant.timestamp() * 1000) & _MASK_48
        rand_a = self._rng.getrandbits(12)
        rand_b = self._rng.getrandbits(62)
        value = (millis << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
        return uuid.UUID(int=value)


def whole_seconds(instant: datetime) -> datetime:
    """Operators' actions are stored to the second; sub-second noise from work-time
    arithmetic would only make the demo harder to read."""
    return instant.replace(microsecond=0)
