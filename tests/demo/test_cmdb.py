"""The demo's CMDB reads like a real one: searchable as the services would index it,
billed configurations, service periods, certificates to watch, relations an outage can
follow, contracts and history."""

from __future__ import annotations

import random
import uuid
from collections import Counter, defaultdict

from sqlalchemy import insert, select, text

from desk_tui.demo.cmdb import build_cmdb
from desk_tui.demo.cmdb_catalogue import DEVICE_CONFIGURATIONS, LICENCE_PRODUCTS
from desk_tui.demo.contracts import LINKED_SAMPLE
from desk_tui.demo.ids import IdFactory
from desk_tui.demo.organisations import build_parties
from desk_tui.demo.world import World
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import CiHistoryField, CiRelationKind, CiStatus, CiType, ContractKind
from desk_tui.store.models import (
    CiHistory,
    CiRelation,
    ConfigurationItem,
    Contract,
    ContractCi,
    Organisation,
)
from desk_tui.store.search import ci_search_text, matching_ci_ids
from tests.demo.support import NOW, Demo

CI = ConfigurationItem
TODAY = NOW.date()
# What the services would write as search text: the row, its owner and organisation.
_INDEXED = """
SELECT ci.id, ci.search_text, ci.name, ci.asset_tag, ci.serial_number, ci.hostname,
       ci.ip_address, ci.location, ci.configuration, p.name, p.login, o.name, o.code
FROM configuration_item ci
LEFT JOIN person p ON p.id = ci.owner_id
LEFT JOIN organisation o ON o.id = ci.organisation_id
"""


def test_every_item_carries_the_search_text_the_services_would_write(demo: Demo) -> None:
    with read_session(demo.engine) as session:
        rows = session.execute(text(_INDEXED)).all()
    owned = 0
    for row in rows:
        expected = ci_search_text(
            name=row[2], asset_tag=row[3], serial_number=row[4], hostname=row[5],
            ip_address=row[6], location=row[7], configuration=row[8], owner_name=row[9],
            owner_login=row[10], organisation_name=row[11], organisation_code=row[12],
        )
        assert row[1] == expected, row[2]
        owned += row[10] is not None and row[10] in row[1]
    assert owned > len(rows) // 3  # owners' logins are in it


def test_items_are_found_by_tag_owner_login_and_address_and_later_ones_too(
    demo: Demo,
) -> None:
    """The index is built after the bulk insert; it must hold every item and still follow
    rows written afterwards."""
    with read_session(demo.engine) as session:
        device = session.execute(text(
            "SELECT ci.id, ci.asset_tag, p.login, ci.hostname FROM configuration_item ci"
            " JOIN person p ON p.id = ci.owner_id WHERE ci.ci_type = 'werkplek'"
            " ORDER BY ci.name LIMIT 1"
        )).one()
        printer = session.execute(
            select(CI.id, CI.ip_address).where(CI.ci_type == CiType.PRINTER).limit(1)
        ).one()
        device_id = uuid.UUID(str(device[0])) if not isinstance(device[0], uuid.UUID) else (
            device[0])
        connection = session.connection()
        assert matching_ci_ids(connection, device[1], 5) == [device_id]
        assert device_id in matching_ci_ids(connection, f"{device[2]} {device[3]}", 50)
        assert printer.id in matching_ci_ids(connection, printer.ip_address, 5)
    added = uuid.uuid4()
    with write_session(demo.engine) as session:
        session.execute(insert(CI.__table__).values(
            id=added, created_at=NOW, updated_at=NOW, ci_type=CiType.LAPTOP,
            name="LT-NIEUW-1", status=CiStatus.VOORRAAD, attributes={},
            search_text="LT-NIEUW-1 Zoekbaar",
        ))
    with read_session(demo.engine) as session:
        assert matching_ci_ids(session.connection(), "zoekba", 5) == [added]
        if demo.engine.dialect.name == "postgresql":  # the trigram index came back
            trigrams = session.execute(text(
                "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")).scalar()
            indexes = session.execute(text(
                "SELECT count(*) FROM pg_indexes WHERE indexname = 'ci_search_trgm'")).scalar()
            assert indexes == trigrams


def test_configurations_and_service_periods_are_believable(demo: Demo) -> None:
    with read_session(demo.engine) as session:
        items = session.execute(
            select(CI.ci_type, CI.configuration, CI.status, CI.in_service_on, CI.retired_on,
                   CI.organisation_id)
        ).all()
        ended = session.execute(
            select(Organisation.id, Organisation.contract_end)
            .where(Organisation.contract_end.is_not(None))
        ).one()
    configurations: dict[CiType, set[str]] = defaultdict(set)
    for ci_type, configuration, status, in_service, retired, organisation_id in items:
        assert configuration, ci_type
        configurations[ci_type].add(configuration)
        if organisation_id == ended.id:
            assert status is CiStatus.UIT_GEBRUIK and retired == ended.contract_end
        elif status is CiStatus.UIT_GEBRUIK:
            assert in_service is not None and retired is not None
            assert in_service < retired < TODAY
        elif status in (CiStatus.VOORRAAD, CiStatus.GEPLAND):
            assert in_service is None and retired is None
        else:
            assert in_service is not None and in_service < TODAY and retired is None
    for ci_type, offered in DEVICE_CONFIGURATIONS.items():
        assert configurations[ci_type] <= {configuration.name for configuration in offered}
    assert configurations[CiType.SERVER] == {"fysiek", "virtueel"}
    assert configurations[CiType.APPLICATIE] == {"gehost", "saas"}
    statuses = Counter(status for _, _, status, *_ in items)
    assert statuses[CiStatus.IN_GEBRUIK] > len(items) // 2
    assert statuses[CiStatus.VOORRAAD] and statuses[CiStatus.UIT_GEBRUIK]


