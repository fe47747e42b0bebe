"""Registering and changing CIs on both engines: validation, search text, history, rights."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date

import pytest
from sqlalchemy import select

from desk_tui.services.access import Actor
from desk_tui.services.cmdb_write import CiDraft, register_ci, update_ci, validate_ci
from desk_tui.services.errors import InvalidInput, NotFound, Refused
from desk_tui.services.queries import actor_for
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import CiHistoryField, CiStatus, CiType, OperatorRole
from desk_tui.store.models import CiHistory, ConfigurationItem, Operator, OperatorRoleGrant
from desk_tui.store.search import matching_ci_ids
from tests.world import MONDAY_9, World, at


def add_operator(world: World, login: str, *roles: OperatorRole, **extra) -> Actor:
    """An operator with these roles, as the services see them."""
    with write_session(world.db) as session:
        operator = Operator(login=login, display_name=login.title(), **extra)
        session.add(operator)
        session.flush()
        for role in roles:
            session.add(OperatorRoleGrant(operator_id=operator.id, role=role))
    with read_session(world.db) as session:
        return actor_for(session, login)


@pytest.fixture
def admin(world: World) -> Actor:
    return add_operator(world, "beheer", OperatorRole.ADMINISTRATOR)


def laptop(world: World, **changes) -> CiDraft:
    base = CiDraft(
        ci_type=CiType.LAPTOP, name="ENK-LT-0007", asset_tag="LT-000007",
        serial_number="5CG1234XYZ", hostname="enk-lt-0007", ip_address="10.12.3.4",
        location="Stadhuis, 2e verdieping", owner_id=world.caller.id,
        organisation_id=world.organisation.id, configuration="standaard",
    )
    return replace(base, **changes)


def register(world: World, actor: Actor, draft: CiDraft, now=MONDAY_9):
    with write_session(world.db) as session:
        return register_ci(session=session, actor=actor, draft=draft, now=now)


def update(world: World, actor: Actor, ci_id, now=MONDAY_9, **changes):
    with write_session(world.db) as session:
        return update_ci(session=session, actor=actor, ci_id=ci_id, changes=changes, now=now)


def found(world: World, typed: str) -> list:
    with read_session(world.db) as session:
        return matching_ci_ids(session.connection(), typed)


def history(world: World, ci_id) -> list[tuple]:
    with read_session(world.db) as session:
        return session.execute(
            select(CiHistory.field, CiHistory.old_value, CiHistory.new_value, CiHistory.note)
            .where(CiHistory.ci_id == ci_id).order_by(CiHistory.at, CiHistory.field)
        ).all()


def test_a_registered_ci_is_found_by_owner_organisation_and_addresses(world, admin):
    ci_id = register(world, world.agent, laptop(world))
    for typed in ("ajansen", "Anouk", "LT-000007", "5CG1234", "10.12.3", "enk-lt", "Stadhuis",
                  "Enkhuizen ENK-LT", "ENK Anouk", "standaard"):
        assert found(world, typed) == [ci_id], typed
    assert history(world, ci_id) == [(CiHistoryField.CREATED, None, "ENK-LT-0007", None)]
    with read_session(world.db) as session:
        stored = session.get(ConfigurationItem, ci_id)
    assert stored.status is CiStatus.IN_GEBRUIK and stored.configuration == "standaard"


def test_text_is_trimmed_and_the_ip_address_canonical(world):
    draft = validate_ci(
        laptop(world, name="  ENK-LT-0007 ", location="", ip_address="2001:DB8::0001")
    )
    assert draft.name == "ENK-LT-0007" and draft.location is None
    assert draft.ip_address == "2001:db8::1"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "   "}, "name", "name is required"),
        ({"name": "x" * 201}, "name", "at most 200 fit"),
        ({"asset_tag": "T" * 101}, "asset_tag", "at most 100 fit"),
        ({"hostname": "h" * 256}, "hostname", "at most 255 fit"),
        ({"ip_address": "10.0.0.256"}, "ip_address", "is not an IP address"),
        ({"ip_address": "srv-01"}, "ip_address", "is not an IP address"),
        ({"in_service_on": date(2026, 5, 1), "retired_on": date(2026, 4, 30)}, "retired_on",
         "before in service"),
        ({"ci_type": CiType.CERTIFICAAT}, "expires_on", "needs an expiry date"),
        ({"ci_type": "koffiezetapparaat"}, "ci_type", "unknown CI type"),
        ({"status": "kapot"}, "status", "unknown status"),
    ],
)
def test_what_cannot_be_stored_is_refused_naming_the_field(world, changes, field, message):
    with pytest.raises(InvalidInput) as refused:
        validate_ci(laptop(world, **changes))
    assert refused.value.field == field
    assert message in str(refused.value)


def test_a_certificate_with_an_expiry_date_and_a_retirement_on_the_start_day_are_fine(world):
    validate_ci(laptop(world, ci_type=CiType.CERTIFICAAT, expires_on=date(2027, 1, 31)))
    same_day = date(2026, 5, 1)
    validate_ci(laptop(world, in_service_on=same_day, retired_on=same_day))


def test_an_asset_tag_and_an_external_reference_belong_to_one_ci(world):
    register(world, world.agent, laptop(world, external_ref="TD-1"))
    with pytest.raises(InvalidInput) as refused:
        register(world, world.agent, laptop(world, name="Other", external_ref="TD-2"))
    assert refused.value.field == "asset_tag" and "'ENK-LT-0007'" in str(refused.value)
    with pytest.raises(InvalidInput) as refused:
        register(world, world.agent, laptop(world, asset_tag="LT-9", external_ref="TD-1"))
    assert refused.value.field == "external_ref"


def test_the_owner_must_work_at_the_cis_organisation(world):
    with pytest.raises(InvalidInput) as refused:
        register(world, world.agent, laptop(world, owner_id=world.stranger.id))
    assert refused.value.field == "owner_id"


def test_own_infrastructure_has_no_organisation(world):
    ci_id = register(world, world.agent, laptop(world, owner_id=None, organisation_id=None))
    with read_session(world.db) as session:
        assert session.get(ConfigurationItem, ci_id).organisation_id is None


def test_who_may_register(world, admin):
    register(world, admin, laptop(world, asset_tag="LT-1"))
    for actor in (world.contract_manager, world.nobody):
        with pytest.raises(Refused):
            register(world, actor, laptop(world, asset_tag="LT-2"))


def test_each_tracked_change_leaves_a_history_row_and_refreshes_the_search(world):
    ci_id = register(world, world.agent, laptop(world))
    changed = update(
        world, world.agent, ci_id, now=at("2026-12-01 10:00"), owner_id=None,
        location="Werkplaats", configuration="zwaar", expires_on=date(2029, 1, 1),
        hostname="enk-lt-0099",
    )
    assert set(changed) == {"owner_id", "location", "configuration", "expires_on", "hostname"}
    rows = history(world, ci_id)[1:]
    assert sorted(rows) == sorted([
        (CiHistoryField.OWNER, "Anouk Jansen (ajansen)", None, None),
        (CiHistoryField.LOCATION, "Stadhuis, 2e verdieping", "Werkplaats", None),
        (CiHistoryField.CONFIGURATION, "standaard", "zwaar", None),
        (CiHistoryField.EXPIRES_ON, None, "2029-01-01", None),
    ])
    assert found(world, "ajansen") == []
    assert found(world, "Werkplaats") == [ci_id]
    assert found(world, "enk-lt-0099") == [ci_id]


def test_moving_to_another_organisation_is_recorded_by_code(world):
    ci_id = register(world, world.agent, laptop(world, owner_id=None))
    update(world, world.agent, ci_id, organisation_id=world.other_organisation.id)
    assert history(world, ci_id)[-1][:3] == (CiHistoryField.ORGANISATION, "ENK", "DRE")
    assert found(world, "Drechterland ENK-LT") == [ci_id]
    assert found(world, "Enkhuizen ENK-LT") == []


def test_taking_out_of_use_dates_the_retirement_on_the_local_day(world):
    ci_id = register(world, world.agent, laptop(world, in_service_on=date(2024, 2, 1)))
    # 00:30 in Amsterdam on 1 December is still 30 November in UTC.
    update(world, world.agent, ci_id, now=at("2026-12-01 00:30").astimezone(UTC),
           status=CiStatus.UIT_GEBRUIK)
    with read_session(world.db) as session:
        stored = session.get(ConfigurationItem, ci_id)
    assert stored.retired_on == date(2026, 12, 1)
    assert history(world, ci_id)[-1][:3] == (CiHistoryField.STATUS, "in-gebruik", "uit-gebruik")


def test_a_given_retirement_date_is_kept(world):
    ci_id = register(world, world.agent, laptop(world))
    update(world, world.agent, ci_id, status=CiStatus.UIT_GEBRUIK, retired_on=date(2026, 6, 30))
    with read_session(world.db) as session:
        assert session.get(ConfigurationItem, ci_id).retired_on == date(2026, 6, 30)


def test_putting_into_use_dates_the_start_and_clears_a_retirement(world):
    ci_id = register(world, world.agent, laptop(world, status=CiStatus.VOORRAAD),
                     now=at("2026-01-05 09:00"))
    update(world, world.agent, ci_id, now=at("2026-03-02 09:00"), status=CiStatus.IN_GEBRUIK)
    update(world, world.agent, ci_id, now=at("2026-09-01 09:00"), status=CiStatus.UIT_GEBRUIK)
    update(world, world.agent, ci_id, now=at("2026-10-05 09:00"), status=CiStatus.IN_GEBRUIK)
    with read_session(world.db) as session:
        stored = session.get(ConfigurationItem, ci_id)
    assert stored.in_service_on == date(2026, 3, 2)  # the first start is kept
    assert stored.retired_on is None
    assert history(world, ci_id)[-1] == (
        CiHistoryField.STATUS, "uit-gebruik", "in-gebruik",
        "retired_on 2026-09-01 cleared: back in use",
    )


def test_an_update_that_changes_nothing_leaves_no_history(world):
    ci_id = register(world, world.agent, laptop(world))
    assert update(world, world.agent, ci_id, location="Stadhuis, 2e verdieping") == ()
    assert len(history(world, ci_id)) == 1


def test_updates_refuse_unknown_fields_missing_cis_and_outsiders(world):
    ci_id = register(world, world.agent, laptop(world))
    with pytest.raises(InvalidInput) as refused:
        update(world, world.agent, ci_id, colour="red")
    assert refused.value.field == "colour"
    with pytest.raises(NotFound):
        update(world, world.agent, world.caller.id, location="x")
    with pytest.raises(Refused):
        update(world, world.contract_manager, ci_id, location="x")
    with pytest.raises(InvalidInput):
        update(world, world.agent, ci_id, ip_address="999.1.1.1")
