"""Human reference numbers: counted per kind, site and year, without gaps."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from desk_tui.store.engine import write_session
from desk_tui.store.numbers import ReferenceKind, format_reference, next_number


def test_numbers_count_per_kind_site_and_year(store: Engine) -> None:
    with write_session(store) as session:
        calls = [next_number(session, ReferenceKind.CALL, "main", 2026) for _ in range(3)]
        change = next_number(session, ReferenceKind.CHANGE, "main", 2026)
        next_year = next_number(session, ReferenceKind.CALL, "main", 2027)
        election_site = next_number(session, ReferenceKind.CALL, "v01", 2026)
    assert calls == [1, 2, 3]
    assert (change, next_year, election_site) == (1, 1, 1)
    with write_session(store) as session:
        assert next_number(session, ReferenceKind.CALL, "main", 2026) == 4


def test_a_rolled_back_number_is_handed_out_again(store: Engine) -> None:
    with write_session(store) as session:
        assert next_number(session, ReferenceKind.CALL, "main", 2026) == 1
    with pytest.raises(RuntimeError), write_session(store) as session:
        assert next_number(session, ReferenceKind.CALL, "main", 2026) == 2
        raise RuntimeError("save failed")
    with write_session(store) as session:
        assert next_number(session, ReferenceKind.CALL, "main", 2026) == 2


def test_references_read_like_the_desk_writes_them() -> None:
    assert format_reference(ReferenceKind.CALL, "main", 2026, 123) == "M2026-000123"
    assert format_reference(ReferenceKind.CHANGE, "v01", 2026, 4) == "W2026-V01-000004"
