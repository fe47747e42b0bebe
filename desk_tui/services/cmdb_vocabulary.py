"""The words a CMDB export uses: column headers, CI types and statuses, Dutch and English.

Pure data and matching, no database: `desk cmdb import --help` lists it without loading
the storage layer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Generic, TypeVar

from desk_tui.store.enums import CiStatus, CiType

# The fields an import row can fill, in the order the help lists them. `organisation`
# (code or name) and `owner` (login or e-mail) are looked up; the rest go to the CI as is.
IMPORT_FIELDS = (
    "name", "ci_type", "external_ref", "asset_tag", "serial_number", "hostname",
    "ip_address", "location", "status", "organisation", "owner", "configuration",
    "in_service_on", "retired_on", "expires_on", "notes",
)
# `--map attributes.KEY=Column` puts a column into the CI's attributes under KEY.
ATTRIBUTE_PREFIX = "attributes."

# Headers each field is found under by default, besides its own name. "Objectnummer" and
# "Object ID" are the item's key in the CMDB it comes from (TOPdesk and the like), so they
# become the external reference that makes a second import skip the row.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("naam", "objectnaam", "ci naam", "ci name"),
    "ci_type": ("type", "ci type", "soort", "objecttype", "object type", "objectsoort"),
    "external_ref": ("objectnummer", "objectid", "object id", "extern id", "externe referentie",
                     "external id", "external reference"),
    "asset_tag": ("asset tag", "assettag", "inventarisnummer", "inventarisnr", "label"),
    "serial_number": ("serienummer", "serienr", "serial", "serial number"),
    "hostname": ("hostnaam", "host", "computernaam", "dns naam"),
    "ip_address": ("ip", "ip adres", "ipadres", "ip address"),
    "location": ("locatie", "vestiging"),
    "status": ("objectstatus",),
    "organisation": ("organisatie", "organization", "deelnemer", "gemeente"),
    "owner": ("eigenaar", "gebruiker", "user"),
    "configuration": ("configuratie", "uitvoering", "variant"),
    "in_service_on": ("in gebruik sinds", "ingebruikname", "ingebruiknamedatum",
                      "in service since", "in service on"),
    "retired_on": ("uit gebruik sinds", "buiten gebruik sinds", "afvoerdatum", "retired on"),
    "expires_on": ("vervaldatum", "verloopdatum", "geldig tot", "expires", "expiry date",
                   "valid until"),
    "notes": ("opmerkingen", "opmerking", "notities", "toelichting"),
}

# Values of the type and status columns, besides the stored values themselves.
TYPE_WORDS: dict[str, CiType] = {
    "workstation": CiType.WERKPLEK, "desktop": CiType.WERKPLEK, "pc": CiType.WERKPLEK,
    "werkstation": CiType.WERKPLEK,
    "notebook": CiType.LAPTOP,
    "virtuele server": CiType.SERVER, "virtual server": CiType.SERVER, "vm": CiType.SERVER,
    "application": CiType.APPLICATIE, "applicaties": CiType.APPLICATIE,
    "network device": CiType.NETWERKAPPARAAT, "netwerk": CiType.NETWERKAPPARAAT,
    "switch": CiType.NETWERKAPPARAAT, "router": CiType.NETWERKAPPARAAT,
    "firewall": CiType.NETWERKAPPARAAT, "access point": CiType.NETWERKAPPARAAT,
    "phone": CiType.TELEFOON, "vaste telefoon": CiType.TELEFOON, "voip": CiType.TELEFOON,
    "mobile device": CiType.MOBIEL_APPARAAT, "mobiel": CiType.MOBIEL_APPARAAT,
    "smartphone": CiType.MOBIEL_APPARAAT, "tablet": CiType.MOBIEL_APPARAAT,
    "mobiele telefoon": CiType.MOBIEL_APPARAAT,
    "multifunctional": CiType.PRINTER, "multifunctionele printer": CiType.PRINTER,
    "mfp": CiType.PRINTER, "mfc": CiType.PRINTER,
    "certificate": CiType.CERTIFICAAT, "cert": CiType.CERTIFICAAT,
    "ssl certificaat": CiType.CERTIFICAAT, "tls certificate": CiType.CERTIFICAAT,
    "licence": CiType.LICENTIE, "license": CiType.LICENTIE,
}
STATUS_WORDS: dict[str, CiStatus] = {
    "planned": CiStatus.GEPLAND, "besteld": CiStatus.GEPLAND, "ordered": CiStatus.GEPLAND,
    "in use": CiStatus.IN_GEBRUIK, "actief": CiStatus.IN_GEBRUIK, "active": CiStatus.IN_GEBRUIK,
    "in productie": CiStatus.IN_GEBRUIK, "in production": CiStatus.IN_GEBRUIK,
    "operational": CiStatus.IN_GEBRUIK,
    "reparatie": CiStatus.IN_REPARATIE, "in repair": CiStatus.IN_REPARATIE,
    "defect": CiStatus.IN_REPARATIE,
    "op voorraad": CiStatus.VOORRAAD, "in stock": CiStatus.VOORRAAD, "stock": CiStatus.VOORRAAD,
    "magazijn": CiStatus.VOORRAAD,
    "buiten gebruik": CiStatus.UIT_GEBRUIK, "retired": CiStatus.UIT_GEBRUIK,
    "afgevoerd": CiStatus.UIT_GEBRUIK, "disposed": CiStatus.UIT_GEBRUIK,
    "inactief": CiStatus.UIT_GEBRUIK, "inactive": CiStatus.UIT_GEBRUIK,
    "decommissioned": CiStatus.UIT_GEBRUIK,
}

_Word = TypeVar("_Word", CiType, CiStatus)
_SEPARATORS = re.compile(r"[\s_\-.]+")


def normalised(word: str) -> str:
    """Lowercase, BOM and surrounding space dropped, runs of spaces, '-', '_' and '.' as
    one space: "IP-adres", "ip_adres" and "IP adres" compare equal."""
    return _SEPARATORS.sub(" ", word.replace("\ufeff", "").casefold()).strip()


class Vocabulary(Generic[_Word]):
    """The words for one kind of value: its stored values, then words of the user's own
    mapping, then the built-in synonyms; compared normalised, looked up in one step."""

    def __init__(
        self, enum: type[_Word], synonyms: Mapping[str, _Word],
        extra: Mapping[str, _Word] | None = None,
    ) -> None:
        table = {normalised(word): member for word, member in synonyms.items()}
        table |= {normalised(word): member for word, member in (extra or {}).items()}
        table |= {normalised(member.value): member for member in enum}
        self._table = table

    def __call__(self, word: str) -> _Word | None:
        return self._table.get(normalised(word))


def type_words(extra: Mapping[str, CiType] | None = None) -> Vocabulary[CiType]:
    return Vocabulary(CiType, TYPE_WORDS, extra)


def status_words(extra: Mapping[str, CiStatus] | None = None) -> Vocabulary[CiStatus]:
    return Vocabulary(CiStatus, STATUS_WORDS, extra)


def default_headers_help(width: int = 88) -> str:
    """The default column names per field, for the command's help."""
    lines = []
    for name in IMPORT_FIELDS:
        line = f"  {name:<15}"
        words = list(dict.fromkeys((name, *HEADERS.get(name, ()))))
        for index, word in enumerate(words):
            piece = word + ("," if index < len(words) - 1 else "")
            if len(line) + len(piece) + 1 > width and not line.endswith(" " * 17):
                lines.append(line.rstrip())
                line = " " * 17
            line += piece + " "
        lines.append(line.rstrip())
    return "\n".join(lines)