def _world() -> tuple[World, dict[uuid.UUID, str | None]]:
    world = World(NOW, random.Random(3), IdFactory(4))
    parties = build_parties(world, 60)
    return world, {person["id"]: person["login"] for person in parties.people}


def test_certificates_expire_in_every_watch_window_and_most_much_later() -> None:
    world, logins = _world()
    rows = build_cmdb(world, 3_000, logins)
    certificates = [row for row in rows.items if row["ci_type"] is CiType.CERTIFICAAT]
    days = [(row["expires_on"] - TODAY).days for row in certificates]
    expired = sum(day < 0 for day in days)
    windows = [sum(low < day <= high for day in days) for low, high in
               ((-1, 30), (30, 60), (60, 90))]
    assert 1 <= expired <= len(days) // 10
    assert all(count >= 2 for count in windows), windows
    assert sum(day > 90 for day in days) > len(days) // 2
    used = {relation["from_ci_id"] for relation in rows.relations
            if relation["kind"] is CiRelationKind.USED_BY}
    for row in certificates:
        attributes = row["attributes"]
        assert attributes["issuer"] and attributes["common_name"] in attributes["san"]
        assert row["in_service_on"] < TODAY and row["id"] in used


def test_licences_have_seats_a_product_and_the_application_they_are_for() -> None:
    world, logins = _world()
    rows = build_cmdb(world, 3_000, logins)
    licences = {row["id"]: row for row in rows.items if row["ci_type"] is CiType.LICENTIE}
    names = {row["id"]: row["name"] for row in rows.items}
    for row in licences.values():
        attributes = row["attributes"]
        assert attributes["product"] and 0 < attributes["seats_in_use"] <= attributes["seats"]
        assert row["in_service_on"] < TODAY < row["expires_on"]
    for_application = {relation["from_ci_id"]: names[relation["to_ci_id"]]
                       for relation in rows.relations if relation["from_ci_id"] in licences}
    assert for_application
    meant_for = {product.product: product.application for product in LICENCE_PRODUCTS}
    for licence_id, application in for_application.items():
        licence = licences[licence_id]
        organisation_code = licence["name"].rsplit("(", 1)[1].rstrip(")")
        assert application == f"{meant_for[licence['attributes']['product']]} {organisation_code}"


def test_an_outage_spreads_along_chains_of_relations(demo: Demo) -> None:
    """Host ← virtual machine ← application ← application; firewall ← core switch ←
    site switch ← workplace; certificate → application; Citrix → thin client."""
    with read_session(demo.engine) as session:
        kinds = {row.id: (row.ci_type, row.attributes, row.name) for row in session.execute(
            select(CI.id, CI.ci_type, CI.attributes, CI.name))}
        relations = session.execute(
            select(CiRelation.from_ci_id, CiRelation.kind, CiRelation.to_ci_id)).all()
    seen = {(kinds[a][0], kind, kinds[b][0]) for a, kind, b in relations}
    for expected in (
        (CiType.SERVER, CiRelationKind.RUNS_ON, CiType.SERVER),
        (CiType.APPLICATIE, CiRelationKind.RUNS_ON, CiType.SERVER),
        (CiType.APPLICATIE, CiRelationKind.DEPENDS_ON, CiType.APPLICATIE),
        (CiType.APPLICATIE, CiRelationKind.DEPENDS_ON, CiType.SERVER),
        (CiType.WERKPLEK, CiRelationKind.CONNECTED_TO, CiType.NETWERKAPPARAAT),
        (CiType.PRINTER, CiRelationKind.CONNECTED_TO, CiType.NETWERKAPPARAAT),
        (CiType.NETWERKAPPARAAT, CiRelationKind.CONNECTED_TO, CiType.NETWERKAPPARAAT),
        (CiType.CERTIFICAAT, CiRelationKind.USED_BY, CiType.APPLICATIE),
        (CiType.APPLICATIE, CiRelationKind.USED_BY, CiType.WERKPLEK),
    ):
        assert expected in seen, expected
    for source, kind, target in relations:
        if kind is CiRelationKind.RUNS_ON and kinds[source][0] is CiType.SERVER:
            assert kinds[source][1]["virtual"] and not kinds[target][1]["virtual"]
        if kinds[source][0] is CiType.APPLICATIE and kind is CiRelationKind.USED_BY:
            assert kinds[source][2].startswith("Citrix")
            assert kinds[target][1]["os"] == "IGEL OS 12"  # a thin client
    # Every application but sign-in itself leans on sign-in.
    [sign_in] = [ci_id for ci_id, (_, _, name) in kinds.items()
                 if name == "Microsoft Entra ID DSM"]
    leaning = {source for source, kind, target in relations
               if kind is CiRelationKind.DEPENDS_ON and target == sign_in}
    applications = {ci_id for ci_id, (ci_type, _, _) in kinds.items()
                    if ci_type is CiType.APPLICATIE}
    assert applications - {sign_in} == leaning


