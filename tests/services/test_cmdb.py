"""Reading the CMDB on both engines: search, a CI with its relations both ways, the impact
of an outage, expiring certificates, contracts ending, and who sees what."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event

from desk_tui.services import cmdb
from desk_tui.services.cmdb_views import Direction
from desk_tui.services.desk import Desk
from desk_tui.services.errors import NotFound, Refused
from desk_tui.store.engine import write_session
from desk_tui.store.enums import CallStatus, CiHistoryField, CiRelationKind, CiStatus, CiType
from desk_tui.store.models import CiHistory, CiRelation
from tests.world import CmdbWorld, World, add_ci, build_cmdb

RUNS_ON, DEPENDS_ON = CiRelationKind.RUNS_ON, CiRelationKind.DEPENDS_ON
CONNECTED_TO, USED_BY = CiRelationKind.CONNECTED_TO, CiRelationKind.USED_BY
OUT, IN = Direction.OUTGOING, Direction.INCOMING


@pytest.fixture
def cmdb_world(world: World) -> CmdbWorld:
    return build_cmdb(world)


def search(world: World, text: str, actor=None, **options) -> list[str]:
    hits = world.read(cmdb.search_cis, actor=actor or world.agent, text=text, **options)
    return [hit.name for hit in hits]


# -- search ---------------------------------------------------------------------------------
SEARCHES = {
    "Key2": {"Key2Burgerzaken"},  # name, a prefix
    "AT-100231": {"SRV-DC-01"},  # asset tag
    "CZC8451KQ7": {"LT-ENK-0100"},  # serial number
    "srv-dc-01": {"SRV-DC-01"},  # hostname
    "10.12.3": {"SRV-DC-01"},  # IP address prefix, not 10.20.1.5
    "Anouk": {"LT-ENK-0100"},  # owner's name
    "ajansen": {"LT-ENK-0100"},  # owner's login
    "Westerstraat": {"LT-ENK-0100"},  # location
    "Drechterland": {"DRE-WS-0007", "vpn.drechterland.nl"},  # organisation name
    "LT-ENK westerstraat": {"LT-ENK-0100"},  # every word must match
    "LT-ENK drechterland": set(),
    "zzqx": set(),
    "[bold]": set(),  # looks like markup: plain text to search
    "[/": set(),
    "": set(),
}


def test_search_finds_by_every_field(world, cmdb_world):
    # One world for all the cases (building it is the slow part); every miss is shown.
    found = {typed: set(search(world, typed)) for typed in SEARCHES}
    assert found == SEARCHES


def test_search_ignores_diacritics(world, cmdb_world):
    assert search(world, "sudwest") == ["SWF-WS-0001"]  # "Gemeente Súdwest-Fryslân"
    assert search(world, "Súdwest") == ["SWF-WS-0001"]


def test_search_hit_shows_owner_organisation_and_location(world, cmdb_world):
    [hit] = world.read(cmdb.search_cis, actor=world.agent, text="CZC8451KQ7")
    assert hit.id == cmdb_world["LT-ENK-0100"] and hit.ci_type is CiType.LAPTOP
    assert hit.owner == "Anouk Jansen" and hit.organisation == "Gemeente Enkhuizen"
    assert hit.location == "Stadhuis Westerstraat 2e verdieping"
    [server] = world.read(cmdb.search_cis, actor=world.agent, text="srv-dc-01")
    assert server.organisation is None  # the servicedesk's own infrastructure
    assert server.ip_address == "10.12.3.14" and server.asset_tag == "AT-100231"


def test_search_puts_the_callers_organisation_first_and_respects_the_limit(world, cmdb_world):
    everyone = search(world, "ws")
    assert set(everyone) == {"ENK-WS-0042", "DRE-WS-0007", "SWF-WS-0001"}
    frisian_first = search(world, "ws", organisation_id=cmdb_world.frisian_organisation.id)
    assert frisian_first[0] == "SWF-WS-0001" and set(frisian_first) == set(everyone)
    assert search(world, "ws", organisation_id=world.other_organisation.id,
                  limit=1) == ["DRE-WS-0007"]


def test_contract_manager_finds_only_own_organisations_cis(world, cmdb_world):
    manager = world.contract_manager  # of Drechterland
    assert search(world, "ws", actor=manager) == ["DRE-WS-0007"]
    # Other organisations' matches do not use up the manager's results.
    assert search(world, "ws", actor=manager, limit=1) == ["DRE-WS-0007"]
    assert search(world, "srv-dc-01", actor=manager) == []  # the desk's own server
    assert search(world, "Key2", actor=manager) == []


def test_a_search_on_postgresql_is_one_statement(world, cmdb_world):
    """Each round trip to a PostgreSQL server costs more than the search itself: the
    console's search is one statement, whichever way the pane is used."""
    sent: list[str] = []
    listen = event.listens_for(world.db, "before_cursor_execute")
    listen(lambda _c, _cur, statement, *_rest: sent.append(statement.split()[0].upper()))
    desk = Desk(world.db, world.sla, lambda: datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    frisian = cmdb_world.frisian_organisation.id
    for actor, organisation in ((world.agent, None), (world.agent, frisian),
                                (world.contract_manager, None)):
        sent.clear()
        assert desk.search_cis(actor, "ws", organisation)
        if world.db.dialect.name == "postgresql":
            assert sent == ["WITH"]
        else:  # in-process: the index (per scope), then the rows by id
            assert 2 <= len([word for word in sent if word != "BEGIN"]) <= 4


def test_reading_the_cmdb_needs_the_role(world, cmdb_world):
    today = cmdb_world.today
    server = cmdb_world["SRV-DC-01"]
    for use_case, kwargs in (
        (cmdb.search_cis, {"text": "srv"}),
        (cmdb.ci_detail, {"ci_id": server, "today": today}),
        (cmdb.neighbours, {"ci_id": server}),
        (cmdb.impact, {"ci_id": server}),
        (cmdb.expiring, {"today": today}),
        (cmdb.certificate_warning, {"today": today}),
        (cmdb.contracts, {"today": today}),
    ):
        with pytest.raises(Refused, match=r"cmdb\.read"):
            world.read(use_case, actor=world.nobody, **kwargs)


# -- one CI, its relations both ways ---------------------------------------------------------
def relations(neighbours) -> set[tuple[str, CiRelationKind, Direction]]:
    return {(n.name, n.kind, n.direction) for n in neighbours}


def test_ci_detail_shows_relations_both_ways(world, cmdb_world):
    detail = world.read(cmdb.ci_detail, actor=world.agent, ci_id=cmdb_world["Key2Burgerzaken"],
                        today=cmdb_world.today)
    assert detail.hit.name == "Key2Burgerzaken" and detail.hit.organisation == "Gemeente Enkhuizen"
    assert detail.attributes == {"vendor": "Centric", "version": "2024.2.3"}
    assert [(n.name, n.kind, n.direction) for n in detail.relations] == [
        ("SRV-DC-01", RUNS_ON, OUT),  # Key2 runs on the server
        ("Burgerportaal", DEPENDS_ON, IN),  # the portal depends on Key2
    ]
    server, portal = detail.relations
    assert server.has_more  # the server has other relations to open
    assert not portal.has_more  # the portal's only relation is the one back here


def test_neighbours_of_the_server_open_the_tree(world, cmdb_world):
    found = world.read(cmdb.neighbours, actor=world.agent, ci_id=cmdb_world["SRV-DC-01"])
    assert relations(found) == {
        ("CS-RC-01", CONNECTED_TO, OUT), ("CS-RC-01", CONNECTED_TO, IN),
        ("Key2Burgerzaken", RUNS_ON, IN),
    }
    assert [(n.name, n.direction) for n in found] == [
        ("CS-RC-01", OUT), ("Key2Burgerzaken", IN), ("CS-RC-01", IN),
    ]  # outgoing first, then by kind (runs-on before connected-to)
    # One level further: from the application, back to the server and on to the portal.
    onward = world.read(cmdb.neighbours, actor=world.agent, ci_id=found[1].id)
    assert relations(onward) == {("SRV-DC-01", RUNS_ON, OUT), ("Burgerportaal", DEPENDS_ON, IN)}


def test_ci_detail_lists_calls_contracts_and_history(world, cmdb_world):
    with write_session(world.db) as session:
        session.add(CiHistory(ci_id=cmdb_world["SRV-DC-01"], operator_id=world.agent.id,
                              field=CiHistoryField.NOTE, new_value="Firmware bijgewerkt"))
    detail = world.read(cmdb.ci_detail, actor=world.agent, ci_id=cmdb_world["SRV-DC-01"],
                        today=cmdb_world.today)
    assert [(call.subject, call.open) for call in detail.calls] == [
        ("Server reageert niet", True),  # 09:30, newest first
        ("Server traag geweest", False),  # 09:00, closed
    ]
    assert detail.calls[0].reference.startswith("M2026-")
    assert detail.calls[1].status == CallStatus.GESLOTEN
    [contract] = detail.contracts
    assert contract.number == "2024-017" and contract.ci_count == 2
    assert contract.notice_by.isoformat() == "2026-12-31"  # 31 Jan less one month
    [entry] = detail.history
    assert entry.operator == "Sanne de Vries" and entry.new_value == "Firmware bijgewerkt"
    assert detail.changes == ()


def test_running_contracts_come_before_ended_ones(world, cmdb_world):
    detail = world.read(cmdb.ci_detail, actor=world.agent, ci_id=cmdb_world["Key2Burgerzaken"],
                        today=cmdb_world.today)
    assert [c.number for c in detail.contracts] == ["2024-017", "2020-001"]


def test_unknown_ci_is_not_found(world, cmdb_world):
    with pytest.raises(NotFound):
        world.read(cmdb.ci_detail, actor=world.agent, ci_id=uuid.uuid4(),
                   today=cmdb_world.today)


def test_contract_manager_sees_own_cis_without_what_lies_beyond(world, cmdb_world):
    manager = world.contract_manager
    for name in ("SRV-DC-01", "Key2Burgerzaken"):  # the desk's own, another participant's
        with pytest.raises(NotFound):
            world.read(cmdb.ci_detail, actor=manager, ci_id=cmdb_world[name],
                       today=cmdb_world.today)
        with pytest.raises(NotFound):
            world.read(cmdb.impact, actor=manager, ci_id=cmdb_world[name])
    own = world.read(cmdb.ci_detail, actor=manager, ci_id=cmdb_world["DRE-WS-0007"],
                     today=cmdb_world.today)
    assert own.relations == ()  # the switch it is connected to is the desk's own
    assert [c.subject for c in own.calls] == ["Werkplek heeft geen netwerk"]
    assert [c.number for c in own.contracts] == ["2023-100"]
    # The agent sees the same workstation's relation.
    seen = world.read(cmdb.ci_detail, actor=world.agent, ci_id=cmdb_world["DRE-WS-0007"],
                      today=cmdb_world.today)
    assert relations(seen.relations) == {("CS-RC-01", CONNECTED_TO, OUT)}


# -- impact of an outage ---------------------------------------------------------------------
def test_impact_follows_the_chain_both_ways_through_a_cycle(world, cmdb_world):
    report = world.read(cmdb.impact, actor=world.agent, ci_id=cmdb_world["SRV-DC-01"])
    assert report.ci.name == "SRV-DC-01"
    # Nearest first: the switch (connected back to the server) and Key2 (runs on it), then
    # the portal (depends on Key2) and the workstation (connected to the switch). The
    # server itself is not listed, though the cycle leads back to it.
    assert [(n.name, n.kind, n.direction) for n in report.affected] == [
        ("CS-RC-01", CONNECTED_TO, IN),
        ("Key2Burgerzaken", RUNS_ON, IN),
        ("Burgerportaal", DEPENDS_ON, IN),
        ("DRE-WS-0007", CONNECTED_TO, IN),
    ]
    assert [n.has_more for n in report.affected] == [True, True, False, False]


def test_impact_of_the_switch_reaches_the_server_and_on(world, cmdb_world):
    report = world.read(cmdb.impact, actor=world.agent, ci_id=cmdb_world["CS-RC-01"])
    assert {n.name for n in report.affected} == {
        "SRV-DC-01", "DRE-WS-0007", "Key2Burgerzaken", "Burgerportaal",
    }


def test_used_by_points_the_other_way(world, cmdb_world):
    office = world.read(cmdb.impact, actor=world.agent, ci_id=cmdb_world["Microsoft 365"])
    assert [(n.name, n.kind, n.direction) for n in office.affected] == [
        ("LT-ENK-0100", USED_BY, OUT),
    ]
    assert [c.subject for c in office.open_calls] == ["Outlook start niet"]
    assert office.open_calls[0].via_ci == "LT-ENK-0100"
    # The laptop's outage does not take Microsoft 365 down; nothing depends on the portal.
    laptop = world.read(cmdb.impact, actor=world.agent, ci_id=cmdb_world["LT-ENK-0100"])
    assert laptop.affected == ()
    portal = world.read(cmdb.impact, actor=world.agent, ci_id=cmdb_world["Burgerportaal"])
    assert portal.affected == ()
    assert [c.subject for c in portal.open_calls] == ["Portaal en Key2 haperen"]
    assert portal.open_calls[0].via_ci is None


def test_impact_lists_open_calls_only_by_priority_then_registration(world, cmdb_world):
    report = world.read(cmdb.impact, actor=world.agent, ci_id=cmdb_world["SRV-DC-01"])
    shown = [(c.subject, c.via_ci) for c in report.open_calls]
    assert set(shown) == {
        ("Server reageert niet", None),
        ("Key2 geeft foutmelding", "Key2Burgerzaken"),
        # On the portal and on Key2: listed once, by the CI nearest the outage.
        ("Portaal en Key2 haperen", "Key2Burgerzaken"),
        ("Werkplek heeft geen netwerk", "DRE-WS-0007"),
    }  # "Server traag geweest" was closed
    assert all(c.open for c in report.open_calls)
    keys = [(c.priority, c.registered_at) for c in report.open_calls]
    assert keys == sorted(keys)
    assert report.open_calls[0].subject == "Server reageert niet"  # priority 1


@pytest.mark.parametrize("by_id", [True, False])
def test_a_wide_outage_finds_the_same_open_calls_from_every_open_call(
    world, cmdb_world, monkeypatch, by_id
):
    # Past _CALLS_BY_ID affected CIs the open calls are read whole and kept when on one of
    # them: the answer must not depend on the way.
    monkeypatch.setattr(cmdb, "_CALLS_BY_ID", 1000 if by_id else 0)
    report = world.read(cmdb.impact, actor=world.agent, ci_id=cmdb_world["SRV-DC-01"])
    assert [(c.subject, c.via_ci) for c in report.open_calls] == [
        ("Server reageert niet", None), ("Portaal en Key2 haperen", "Key2Burgerzaken"),
        ("Key2 geeft foutmelding", "Key2Burgerzaken"),
        ("Werkplek heeft geen netwerk", "DRE-WS-0007"),
    ]
    manager = world.read(cmdb.impact, actor=world.contract_manager,
                         ci_id=cmdb_world["DRE-WS-0007"])
    assert [c.subject for c in manager.open_calls] == ["Werkplek heeft geen netwerk"]


def test_manager_sees_impact_within_own_organisation_only(world, cmdb_world):
    report = world.read(cmdb.impact, actor=world.contract_manager,
                        ci_id=cmdb_world["DRE-WS-0007"])
    assert report.affected == ()
    assert [c.subject for c in report.open_calls] == ["Werkplek heeft geen netwerk"]


def test_manager_sees_what_an_outage_takes_down_of_their_own_beyond_the_desks_gear(
    world, cmdb_world
):
    with write_session(world.db) as session:
        firewall = add_ci(session, world.other_organisation, ci_type=CiType.NETWERKAPPARAAT,
                          name="DRE-FW-01")
        session.add(CiRelation(from_ci_id=cmdb_world["CS-RC-01"], to_ci_id=firewall.id,
                               kind=CONNECTED_TO))
    everything = world.read(cmdb.impact, actor=world.agent, ci_id=firewall.id)
    assert [(n.name, n.has_more) for n in everything.affected] == [
        ("CS-RC-01", True), ("DRE-WS-0007", False), ("SRV-DC-01", True),
        ("Key2Burgerzaken", True), ("Burgerportaal", False),
    ]
    own = world.read(cmdb.impact, actor=world.contract_manager, ci_id=firewall.id)
    # Reached through the desk's switch, which the manager does not see.
    assert [n.name for n in own.affected] == ["DRE-WS-0007"]
    assert [(c.subject, c.via_ci) for c in own.open_calls] == [
        ("Werkplek heeft geen netwerk", "DRE-WS-0007"),
    ]


# -- certificates and licences ---------------------------------------------------------------
def test_expiring_within_90_days_soonest_first_expired_included(world, cmdb_world):
    rows = world.read(cmdb.expiring, actor=world.agent, today=cmdb_world.today)
    assert [(r.name, r.days_left) for r in rows] == [
        ("vpn.drechterland.nl", -1),  # expired yesterday
        ("portal.enkhuizen.nl", 0),  # expires today
        ("*.enkhuizen.nl", 30),
        ("mail.enkhuizen.nl", 31),
        ("ArcGIS Pro", 75),  # a licence
    ]  # not the retired certificate, not the licence 91 days away
    assert rows[2].attributes == {"issuer": "Sectigo"}
    assert rows[0].organisation == "Gemeente Drechterland"


def test_expiring_window_edges(world, cmdb_world):
    today = cmdb_world.today
    within_30 = world.read(cmdb.expiring, actor=world.agent, today=today, within_days=30,
                           ci_types=(CiType.CERTIFICAAT,))
    assert [r.name for r in within_30] == [
        "vpn.drechterland.nl", "portal.enkhuizen.nl", "*.enkhuizen.nl",
    ]  # exactly 30 days is in, 31 is not
    tomorrow = world.read(cmdb.expiring, actor=world.agent, today=today + timedelta(days=1),
                          within_days=30, ci_types=(CiType.CERTIFICAAT,))
    assert [(r.name, r.days_left) for r in tomorrow][:2] == [
        ("vpn.drechterland.nl", -2), ("portal.enkhuizen.nl", -1),
    ]
    assert "mail.enkhuizen.nl" in {r.name for r in tomorrow}


def test_certificate_warning_counts_expired_and_due(world, cmdb_world):
    today = cmdb_world.today
    assert world.read(cmdb.certificate_warning, actor=world.agent, today=today) == (1, 2)
    # A day later the one expiring today has expired and the 31-day one is due.
    later = today + timedelta(days=1)
    assert world.read(cmdb.certificate_warning, actor=world.agent, today=later) == (2, 2)
    assert world.read(cmdb.certificate_warning, actor=world.contract_manager,
                      today=today) == (1, 0)


def test_manager_sees_own_certificates_only(world, cmdb_world):
    rows = world.read(cmdb.expiring, actor=world.contract_manager, today=cmdb_world.today)
    assert [r.name for r in rows] == ["vpn.drechterland.nl"]


# -- contracts -------------------------------------------------------------------------------
def test_all_contracts_soonest_end_first_open_ended_last(world, cmdb_world):
    rows = world.read(cmdb.contracts, actor=world.agent, today=cmdb_world.today)
    assert [r.number for r in rows] == [
        "2020-001", "2024-017", "2026-050", "2023-100", "2025-009",
    ]
    open_ended = rows[-1]
    assert open_ended.ends_on is None and open_ended.notice_by is None
    assert open_ended.organisation is None and open_ended.ci_count == 0


def test_contracts_ending_soon_by_end_or_notice_date(world, cmdb_world):
    today = cmdb_world.today

    def ending(days):
        rows = world.read(cmdb.contracts, actor=world.agent, today=today,
                          ending_within_days=days)
        return [r.number for r in rows]

    # 2026-050 ends in June but must be cancelled by 30 December: 30 days from now.
    assert ending(30) == ["2026-050"]
    # 2024-017 must be cancelled by 31 December (31 days), ends 31 January (62 days).
    assert ending(31) == ["2024-017", "2026-050"]
    assert ending(29) == []  # the ended contract 2020-001 is not "ending"


def test_manager_sees_own_contracts_only(world, cmdb_world):
    rows = world.read(cmdb.contracts, actor=world.contract_manager, today=cmdb_world.today)
    assert [(r.number, r.ci_count) for r in rows] == [("2023-100", 1)]


def test_a_contract_in_full_lists_the_cis_it_covers_by_type_then_name(world, cmdb_world):
    detail = world.read(cmdb.contract_detail, actor=world.agent,
                        contract_id=cmdb_world.contract["2024-017"])
    assert detail.contract.number == "2024-017" and detail.contract.supplier == "Centric"
    assert detail.contract.ci_count == 2
    assert detail.contract.notice_by == date(2026, 12, 31)
    # An application before a server: by type, then name.
    assert [(hit.ci_type, hit.name) for hit in detail.cis] == [
        (CiType.APPLICATIE, "Key2Burgerzaken"), (CiType.SERVER, "SRV-DC-01")]
    assert detail.cis[0].organisation == "Gemeente Enkhuizen"
    empty = world.read(cmdb.contract_detail, actor=world.agent,
                       contract_id=cmdb_world.contract["2025-009"])
    assert empty.cis == () and empty.contract.organisation is None


def test_a_contract_of_another_organisation_does_not_exist_for_a_manager(world, cmdb_world):
    own = world.read(cmdb.contract_detail, actor=world.contract_manager,
                     contract_id=cmdb_world.contract["2023-100"])
    assert [hit.name for hit in own.cis] == ["DRE-WS-0007"]
    for number in ("2024-017", "2025-009"):  # Enkhuizen's, and the desk's own
        with pytest.raises(NotFound):
            world.read(cmdb.contract_detail, actor=world.contract_manager,
                       contract_id=cmdb_world.contract[number])
    with pytest.raises(NotFound):
        world.read(cmdb.contract_detail, actor=world.agent, contract_id=uuid.uuid4())


def test_licences_in_use_soonest_expiry_first_with_the_cis_that_use_them(world, cmdb_world):
    with write_session(world.db) as session:
        office = add_ci(session, world.organisation, ci_type=CiType.LICENTIE,
                        name="Microsoft 365 E3 (ENK)",
                        attributes={"vendor": "Microsoft", "product": "M365 E3", "seats": 250,
                                    "seats_in_use": "180"})
        add_ci(session, world.organisation, ci_type=CiType.LICENTIE, name="Oud Office",
               status=CiStatus.UIT_GEBRUIK)
        lease = add_ci(session, world.other_organisation, ci_type=CiType.LICENTIE,
                       name="Autodesk (DRE)", expires_on=cmdb_world.today,
                       attributes={"seats": "veel"})
        for licence, user in ((office.id, "Burgerportaal"), (office.id, "Key2Burgerzaken"),
                              (lease.id, "DRE-WS-0007"), (lease.id, "SRV-DC-01")):
            session.add(CiRelation(from_ci_id=licence, to_ci_id=cmdb_world[user],
                                   kind=USED_BY))
    rows = world.read(cmdb.licences, actor=world.agent)
    assert [row.name for row in rows] == [
        "Autodesk (DRE)", "ArcGIS Pro", "Adobe Acrobat Pro", "Microsoft 365 E3 (ENK)"]
    office_row = rows[-1]
    assert (office_row.vendor, office_row.product, office_row.seats,
            office_row.seats_in_use, office_row.expires_on) == (
        "Microsoft", "M365 E3", 250, 180, None)
    assert office_row.for_cis == ("Burgerportaal", "Key2Burgerzaken")
    assert rows[0].seats is None  # "veel" is no number
    # The manager sees Drechterland's licence, and of its users only their own.
    [own] = world.read(cmdb.licences, actor=world.contract_manager)
    assert own.name == "Autodesk (DRE)" and own.for_cis == ("DRE-WS-0007",)


# -- through the Desk, as the console calls it ----------------------------------------------
def test_desk_counts_days_in_the_sla_timezone(world, cmdb_world):
    # 23:30 UTC on 30 November is already 1 December in Amsterdam.
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    desk = Desk(world.db, world.sla, lambda: late)
    assert desk.today() == date(2026, 12, 1)
    assert desk.certificate_warning(world.agent) == (2, 2)
    rows = desk.expiring(world.agent, within_days=0)
    assert [(r.name, r.days_left) for r in rows] == [
        ("vpn.drechterland.nl", -2), ("portal.enkhuizen.nl", -1),
    ]
    detail = desk.ci_detail(world.agent, cmdb_world["SRV-DC-01"])
    assert detail.calls[0].registered_at.isoformat() == "2026-11-30T09:30:00+01:00"
    impact = desk.ci_impact(world.agent, cmdb_world["Key2Burgerzaken"])
    assert [n.name for n in impact.affected] == ["Burgerportaal"]
    assert [h.name for h in desk.search_cis(world.agent, "srv-dc")] == ["SRV-DC-01"]
    assert {n.name for n in desk.ci_neighbours(world.agent, cmdb_world["CS-RC-01"])} == {
        "SRV-DC-01", "DRE-WS-0007",
    }
    assert [c.number for c in desk.contracts(world.agent, ending_within_days=30)] == [
        "2024-017", "2026-050",  # from 1 December, 31 December is 30 days away
    ]
