"""Dutch-looking names, logins, mail addresses and phone numbers, all made up.

Names are drawn from short lists of common first and family names, so no record describes a
real person; mail goes to `.example` domains (RFC 2606), which can never be delivered.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

FIRST_NAMES = (
    "Sanne", "Daan", "Lotte", "Bram", "Femke", "Jeroen", "Anouk", "Thijs", "Eva", "Ruben",
    "Marloes", "Koen", "Ingrid", "Pieter", "Esther", "Wouter", "Mirjam", "Sander", "Noor",
    "Joost", "Fatima", "Mohamed", "Yasmina", "Emre", "Priya", "Kevin", "Linda", "Monique",
    "Kees", "Annemarie", "Hans", "Petra", "Gerrit", "Marieke", "Bas", "Iris", "Tim", "Judith",
    "Erik", "Sophie", "Lars", "Maaike", "Rob", "Wendy", "Niels", "Karin", "Dirk", "Jolanda",
    "Maarten", "Saskia", "Frank", "Nadia", "Stijn", "Carola", "Ayoub", "Milan", "Roos",
    "Jesse", "Fleur", "Hanneke", "Arjen", "Tamara", "Vincent", "Yvonne", "Martijn", "Ilse",
)

# (tussenvoegsel, family name): the prefix is part of the name but not of the sort key.
FAMILY_NAMES = (
    ("de", "Vries"), ("", "Bakker"), ("", "Visser"), ("", "Smit"), ("", "Meijer"),
    ("de", "Boer"), ("", "Mulder"), ("de", "Groot"), ("", "Bos"), ("", "Vos"),
    ("", "Peters"), ("", "Hendriks"), ("van", "Dijk"), ("", "Dekker"), ("", "Brouwer"),
    ("de", "Wit"), ("", "Dijkstra"), ("de", "Graaf"), ("van der", "Meer"), ("", "Kok"),
    ("", "Jacobs"), ("de", "Haan"), ("", "Vermeulen"), ("van den", "Berg"),
    ("van der", "Linden"), ("", "Schouten"), ("", "Groen"), ("", "Koster"), ("", "Schipper"),
    ("", "Kramer"), ("", "Jonker"), ("", "Blom"), ("", "Zwart"), ("van der", "Veen"),
    ("", "Kuiper"), ("", "Pool"), ("", "Sijm"), ("", "Pronk"), ("", "Kroon"), ("", "Mol"),
    ("", "Appelman"), ("", "Ruiter"), ("", "Koomen"), ("", "Nieuwland"), ("", "Stam"),
    ("", "Tesselaar"), ("el", "Amrani"), ("", "Yilmaz"), ("", "Kaya"), ("", "Bouzid"),
    ("", "Ramdin"), ("", "Jansen"), ("de", "Jong"), ("van", "Leeuwen"), ("", "Wagenaar"),
    ("", "Hoogland"), ("", "Bijl"), ("", "Commandeur"), ("", "Laan"), ("", "Weel"),
)


@dataclass(frozen=True, slots=True)
class MadeUpName:
    first: str
    prefix: str
    family: str

    @property
    def full(self) -> str:
        return " ".join(part for part in (self.first, self.prefix, self.family) if part)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


class NameMaker:
    """Hands out names with logins and addresses unique per domain (a clash gets a digit,
    as a real directory would do it)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._taken: set[str] = set()

    def name(self) -> MadeUpName:
        prefix, family = self._rng.choice(FAMILY_NAMES)
        return MadeUpName(self._rng.choice(FIRST_NAMES), prefix, family)

    def _unique(self, base: str, scope: str) -> str:
        candidate, counter = base, 1
        while f"{scope}/{candidate}" in self._taken:
            counter += 1
            candidate = f"{base}{counter}"
        self._taken.add(f"{scope}/{candidate}")
        return candidate

    def login(self, name: MadeUpName, scope: str) -> str:
        """"svries" style: first initial and family name, unique within `scope`."""
        return self._unique(_ascii(name.first)[:1] + _ascii(name.family), f"login:{scope}")

    def email(self, name: MadeUpName, domain: str) -> str:
        local = self._unique(
            f"{_ascii(name.first)}.{_ascii(name.prefix + name.family)}", f"mail:{domain}"
        )
        return f"{local}@{domain}"

    def phone(self, area_code: str) -> str:
        """A fixed line in the region ("0228-35 41 27"); one in eight gets a mobile."""
        if self._rng.random() < 0.125:
            return f"06-{self._rng.randrange(10_000_000, 100_000_000)}"
        number = self._rng.randrange(300_000, 400_000)
        digits = f"{number:06d}"
        return f"{area_code}-{digits[:2]} {digits[2:4]} {digits[4:]}"