def test_contracts_cover_their_organisations_items_and_some_end_soon(demo: Demo) -> None:
    with read_session(demo.engine) as session:
        contracts = session.execute(select(Contract)).scalars().all()
        links = session.execute(
            select(ContractCi.contract_id, CI.organisation_id, CI.ci_type, CI.status)
            .join(CI, CI.id == ContractCi.ci_id)
        ).all()
        organisations = {row.id: row for row in session.execute(
            select(Organisation.id, Organisation.contract_end))}
    covered: dict[uuid.UUID, list] = defaultdict(list)
    for contract_id, *item in links:
        covered[contract_id].append(item)
    ending = [(contract.ends_on - TODAY).days for contract in contracts
              if contract.ends_on is not None and contract.ends_on >= TODAY]
    for window in (30, 60, 90):
        assert any(window - 30 < days <= window for days in ending), window
    assert any(contract.renews_automatically for contract in contracts)
    assert any(contract.ends_on is None for contract in contracts)
    kinds = {contract.kind for contract in contracts}
    assert {ContractKind.ONDERHOUD, ContractKind.LICENTIE, ContractKind.CERTIFICAAT} <= kinds
    for contract in contracts:
        items = covered[contract.id]
        assert len(items) <= LINKED_SAMPLE
        assert len({contract.number for contract in contracts}) == len(contracts)
        if contract.organisation_id is None:
            continue
        assert all(organisation_id == contract.organisation_id
                   for organisation_id, _, _ in items), contract.title
        ended = organisations[contract.organisation_id].contract_end
        if ended is not None:
            assert contract.ends_on == ended and not contract.renews_automatically
        else:
            assert all(status is not CiStatus.UIT_GEBRUIK for _, _, status in items)
        if contract.title.startswith("Hardware-onderhoud"):
            assert items and {ci_type for _, ci_type, _ in items} <= {CiType.WERKPLEK,
                                                                       CiType.LAPTOP}
    servicedesk = [contract for contract in contracts if contract.organisation_id is None]
    assert any(contract.kind is ContractKind.CERTIFICAAT and covered[contract.id]
               for contract in servicedesk)


def test_history_tells_creation_retirement_repair_and_renewal(demo: Demo) -> None:
    with read_session(demo.engine) as session:
        items = {row.id: row for row in session.execute(
            select(CI.id, CI.ci_type, CI.status, CI.created_at, CI.updated_at))}
        history = session.execute(select(CiHistory)).scalars().all()
    by_item: dict[uuid.UUID, list[CiHistory]] = defaultdict(list)
    for entry in history:
        item = items[entry.ci_id]
        assert item.created_at <= entry.at <= demo.now and entry.at <= item.updated_at
        by_item[entry.ci_id].append(entry)
    for ci_id, item in items.items():
        fields = Counter(entry.field for entry in by_item[ci_id])
        recorded = item.ci_type in (CiType.SERVER, CiType.APPLICATIE, CiType.CERTIFICAAT)
        assert fields[CiHistoryField.CREATED] == (1 if recorded else 0), item.ci_type
        if item.status in (CiStatus.UIT_GEBRUIK, CiStatus.IN_REPARATIE):
            [change] = [entry for entry in by_item[ci_id]
                        if entry.field is CiHistoryField.STATUS]
            assert change.new_value == item.status.value != change.old_value
            assert change.note
    renewals = [entry for entry in history if entry.field is CiHistoryField.EXPIRES_ON]
    assert renewals and all(entry.old_value < entry.new_value for entry in renewals)
    assert len(history) < len(items)  # a sample, not a row per item


def test_retired_devices_are_not_what_calls_are_about(demo: Demo) -> None:
    """Calls link only to items in use (or in repair) of their own organisation; the
    participant that left made its calls while its items were still in use."""
    with read_session(demo.engine) as session:
        statuses = Counter(session.execute(text(
            "SELECT ci.status, o.contract_end IS NOT NULL FROM call_ci l"
            " JOIN configuration_item ci ON ci.id = l.ci_id"
            " LEFT JOIN organisation o ON o.id = ci.organisation_id"
        )).all())
    for (status, ended), count in statuses.items():
        assert ended or status in (CiStatus.IN_GEBRUIK.value, CiStatus.IN_REPARATIE.value), (
            status, count)
    assert sum(statuses.values()) > 0
