"""Call categories: the SLA's own, with the urgency it suggests, and a few a desk adds."""

from __future__ import annotations

from desk_tui.demo.world import CategoryInfo, Row, World, record
from desk_tui.domain.classification import Level
from desk_tui.domain.priority import CATEGORY_URGENCY

# Not in the SLA; urgencies chosen by the same rule (can a user still work?).
EXTRA_CATEGORIES: dict[str, Level] = {
    "Accounts en autorisaties": Level.MIDDEN,
    "Printen en scannen": Level.MIDDEN,
    "Mobiele apparaten": Level.MIDDEN,
    "E-mail en agenda": Level.MIDDEN,
    "Verkiezingen": Level.HOOG,  # election day cannot wait
    "Vragen en advies": Level.LAAG,
}


def build_categories(world: World) -> list[Row]:
    rows = []
    every = {**CATEGORY_URGENCY, **EXTRA_CATEGORIES}
    for order, (name, urgency) in enumerate(every.items()):
        row = record(world) | {
            "name": name,
            "parent_id": None,
            "suggested_urgency": urgency,
            "active": True,
            "sort_order": order * 10,
        }
        rows.append(row)
        world.categories[name] = CategoryInfo(row["id"], name, urgency)
    return rows
