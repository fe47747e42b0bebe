"""The escalation ladders (SPEC 5) and when a call needs someone to act.

The hierarchical ladder has five levels, each with a role on the participant's side and one
on the servicedesk's. The SLA says a call moves up "when no solution is found"; desk makes
that measurable: a level is due once the resolution clock has used a configured share of
its target (100 % = the target is breached), and a priority 1 incident is at level 1 from
the start, because its contract or information manager is told at once.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from desk_tui.domain.sla import ClockState, Countdown


@dataclass(frozen=True, slots=True)
class Rung:
    """One level of the hierarchical ladder: whom each side involves."""

    level: int
    participant_role: str
    servicedesk_role: str


HIERARCHICAL_LADDER: tuple[Rung, ...] = (
    Rung(1, "contractmanager", "servicemanager / senior servicedeskmedewerker"),
    Rung(2, "informatiemanager", "senior ICT-adviseur / servicemanager"),
    Rung(3, "directie van de organisatie", "directeur"),
    Rung(4, "adviescommissie", "directeur"),
    Rung(5, "college van de organisatie", "algemeen bestuur"),
)
TOP_LEVEL = len(HIERARCHICAL_LADDER)


def rung(level: int) -> Rung:
    """The rung at `level` (1–5)."""
    if not 1 <= level <= TOP_LEVEL:
        raise ValueError(f"escalation level {level} is not on the ladder (1–{TOP_LEVEL})")
    return HIERARCHICAL_LADDER[level - 1]


def next_rung(level: int) -> Rung | None:
    """Whom to involve next from `level` (0: not escalated); None at the top."""
    return rung(level + 1) if level < TOP_LEVEL else None


@dataclass(frozen=True)
class EscalationPolicy:
    """When desk warns and when a ladder level is due; `[escalation]` in the config."""

    reaction_warning_share: float = 0.75
    resolution_warning_share: float = 0.75
    # Share of the resolution target used at which level 1, 2, ... is due.
    level_shares: tuple[float, ...] = (1.0, 1.5, 2.0, 3.0, 4.0)

    def __post_init__(self) -> None:
        for name in ("reaction_warning_share", "resolution_warning_share"):
            share = getattr(self, name)
            if not 0 < share < 1:
                raise ValueError(f"{name} must lie between 0 and 1, not {share}")
        shares = self.level_shares
        if not 1 <= len(shares) <= TOP_LEVEL:
            raise ValueError(f"level_shares needs 1 to {TOP_LEVEL} values")
        if any(b <= a for a, b in pairwise(shares)) or shares[0] <= 0:
            raise ValueError("level_shares must be positive and rising")

    @classmethod
    def from_mapping(cls, table: Mapping[str, object]) -> EscalationPolicy:
        known = {"reaction_warning_share", "resolution_warning_share", "level_shares"}
        unknown = set(table) - known
        if unknown:
            raise ValueError(f"unknown escalation setting(s): {', '.join(sorted(unknown))}")
        values: dict[str, object] = {}
        for name in ("reaction_warning_share", "resolution_warning_share"):
            if name in table:
                values[name] = float(table[name])  # type: ignore[arg-type]
        if "level_shares" in table:
            raw = table["level_shares"]
            if not isinstance(raw, Sequence) or isinstance(raw, str):
                raise ValueError("level_shares must be a list of numbers")
            values["level_shares"] = tuple(float(share) for share in raw)
        return cls(**values)  # type: ignore[arg-type]

    def due_level(self, priority: int | None, resolution_used: float | None) -> int:
        """The ladder level a call should be at: 0 (none) to 5."""
        level = 1 if priority == 1 else 0
        if resolution_used is not None:
            reached = sum(1 for share in self.level_shares if resolution_used >= share)
            level = max(level, reached)
        return level


class AlertKind(StrEnum):
    REACTION_WARNING = "reaction-warning"
    REACTION_BREACHED = "reaction-breached"
    RESOLUTION_WARNING = "resolution-warning"
    RESOLUTION_BREACHED = "resolution-breached"
    LEVEL_DUE = "level-due"  # the hierarchical ladder should move up


@dataclass(frozen=True, slots=True)
class Alert:
    kind: AlertKind
    level: int = 0  # for LEVEL_DUE: the level that is due


def alerts(
    policy: EscalationPolicy,
    *,
    priority: int | None,
    reacted: bool,
    reaction: Countdown,
    resolution: Countdown | None,
    current_level: int,
) -> list[Alert]:
    """What needs someone's action on one open call, most urgent first."""
    found: list[Alert] = []
    due = policy.due_level(priority, resolution.fraction_used if resolution else None)
    if due > current_level:
        found.append(Alert(AlertKind.LEVEL_DUE, due))
    if resolution is not None and resolution.running:
        if resolution.state is ClockState.BREACHED:
            found.append(Alert(AlertKind.RESOLUTION_BREACHED))
        elif resolution.fraction_used >= policy.resolution_warning_share:
            found.append(Alert(AlertKind.RESOLUTION_WARNING))
    if not reacted:
        if reaction.state is ClockState.BREACHED:
            found.append(Alert(AlertKind.REACTION_BREACHED))
        elif reaction.fraction_used >= policy.reaction_warning_share:
            found.append(Alert(AlertKind.REACTION_WARNING))
    return found


class AlertWatch:
    """Tells of each alert once per crossing: remembers which alerts each call showed at
    the last look, and returns only those that are new since. A call whose alert went
    away (reacted, resumed, closed) and comes back is told of again."""

    def __init__(self) -> None:
        self.seen: dict[Hashable, frozenset[Alert]] = {}
        self.looked = False

    def update(self, current: Mapping[Hashable, Iterable[Alert]]) -> list[tuple[Hashable, Alert]]:
        """The (call, alert) pairs that were not there at the last look, most urgent first
        per call; the first look returns everything (the caller may sum it up)."""
        fresh: list[tuple[Hashable, Alert]] = []
        seen: dict[Hashable, frozenset[Alert]] = {}
        for key, alerts_now in current.items():
            ordered = list(alerts_now)
            before = self.seen.get(key, frozenset())
            fresh.extend((key, alert) for alert in ordered if alert not in before)
            seen[key] = frozenset(ordered)
        self.seen = seen
        self.looked = True
        return fresh
