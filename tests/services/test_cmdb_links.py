"""Relating CIs and bringing them under contracts, on both engines: what is stored, the
history on each CI concerned, and what is refused."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from desk_tui.services import cmdb, cmdb_links
from desk_tui.services.cmdb_links import ContractDraft
from desk_tui.services.cmdb_views import Direction
from desk_tui.services.errors import Conflict, InvalidInput, NotFound, Refused
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import CiHistoryField, CiRelationKind, ContractKind
from desk_tui.store.models import CiHistory, CiRelation, Contract
from tests.world import MONDAY_9, CmdbWorld, World, build_cmdb

RUNS_ON, DEPENDS_ON = CiRelationKind.RUNS_ON, CiRelationKind.DEPENDS_ON


@pytest.fixture
def cmdb_world(world: World) -> CmdbWorld:
    return build_cmdb(world)


def write(world: World, use_case, actor=None, **kwargs):
    with write_session(world.db) as session:
        return use_case(session=session, actor=actor or world.agent, now=MONDAY_9, **kwargs)


def history(world: World, ci_id: uuid.UUID, field: CiHistoryField):
    with read_session(world.db) as session:
        return session.execute(
            select(CiHistory.old_value, CiHistory.new_value, CiHistory.operator_id)
            .where(CiHistory.ci_id == ci_id, CiHistory.field == field)
            .order_by(CiHistory.at, CiHistory.id)
        ).all()


def neighbour_names(world: World, ci_id: uuid.UUID) -> set[tuple[str, str, str]]:
    found = world.read(cmdb.neighbours, actor=world.agent, ci_id=ci_id)
    return {(n.name, n.kind.value, n.direction.value) for n in found}


# -- relations -------------------------------------------------------------------------------
def test_relate_shows_on_both_cis_with_history(world, cmdb_world):
    portal, server = cmdb_world["Burgerportaal"], cmdb_world["SRV-DC-01"]
    write(world, cmdb_links.relate, from_ci_id=portal, to_ci_id=server, kind="runs-on")
    assert ("SRV-DC-01", "runs-on", Direction.OUTGOING.value) in neighbour_names(world, portal)
    assert ("Burgerportaal", "runs-on", Direction.INCOMING.value) in neighbour_names(
        world, server)
    text = "Burgerportaal runs-on SRV-DC-01"
    assert history(world, portal, CiHistoryField.RELATION) == [(None, text, world.agent.id)]
    assert history(world, server, CiHistoryField.RELATION) == [(None, text, world.agent.id)]
    # The impact view follows the new relation at once.
    report = world.read(cmdb.impact, actor=world.agent, ci_id=server)
    portal_row = next(n for n in report.affected if n.name == "Burgerportaal")
    assert portal_row.kind is RUNS_ON  # now reached directly, not through Key2


def test_unrelate_removes_it_and_keeps_history(world, cmdb_world):
    key2, server = cmdb_world["Key2Burgerzaken"], cmdb_world["SRV-DC-01"]
    write(world, cmdb_links.unrelate, from_ci_id=key2, to_ci_id=server, kind=RUNS_ON)
    assert ("SRV-DC-01", "runs-on", "outgoing") not in neighbour_names(world, key2)
    text = "Key2Burgerzaken runs-on SRV-DC-01"
    assert history(world, key2, CiHistoryField.RELATION) == [(text, None, world.agent.id)]
    assert history(world, server, CiHistoryField.RELATION) == [(text, None, world.agent.id)]
    with pytest.raises(NotFound, match="not recorded: Key2Burgerzaken runs-on SRV-DC-01"):
        write(world, cmdb_links.unrelate, from_ci_id=key2, to_ci_id=server, kind=RUNS_ON)


def test_relate_refuses_self_duplicates_and_unknown_kinds(world, cmdb_world):
    key2, server = cmdb_world["Key2Burgerzaken"], cmdb_world["SRV-DC-01"]
    with pytest.raises(InvalidInput, match="itself") as refused:
        write(world, cmdb_links.relate, from_ci_id=key2, to_ci_id=key2, kind=DEPENDS_ON)
    assert refused.value.field == "to_ci_id"
    with pytest.raises(Conflict, match="already recorded: Key2Burgerzaken runs-on SRV-DC-01"):
        write(world, cmdb_links.relate, from_ci_id=key2, to_ci_id=server, kind=RUNS_ON)
    with pytest.raises(InvalidInput, match="unknown relation") as refused:
        write(world, cmdb_links.relate, from_ci_id=key2, to_ci_id=server, kind="hosts")
    assert refused.value.field == "kind"
    with pytest.raises(NotFound):
        write(world, cmdb_links.relate, from_ci_id=key2, to_ci_id=uuid.uuid4(), kind=RUNS_ON)
    # Another kind between the same two is a different relation.
    write(world, cmdb_links.relate, from_ci_id=key2, to_ci_id=server, kind=DEPENDS_ON)
    with read_session(world.db) as session:
        count = session.execute(
            select(func.count()).select_from(CiRelation).where(CiRelation.from_ci_id == key2)
        ).scalar_one()
    assert count == 2
    assert len(history(world, key2, CiHistoryField.RELATION)) == 1  # refusals left none


def test_changing_relations_needs_cmdb_write(world, cmdb_world):
    key2, portal = cmdb_world["Key2Burgerzaken"], cmdb_world["Burgerportaal"]
    for actor in (world.contract_manager, world.nobody):
        with pytest.raises(Refused, match=r"cmdb\.write"):
            write(world, cmdb_links.relate, actor=actor, from_ci_id=key2, to_ci_id=portal,
                  kind=DEPENDS_ON)
        with pytest.raises(Refused, match=r"cmdb\.write"):
            write(world, cmdb_links.unrelate, actor=actor, from_ci_id=portal, to_ci_id=key2,
                  kind=DEPENDS_ON)


# -- contracts -------------------------------------------------------------------------------
def draft(world: World, **changes) -> ContractDraft:
    base = ContractDraft(
        number="2026-077", title="Onderhoud printers", supplier="Canon",
        kind=ContractKind.ONDERHOUD, organisation_id=world.organisation.id,
        starts_on=date(2026, 1, 1), ends_on=date(2027, 3, 31), notice_months=1,
    )
    return replace(base, **changes)


def test_register_and_link_a_contract(world, cmdb_world):
    contract_id = write(world, cmdb_links.register_contract, draft=draft(world))
    laptop = cmdb_world["LT-ENK-0100"]
    write(world, cmdb_links.link_contract, contract_id=contract_id, ci_id=laptop)
    detail = world.read(cmdb.ci_detail, actor=world.agent, ci_id=laptop,
                        today=cmdb_world.today)
    [row] = detail.contracts
    assert (row.number, row.supplier, row.ci_count) == ("2026-077", "Canon", 1)
    assert row.notice_by == date(2027, 2, 28)  # 31 March less a month
    assert history(world, laptop, CiHistoryField.CONTRACT) == [
        (None, "2026-077 Onderhoud printers", world.agent.id),
    ]
    with pytest.raises(Conflict, match="already covered"):
        write(world, cmdb_links.link_contract, contract_id=contract_id, ci_id=laptop)

    write(world, cmdb_links.unlink_contract, contract_id=contract_id, ci_id=laptop)
    detail = world.read(cmdb.ci_detail, actor=world.agent, ci_id=laptop,
                        today=cmdb_world.today)
    assert detail.contracts == ()
    assert history(world, laptop, CiHistoryField.CONTRACT)[-1] == (
        "2026-077 Onderhoud printers", None, world.agent.id,
    )
    with pytest.raises(NotFound, match="not covered"):
        write(world, cmdb_links.unlink_contract, contract_id=contract_id, ci_id=laptop)


def test_a_participants_contract_covers_only_its_own_cis(world, cmdb_world):
    contract_id = write(world, cmdb_links.register_contract, draft=draft(world))
    with pytest.raises(InvalidInput, match="another organisation") as refused:
        write(world, cmdb_links.link_contract, contract_id=contract_id,
              ci_id=cmdb_world["DRE-WS-0007"])
    assert refused.value.field == "ci_id"
    # The servicedesk's own server may fall under it (e.g. hosting the participant's app).
    write(world, cmdb_links.link_contract, contract_id=contract_id,
          ci_id=cmdb_world["SRV-DC-01"])


REFUSED_CONTRACTS = [
    ({"number": "2024-017"}, "number", "already in use"),  # the world has it
    ({"number": " 2024-017 "}, "number", "already in use"),
    ({"number": "  "}, "number", "required"),
    ({"number": "x" * 51}, "number", "at most 50"),
    ({"title": ""}, "title", "required"),
    ({"supplier": "s" * 201}, "supplier", "at most 200"),
    ({"ends_on": date(2025, 12, 31)}, "ends_on", "before it starts"),
    ({"notice_months": -1}, "notice_months", "0 to 120"),
    ({"notice_months": 121}, "notice_months", "0 to 120"),
    ({"kind": "koop"}, "kind", "unknown contract kind"),
    ({"organisation_id": uuid.UUID(int=7)}, "organisation_id", "does not exist"),
]


def test_register_contract_refuses_what_cannot_be_stored(world, cmdb_world):
    for changes, field, message in REFUSED_CONTRACTS:
        with pytest.raises(InvalidInput, match=message) as refused:
            write(world, cmdb_links.register_contract, draft=draft(world, **changes))
        assert refused.value.field == field, changes
    with read_session(world.db) as session:
        assert session.execute(select(func.count()).select_from(Contract)).scalar_one() == 5


def test_contract_edges_that_are_fine(world, cmdb_world):
    same_day = write(world, cmdb_links.register_contract, draft=draft(
        world, number="2026-078", ends_on=date(2026, 1, 1), notice_months=0))
    open_ended = write(world, cmdb_links.register_contract, draft=draft(
        world, number="2026-079", ends_on=None, organisation_id=None, notes=" Stilzwijgend "))
    with read_session(world.db) as session:
        first = session.get(Contract, same_day)
        second = session.get(Contract, open_ended)
        assert first.ends_on == first.starts_on and first.notice_months == 0
        assert second.ends_on is None and second.organisation_id is None
        assert second.notes == "Stilzwijgend"


def test_contracts_need_cmdb_write(world, cmdb_world):
    with pytest.raises(Refused, match=r"cmdb\.write"):
        write(world, cmdb_links.register_contract, actor=world.contract_manager,
              draft=draft(world))
    for use_case in (cmdb_links.link_contract, cmdb_links.unlink_contract):
        with pytest.raises(Refused, match=r"cmdb\.write"):
            write(world, use_case, actor=world.nobody,
                  contract_id=cmdb_world.contract["2024-017"],
                  ci_id=cmdb_world["Key2Burgerzaken"])
