"""Changes: the standard-change catalogue with its lead times, and non-standard kinds."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from desk_tui.domain.worktime import WorkTime, days, hours, weeks


class ChangeKind(StrEnum):
    """Standard changes (SLA 4.2.3.3) and the two non-standard routes."""

    IN_DIENST = "in-dienst"
    FUNCTIEWIJZIGING = "functiewijziging"
    UIT_DIENST = "uit-dienst"
    AUTORISATIE = "autorisatie"
    WACHTWOORD = "wachtwoord"
    BESTELLING = "bestelling"
    BLOKKEREN = "blokkeren"  # block or unblock a user or a password
    OVERIG_STANDAARD = "overig-standaard"
    NIET_STANDAARD = "niet-standaard"
    NOODWIJZIGING = "noodwijziging"


@dataclass(frozen=True, slots=True)
class ChangeRule:
    """What the SLA sets for one kind of change."""

    description: str
    standard: bool
    lead_time: WorkTime | None  # None: planned with the participants
    own_part: WorkTime | None = None  # the servicedesk's own share of the lead time
    reaction: WorkTime | None = None
    personnel_related: bool = False  # only designated submitters may request it
    # Only a department head may ask for it, and only through HR (SLA 4.2.3.3).
    department_head_via_hr: bool = False


CHANGE_RULES: dict[ChangeKind, ChangeRule] = {
    ChangeKind.IN_DIENST: ChangeRule(
        "Aanmaken nieuw account en toekennen autorisaties", True, weeks(1), days(3),
        personnel_related=True,
    ),
    ChangeKind.FUNCTIEWIJZIGING: ChangeRule(
        "Wijzigen bestaand account en autorisaties", True, weeks(1), days(3),
        personnel_related=True,
    ),
    ChangeKind.UIT_DIENST: ChangeRule(
        "Verwijderen bestaand account en autorisaties", True, weeks(1), days(3),
        personnel_related=True,
    ),
    ChangeKind.AUTORISATIE: ChangeRule("Autorisatie", True, hours(1)),
    ChangeKind.WACHTWOORD: ChangeRule("Wijziging wachtwoord", True, hours(0.25)),
    ChangeKind.BESTELLING: ChangeRule(
        "Levering mobiel device (mits voorraad)", True, weeks(1), personnel_related=True
    ),
    # The SLA names who may ask, not a lead time: an authorisation's hour is assumed.
    ChangeKind.BLOKKEREN: ChangeRule(
        "Blokkeren of deblokkeren van een gebruiker of wachtwoord", True, hours(1),
        department_head_via_hr=True,
    ),
    ChangeKind.OVERIG_STANDAARD: ChangeRule("Overige standaardwijzigingen (P5)", True, hours(16)),
    ChangeKind.NIET_STANDAARD: ChangeRule(
        "Overige niet-standaardwijzigingen: conform planning i.o.m. deelnemers", False, None
    ),
    ChangeKind.NOODWIJZIGING: ChangeRule(
        "Noodwijzigingsverzoek: zeer urgente wijziging (P1)", False, None, reaction=hours(2)
    ),
}

_CHANGE_ALIASES = {
    "joiner": ChangeKind.IN_DIENST,
    "role-change": ChangeKind.FUNCTIEWIJZIGING,
    "leaver": ChangeKind.UIT_DIENST,
    "authorisation": ChangeKind.AUTORISATIE,
    "authorization": ChangeKind.AUTORISATIE,
    "password": ChangeKind.WACHTWOORD,
    "mobile-device": ChangeKind.BESTELLING,
    "block": ChangeKind.BLOKKEREN,
    "unblock": ChangeKind.BLOKKEREN,
    "deblokkeren": ChangeKind.BLOKKEREN,
    "other-standard": ChangeKind.OVERIG_STANDAARD,
    "non-standard": ChangeKind.NIET_STANDAARD,
    "emergency": ChangeKind.NOODWIJZIGING,
    "nood": ChangeKind.NOODWIJZIGING,
}


def parse_change_kind(text: str) -> ChangeKind:
    """Accept the Dutch catalogue name or its English translation."""
    key = text.strip().lower().replace("_", "-").replace(" ", "-")
    try:
        return ChangeKind(key)
    except ValueError:
        if key in _CHANGE_ALIASES:
            return _CHANGE_ALIASES[key]
    choices = ", ".join(kind.value for kind in ChangeKind)
    raise ValueError(f"unknown change kind {text!r} (one of: {choices})")


class VersionChange(StrEnum):
    """SLA 4.2.3.2: which part of the version number goes up."""

    UPGRADE = "upgrade"
    UPDATE = "update"
    PATCH = "patch"


def version_change(current: str, new: str) -> VersionChange:
    """Upgrade when the first number rises, update for the second, patch for any later part."""
    old_parts, new_parts = _version_parts(current), _version_parts(new)
    width = max(len(old_parts), len(new_parts), 3)
    old_parts += [0] * (width - len(old_parts))
    new_parts += [0] * (width - len(new_parts))
    if new_parts <= old_parts:
        raise ValueError(f"version {new!r} is not newer than {current!r}")
    if new_parts[0] != old_parts[0]:
        return VersionChange.UPGRADE
    if new_parts[1] != old_parts[1]:
        return VersionChange.UPDATE
    return VersionChange.PATCH


def _version_parts(version: str) -> list[int]:
    text = version.strip().lstrip("vV")
    try:
        return [int(part) for part in text.split(".")]
    except ValueError as error:
        raise ValueError(f"not a version number: {version!r}") from error
