"""What a demo is asked to contain; light enough for the CLI to import for its help text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

DEFAULT_CALLS = 3_000
DEFAULT_CIS = 1_500
DEFAULT_PEOPLE = 400
DEFAULT_SEED = 20260101
MINIMUM_PEOPLE = 30  # every participant needs its managers and a few staff


@dataclass(frozen=True, slots=True)
class DemoOptions:
    calls: int = DEFAULT_CALLS
    cis: int = DEFAULT_CIS
    people: int = DEFAULT_PEOPLE
    seed: int = DEFAULT_SEED
    now: datetime | None = None  # None: the current time

    def check(self) -> None:
        """ValueError naming the option that cannot be used."""
        if self.calls < 0:
            raise ValueError("--calls cannot be negative")
        if self.cis < 0:
            raise ValueError("--cis cannot be negative")
        if self.people < MINIMUM_PEOPLE:
            raise ValueError(f"--people must be at least {MINIMUM_PEOPLE}")
        if self.now is not None and (self.now.tzinfo is None or self.now.utcoffset() is None):
            raise ValueError("--now must be timezone-aware")
