"""Priority matrix (SLA 4.2.1.1) and the urgency suggested per category."""

import pytest

from desk_tui.domain.classification import CallType, Level, parse_call_type, parse_level
from desk_tui.domain.priority import priority_for, suggested_urgency

L, M, H = Level.LAAG, Level.MIDDEN, Level.HOOG


@pytest.mark.parametrize(
    ("impact", "urgency", "priority"),
    [
        (L, L, 5), (L, M, 4), (L, H, 3),
        (M, L, 4), (M, M, 3), (M, H, 2),
        (H, L, 3), (H, M, 2), (H, H, 1),
    ],
)
def test_priority_for_every_cell_of_the_matrix(impact, urgency, priority):
    assert priority_for(impact, urgency) == priority


@pytest.mark.parametrize(
    ("category", "urgency"),
    [
        ("Office", L), ("Overige software", L), ("besturingssystemen", L),
        ("Netwerkdiensten", M), ("Hardware", M),
        ("Kernapplicatie", H), ("Telefonie", H), ("Beveiliging", H), ("Operationeel beheer", H),
    ],
)
def test_category_suggests_the_slas_urgency(category, urgency):
    assert suggested_urgency(category) is urgency


def test_unknown_category_suggests_nothing():
    assert suggested_urgency("Koffieautomaat") is None


def test_levels_and_types_read_dutch_and_english():
    assert parse_level("hoog") is H and parse_level("High") is H and parse_level("2") is M
    assert parse_call_type("incident") is CallType.STORING
    assert parse_call_type("Serviceverzoek") is CallType.SERVICEVERZOEK
    with pytest.raises(ValueError, match="laag, midden, hoog"):
        parse_level("urgent")
