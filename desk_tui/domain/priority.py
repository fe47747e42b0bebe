"""Priority from impact × urgency, and the urgency the SLA suggests per category."""

from __future__ import annotations

from desk_tui.domain.classification import Impact, Level, Urgency

# SLA 4.2.1.1: rows are impact, columns urgency; 1 is the highest priority.
PRIORITY_MATRIX: dict[tuple[Impact, Urgency], int] = {
    (Level.LAAG, Level.LAAG): 5,
    (Level.LAAG, Level.MIDDEN): 4,
    (Level.LAAG, Level.HOOG): 3,
    (Level.MIDDEN, Level.LAAG): 4,
    (Level.MIDDEN, Level.MIDDEN): 3,
    (Level.MIDDEN, Level.HOOG): 2,
    (Level.HOOG, Level.LAAG): 3,
    (Level.HOOG, Level.MIDDEN): 2,
    (Level.HOOG, Level.HOOG): 1,
}

# The SLA names typical categories per urgency row; the desk suggests that urgency at intake.
CATEGORY_URGENCY: dict[str, Urgency] = {
    "Overige software": Level.LAAG,
    "Office": Level.LAAG,
    "Besturingssystemen": Level.LAAG,
    "Netwerkdiensten": Level.MIDDEN,
    "Hardware": Level.MIDDEN,
    "Kernapplicatie": Level.HOOG,
    "Telefonie": Level.HOOG,
    "Beveiliging": Level.HOOG,
    "Operationeel beheer": Level.HOOG,
}


def priority_for(impact: Impact, urgency: Urgency) -> int:
    """The SLA's priority (1–5) for one impact × urgency cell."""
    return PRIORITY_MATRIX[(Level(impact), Level(urgency))]


def suggested_urgency(category: str) -> Urgency | None:
    """The urgency the SLA lists for a category, matched without regard to case."""
    wanted = category.strip().casefold()
    for name, urgency in CATEGORY_URGENCY.items():
        if name.casefold() == wanted:
            return urgency
    return None
