"""Crisis contacts of the demo municipalities (SPEC 10): the 24/7 crisis number of the
safety region and each municipality's public-order-and-safety (OOV) officers.

Built from fixed data after everything else, with ids of their own: drawing on the
world's random source would shift every row generated after it.
"""

from __future__ import annotations

from desk_tui.demo.organisations import ENDED_CODE, ORGANISATIONS, OWN_CODE
from desk_tui.demo.world import Row, World
from desk_tui.store.tables.crisis import CrisisContactKind
from desk_tui.store.types import new_id

REGION_CRISIS_LINE = ("Crisislijn Veiligheidsregio Noord-Holland Noord (24/7)", "088-012 01 12")

# Municipality code -> (officer's name, mayor's name); made up, as all demo people.
_OOV_PEOPLE: dict[str, tuple[str, str]] = {
    "DRE": ("Marieke Groot", "burgemeester M. Baas"),
    "ENK": ("Joost Stam", "burgemeester E. Struis"),
    "STB": ("Annet Ruiter", "burgemeester R. Berkhout"),
    "MED": ("Kees Molenaar", "burgemeester J. Schuurman"),
}


def build_crisis_contacts(world: World) -> list[Row]:
    """Per municipality: the region's crisis line, its own 24/7 duty number, the OOV
    adviser and the mayor (who holds public order)."""
    rows: list[Row] = []
    at = world.now
    for spec in ORGANISATIONS:
        if spec.code in (OWN_CODE, ENDED_CODE):
            continue
        organisation = world.organisation(spec.code)
        adviser, mayor = _OOV_PEOPLE.get(spec.code, (None, None))
        contacts = (
            (CrisisContactKind.CRISIS_LINE, REGION_CRISIS_LINE[0], None, REGION_CRISIS_LINE[1],
             None),
            (CrisisContactKind.CRISIS_LINE, f"Piket {spec.name} (24/7)", None,
             f"{spec.area_code}-36 01 12", None),
            (CrisisContactKind.OOV, "Adviseur openbare orde en veiligheid", adviser,
             f"06-{1000_0000 + len(rows) * 1111:08d}", f"oov@{spec.domain}"),
            (CrisisContactKind.OOV, "Burgemeester (openbare orde)", mayor,
             f"{spec.area_code}-36 01 00", f"burgemeester@{spec.domain}"),
        )
        for order, (kind, title, name, phone, email) in enumerate(contacts):
            rows.append({
                "id": new_id(), "created_at": at, "updated_at": at,
                "organisation_id": organisation.id, "kind": kind, "role_title": title,
                "name": name, "phone": phone, "email": email, "sort_order": order,
            })
    return rows
