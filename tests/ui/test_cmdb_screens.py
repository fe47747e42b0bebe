"""The CMDB in the console on a real database: search as you type, the CI in full, the
relation tree both ways, the impact view, the lookup pane in the call view and at intake,
the expiry list and the queue's warning, the contracts and one contract in full."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from textual.widgets import Input, TabbedContent

from desk_tui.services import calls
from desk_tui.services.calls import Saved
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import (
    CallStatus,
    CiHistoryField,
    CiRelationKind,
    CiStatus,
    CiType,
    ContractKind,
)
from desk_tui.store.models import (
    CallCi,
    CiHistory,
    CiRelation,
    ConfigurationItem,
    Contract,
    ContractCi,
    Organisation,
    Person,
)
from desk_tui.store.search import ci_search_text
from desk_tui.ui.screens.call import CallScreen
from desk_tui.ui.screens.ci_impact import ImpactScreen
from desk_tui.ui.screens.ci_lookup import CiLookup
from desk_tui.ui.screens.cmdb import CmdbScreen, RelationTree
from desk_tui.ui.screens.contracts import ContractScreen, ContractsScreen
from desk_tui.ui.screens.dialogs import ChoicePrompt
from desk_tui.ui.screens.expiry import ExpiryScreen
from desk_tui.ui.screens.intake import IntakeScreen
from desk_tui.ui.widgets.ci_search import CiSearch
from desk_tui.ui.widgets.expiry_banner import ExpiryBanner, warning_text
from desk_tui.ui.widgets.fact_grid import FactGrid
from desk_tui.ui.widgets.option_rows import OptionRows
from tests.services.test_calls import register
from tests.ui.app_harness import APP_SIZE, FROZEN_NOW, make_test_app, wait_for
from tests.world import World, at

TODAY = FROZEN_NOW.date()  # Monday 30 November 2026
ODD_NAME = "[bold]Evil[/] \x1b]0;pwned\x07 [/"
ODD_SHOWN = "[bold]Evil[/] ␛]0;pwned␇ [/"


@dataclass
class Cmdb:
    server: uuid.UUID
    database: uuid.UUID
    application: uuid.UUID
    switch: uuid.UUID
    workstation: uuid.UUID
    certificate: uuid.UUID
    odd: uuid.UUID
    call_on_application: Saved


def add_ci(session, ci_type: CiType, name: str, organisation: Organisation | None,
           owner: Person | None = None, **columns) -> uuid.UUID:
    """A CI with its search text, as every writing path must store it."""
    item = ConfigurationItem(
        ci_type=ci_type, name=name, organisation_id=organisation.id if organisation else None,
        owner_id=owner.id if owner else None,
        search_text=ci_search_text(
            name=name, asset_tag=columns.get("asset_tag"), hostname=columns.get("hostname"),
            ip_address=columns.get("ip_address"), location=columns.get("location"),
            serial_number=columns.get("serial_number"),
            owner_name=owner.name if owner else None, owner_login=owner.login if owner else None,
            organisation_name=organisation.name if organisation else None,
            organisation_code=organisation.code if organisation else None,
        ),
        **columns,
    )
    session.add(item)
    session.flush()
    return item.id


def relate(session, source: uuid.UUID, kind: CiRelationKind, target: uuid.UUID) -> None:
    session.add(CiRelation(from_ci_id=source, to_ci_id=target, kind=kind))


def build_cmdb(world: World) -> Cmdb:
    """A small CMDB around the world's workstation: a server that hosts Key2, its database,
    a switch, certificates in every window, contracts, history and open calls."""
    org = world.organisation
    with write_session(world.db) as session:
        workstation = session.get(ConfigurationItem, world.workstation.id)
        owner = session.get(Person, world.caller.id)
        workstation.owner_id = owner.id
        workstation.asset_tag = "ENK-0042"
        workstation.location = "Stadhuis, 1e verdieping"
        workstation.configuration = "standaard"
        workstation.attributes = {"model": "HP EliteDesk 800 G9", "os": "Windows 11",
                                  "ram_gb": 16, "encrypted": True}
        workstation.search_text = ci_search_text(
            name=workstation.name, asset_tag="ENK-0042", hostname=workstation.hostname,
            location=workstation.location, owner_name=owner.name, owner_login=owner.login,
            organisation_name=org.name, organisation_code=org.code)
        server = add_ci(session, CiType.SERVER, "SRV-APP-01", None, hostname="srv-app-01",
                        ip_address="10.10.0.5", location="Datacentrum",
                        attributes={"role": "applicatie", "os": "Windows Server 2022",
                                    "vcpu": 8, "ram_gb": 32, "virtual": True})
        database = add_ci(session, CiType.SERVER, "SRV-DB-01", None, hostname="srv-db-01",
                          attributes={"role": "database"})
        switch = add_ci(session, CiType.NETWERKAPPARAAT, "Core switch Datacentrum", None,
                        hostname="dsm-cor-001")
        application = add_ci(session, CiType.APPLICATIE, "Key2Burgerzaken ENK", org,
                             attributes={"vendor": "Centric", "version": "2026.1",
                                         "environment": "productie", "users": 40},
                             in_service_on=date(2024, 1, 1), configuration="zwaar")
        certificate = add_ci(session, CiType.CERTIFICAAT, "Certificaat mijn.enkhuizen.nl",
                             org, expires_on=TODAY + timedelta(days=10),
                             attributes={"subject": "CN=mijn.enkhuizen.nl",
                                         "issuer": "PKIoverheid (KPN)"})
        add_ci(session, CiType.CERTIFICAAT, "Certificaat www.enkhuizen.nl", org,
               expires_on=TODAY - timedelta(days=5), attributes={"issuer": "Sectigo"})
        add_ci(session, CiType.CERTIFICAAT, "Certificaat vpn.enkhuizen.nl", org,
               expires_on=TODAY + timedelta(days=45))
        add_ci(session, CiType.LICENTIE, "Microsoft 365 E3 (ENK)", org,
               expires_on=TODAY + timedelta(days=80), attributes={"product": "M365 E3",
                                                                  "seats": 250})
        add_ci(session, CiType.CERTIFICAAT, "Certificaat api.enkhuizen.nl", org,
               expires_on=TODAY + timedelta(days=200))
        odd = add_ci(session, CiType.LAPTOP, ODD_NAME, org, hostname="evil-[0]")
        relate(session, application, CiRelationKind.RUNS_ON, server)
        relate(session, application, CiRelationKind.DEPENDS_ON, database)
        relate(session, server, CiRelationKind.CONNECTED_TO, switch)
        relate(session, database, CiRelationKind.CONNECTED_TO, switch)
        relate(session, application, CiRelationKind.USED_BY, workstation.id)
        relate(session, certificate, CiRelationKind.USED_BY, application)
        contract = Contract(number="C-2026-014", title="Onderhoud Key2", supplier="Centric",
                            kind=ContractKind.ONDERHOUD, organisation_id=org.id,
                            starts_on=date(2024, 1, 1), ends_on=TODAY + timedelta(days=40),
                            notice_months=1)
        later = Contract(number="C-2027-002", title="Hosting", supplier="Datacenter BV",
                         kind=ContractKind.DIENSTVERLENING, organisation_id=None,
                         starts_on=date(2025, 1, 1), ends_on=TODAY + timedelta(days=200))
        session.add_all([contract, later])
        session.flush()
        session.add_all([ContractCi(contract_id=contract.id, ci_id=application),
                         ContractCi(contract_id=later.id, ci_id=server)])
        session.add(CiHistory(ci_id=application, at=at("2026-11-02 09:00"),
                              field=CiHistoryField.STATUS, old_value=CiStatus.GEPLAND,
                              new_value=CiStatus.IN_GEBRUIK, note="[red]live[/red]"))
    call = register(world, now=at("2026-11-30 09:00"), subject="Key2 traag bij [balie]",
                    ci_ids=(application,))
    return Cmdb(server=server, database=database, application=application, switch=switch,
                workstation=world.workstation.id, certificate=certificate, odd=odd,
                call_on_application=call)


async def connected(pilot, app) -> None:
    await wait_for(pilot, lambda: app.desk is not None)


async def open_cmdb(pilot, app, ci_id: uuid.UUID | None = None) -> CmdbScreen:
    await connected(pilot, app)
    screen = CmdbScreen(ci_id)
    await app.push_screen(screen)
    if ci_id is not None:
        await wait_for(pilot, lambda: screen.detail is not None
                       and screen.detail.hit.id == ci_id)
    await pilot.pause()
    return screen


async def search(pilot, search_widget: CiSearch, text: str) -> None:
    await pilot.press(*text)
    await wait_for(pilot, lambda: search_widget.shown_text == text)


def row_texts(rows: OptionRows) -> list[str]:
    return [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]


def tree_labels(tree: RelationTree, node=None) -> list[str]:
    node = node or tree.root
    return [tree.render_label(child, tree.rich_style, tree.rich_style).plain
            for child in node.children]


# -- search ---------------------------------------------------------------------------------
async def test_search_as_you_type_finds_by_name_host_owner_and_shows_text_literally(
        ui_world, clock):
    cmdb = build_cmdb(ui_world)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_cmdb(pilot, app)
        found = screen.query_one(CiSearch)
        assert app.focused is found.query_one(Input)
        await search(pilot, found, "jansen")  # the owner's name
        assert [hit.id for hit in found.hits] == [cmdb.workstation]
        [prompt] = row_texts(found.query_one("#ci-search-hits"))
        assert "ENK-WS-0042" in prompt and "Werkplek" in prompt
        assert "ENK-0042 · enk-ws-0042 · Anouk Jansen · Gemeente Enkhuizen" in prompt

        found.query_one(Input).value = ""
        await search(pilot, found, "evil")
        assert [hit.id for hit in found.hits] == [cmdb.odd]
        [prompt] = row_texts(found.query_one("#ci-search-hits"))
        assert ODD_SHOWN in prompt and "evil-[0]" in prompt
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.detail is not None)
        await pilot.pause()
        assert str(screen.query_one("#ci-name").content) == ODD_SHOWN
        app.screen.refresh()
        await pilot.pause()  # drawing it raises nothing


async def test_the_ci_in_full_facts_attributes_calls_contracts_history(ui_world, clock):
    cmdb = build_cmdb(ui_world)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_cmdb(pilot, app)
        await search(pilot, screen.query_one(CiSearch), "key2")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.detail is not None)
        await pilot.pause()
        facts = screen.query_one("#ci-facts", FactGrid)
        assert facts.value_of("Organisatie") == "Gemeente Enkhuizen"
        assert facts.value_of("Configuratie") == "zwaar"
        assert facts.value_of("In dienst") == "1 jan 2024"
        attributes = screen.query_one("#ci-attributes", FactGrid)
        assert attributes.facts[:3] == [("Leverancier", "Centric"), ("Versie", "2026.1"),
                                        ("Omgeving", "productie")]
        assert screen.query_one("#ci-attributes-pane").border_title == "Applicatie"

        calls_shown = row_texts(screen.query_one("#ci-calls"))
        assert len(calls_shown) == 1 and "Key2 traag bij [balie]" in calls_shown[0]
        await pilot.press("3")
        assert screen.query_one(TabbedContent).active == "contracts"
        [contract] = row_texts(screen.query_one("#ci-contracts"))
        assert "C-2026-014" in contract and "Centric" in contract
        await pilot.press("4")
        history = screen.query_one("#ci-history").rows
        assert ("Status", "gepland → in gebruik", "[red]live[/red]") in [
            (what, change, note) for _when, _who, what, change, note in history]

        await pilot.press("1")  # Enter on a call opens the call view, as from the queue
        assert screen.query_one(TabbedContent).active == "calls"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
        assert app.screen.call_id == cmdb.call_on_application.id
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)


# -- relations ------------------------------------------------------------------------------
async def test_relations_show_both_ways_and_open_on_demand(ui_world, clock):
    cmdb = build_cmdb(ui_world)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_cmdb(pilot, app, cmdb.application)
        tree = screen.query_one(RelationTree)
        labels = tree_labels(tree)
        assert any(label.endswith("→ draait op  SRV-APP-01  Server") for label in labels)
        assert any("→ hangt af van  SRV-DB-01" in label for label in labels)
        assert any("→ gebruikt door  ENK-WS-0042" in label for label in labels)
        # The certificate is used by the application: seen from here, the application uses it.
        assert any("← gebruikt  Certificaat mijn.enkhuizen.nl" in label for label in labels)

        assert app.focused is tree  # a CI shown: the keys are its tree's
        server_node = next(node for node in tree.root.children
                           if node.data.ci_id == cmdb.server)
        assert server_node.allow_expand and not server_node.children
        tree.move_cursor(server_node)
        await pilot.press("right")  # opens the branch: read now, not before
        await wait_for(pilot, lambda: bool(server_node.children))
        below = tree_labels(tree, server_node)
        assert below == ["▶ → verbonden met  Core switch Datacentrum  Netwerkapparaat"]
        # The switch, opened in turn, leads on to the database server, not back up.
        [switch_node] = server_node.children
        await pilot.press("down", "right")
        await wait_for(pilot, lambda: bool(switch_node.children))
        assert tree_labels(tree, switch_node) == [
            "▶ ← verbonden vanaf  SRV-DB-01  Server"]
        tree.move_cursor(server_node)

        await pilot.press("enter")  # shows the server itself
        await wait_for(pilot, lambda: screen.detail.hit.id == cmdb.server)
        await pilot.pause()
        labels = tree_labels(tree)
        assert any("← is host voor  Key2Burgerzaken ENK" in label for label in labels)
        await pilot.press("backspace")  # back to the application
        await wait_for(pilot, lambda: screen.detail.hit.id == cmdb.application)


async def test_the_impact_view_lists_what_depends_and_its_open_calls(ui_world, clock):
    cmdb = build_cmdb(ui_world)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_cmdb(pilot, app, cmdb.server)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, ImpactScreen)
                       and app.screen.report is not None)
        impact = app.screen
        await pilot.pause()
        affected = {item.id for item in impact.report.affected}
        assert cmdb.application in affected and cmdb.switch not in affected
        calls_shown = row_texts(impact.query_one("#impact-calls"))
        assert any("Key2 traag bij [balie]" in text for text in calls_shown)
        assert impact.query_one("#impact-calls").has_focus
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is impact)
        impact.query_one("#impact-items").focus()
        index = impact.query_one("#impact-items").values.index(
            next(item for item in impact.report.affected if item.id == cmdb.application))
        impact.query_one("#impact-items").highlighted = index
        await pilot.press("enter")  # an affected item: shown in the CMDB
        await wait_for(pilot, lambda: app.screen is screen
                       and screen.detail.hit.id == cmdb.application)


# -- the lookup pane --------------------------------------------------------------------------
async def test_the_call_view_links_and_unlinks_through_the_lookup_pane(ui_world, clock):
    cmdb = build_cmdb(ui_world)
    saved = register(ui_world, now=at("2026-11-30 09:30"), ci_ids=())
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await connected(pilot, app)
        screen = CallScreen(saved.id)
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.detail is not None)
        version = screen.detail.version
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, CiLookup))
        lookup = app.screen
        await search(pilot, lookup.query_one(CiSearch), "srv-app")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen and len(screen.detail.cis) == 1)
        assert screen.detail.cis[0].id == cmdb.server and screen.detail.version > version

        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, CiLookup))
        lookup = app.screen
        assert "SRV-APP-01" in str(lookup.query_one("#lookup-linked").content)
        await search(pilot, lookup.query_one(CiSearch), "srv-app")
        await pilot.press("enter")  # linked already: said, nothing written
        await wait_for(pilot, lambda: not lookup.query_one("#lookup-message").has_class("empty"))
        await pilot.press("f8")  # the highlighted hit is linked: unlinked at once
        await wait_for(pilot, lambda: app.screen is screen and not screen.detail.cis)
    with read_session(ui_world.db) as session:
        assert session.execute(select(CallCi).where(CallCi.call_id == saved.id)).first() is None


async def test_unlink_asks_which_when_the_highlight_is_not_linked(ui_world, clock):
    cmdb = build_cmdb(ui_world)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await connected(pilot, app)
        screen = CallScreen(cmdb.call_on_application.id)
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.detail is not None)
        # The linked CI's type reads as a label, not as the stored value ("applicatie").
        assert screen.query_one("#call-cis").plain == "Key2Burgerzaken ENK  Applicatie"
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, CiLookup))
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen and not screen.detail.cis)


async def test_a_closed_call_only_looks_up(ui_world, clock):
    cmdb = build_cmdb(ui_world)
    call = cmdb.call_on_application
    for use_case in (calls.take, calls.resolve, calls.close):
        extra = {"solution": "Herstart"} if use_case is calls.resolve else {}
        ui_world.write(use_case, actor=ui_world.agent, call_id=call.id,
                       now=at("2026-11-30 09:40"), **extra)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await connected(pilot, app)
        screen = CallScreen(call.id)
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.detail is not None
                       and screen.detail.status is CallStatus.GESLOTEN)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, CiLookup))
        lookup = app.screen
        assert not lookup.can_link and lookup.check_action("unlink", ()) is False
        await search(pilot, lookup.query_one(CiSearch), "srv-app")
        await pilot.press("enter")  # shows the CI in full instead of linking
        await wait_for(pilot, lambda: isinstance(app.screen, CmdbScreen)
                       and app.screen.detail is not None)
        assert app.screen.detail.hit.id == cmdb.server
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is lookup)


async def test_intake_adds_a_ci_from_the_lookup_pane(ui_world, clock):
    cmdb = build_cmdb(ui_world)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await connected(pilot, app)
        intake = IntakeScreen()
        await app.push_screen(intake)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, CiLookup))
        await search(pilot, app.screen.query_one(CiSearch), "key2")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is intake and bool(intake.state.cis))
        assert [ci.id for ci in intake.state.cis] == [cmdb.application]
        assert "Key2Burgerzaken ENK" in str(intake.query_one("#chosen-cis").content)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, CiLookup))
        await pilot.press("f8")  # one linked, none highlighted: asks which
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is intake and not intake.state.cis)


async def test_ctrl_o_in_the_pane_shows_the_ci_in_full(ui_world, clock):
    cmdb = build_cmdb(ui_world)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await connected(pilot, app)
        await app.push_screen(IntakeScreen())
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, CiLookup))
        await search(pilot, app.screen.query_one(CiSearch), "mijn.enkhuizen")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, CmdbScreen)
                       and app.screen.detail is not None)
        assert app.screen.detail.hit.id == cmdb.certificate


# -- expiry -----------------------------------------------------------------------------------
async def test_expiry_windows_30_60_90_with_countdowns_in_days(ui_world, clock):
    build_cmdb(ui_world)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await connected(pilot, app)
        screen = ExpiryScreen()
        await app.push_screen(screen)

        def names() -> list[str]:
            return [row.name for row in screen.certificates]

        await wait_for(pilot, lambda: screen.loaded_window == 30)
        assert names() == ["Certificaat www.enkhuizen.nl", "Certificaat mijn.enkhuizen.nl"]
        shown = row_texts(screen.query_one("#expiry-certificates"))
        assert shown[0].lstrip().startswith("-5 d") and shown[1].lstrip().startswith("10 d")
        # Ends in 40 days, but notice must be given within the month: it is due now.
        assert [contract.number for contract in screen.contracts] == ["C-2026-014"]
        [contract] = row_texts(screen.query_one("#expiry-contracts"))
        assert contract.lstrip().startswith("40 d") and "opzeggen vóór" in contract
        await pilot.press("w")
        await wait_for(pilot, lambda: screen.loaded_window == 60)
        assert names()[-1] == "Certificaat vpn.enkhuizen.nl"
        await pilot.press("w")
        await wait_for(pilot, lambda: screen.loaded_window == 90)
        assert "Microsoft 365 E3 (ENK)" in names()
        assert "Certificaat api.enkhuizen.nl" not in names()
        await pilot.press("w")
        await wait_for(pilot, lambda: screen.loaded_window == 30)

        await pilot.press("enter")  # the first row: the expired certificate, in full
        await wait_for(pilot, lambda: isinstance(app.screen, CmdbScreen)
                       and app.screen.detail is not None)
        assert app.screen.detail.hit.name == "Certificaat www.enkhuizen.nl"


def test_countdown_colours_follow_the_queue():
    from desk_tui.ui.cmdb_labels import days_state

    assert [days_state(days) for days in (-1, 0, 30, 31)] == [
        "sla-breached", "sla-warning", "sla-warning", "sla-ok"]


def test_the_warning_reads_like_the_desk_speaks():
    assert warning_text(3, 5) == "3 certificaten verlopen, 5 binnen 30 dagen"
    assert warning_text(1, 0) == "1 certificaat verlopen"
    assert warning_text(0, 1) == "1 certificaat verloopt binnen 30 dagen"
    assert warning_text(0, 0) == ""


async def test_the_banner_counts_in_a_worker_and_hides_when_nothing_is_due(ui_world, clock):
    build_cmdb(ui_world)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await connected(pilot, app)
        banner = ExpiryBanner()
        await app.screen.mount(banner)
        assert not banner.has_class("shown")
        banner.refresh_counts()
        await wait_for(pilot, lambda: banner.has_class("shown"))
        assert str(banner.content) == "⚠ 1 certificaat verlopen, 1 binnen 30 dagen"
        assert banner.has_class("expired")
        banner.show_counts(0, 0)
        assert not banner.has_class("shown")


# -- contracts --------------------------------------------------------------------------------
async def test_contracts_sort_filter_mark_those_ending_and_open_one_down_to_its_cis(
        ui_world, clock):
    cmdb = build_cmdb(ui_world)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        cmdb_screen = await open_cmdb(pilot, app)
        await pilot.press("f6")  # from the CMDB, even with the search field focused
        await wait_for(pilot, lambda: isinstance(app.screen, ContractsScreen)
                       and bool(app.screen.rows))
        screen = app.screen
        await pilot.pause()

        def numbers() -> list[str]:
            return [row.number for row in screen.shown]

        assert numbers() == ["C-2026-014", "C-2027-002"]  # soonest end first
        first, second = row_texts(screen.query_one("#contracts-list"))
        # Ends in 40 days with a month's notice: to be cancelled within 9 days.
        assert first.lstrip().startswith("40 d") and "opzeggen vóór 9 dec 2026" in first
        assert "1 CI's" in first and "Gemeente Enkhuizen" in first
        assert second.lstrip().startswith("200 d") and "opzeggen" not in second
        assert "eigen infrastructuur" in second
        summary = str(screen.query_one("#contracts-summary").content)
        assert summary == "2 van 2 · 1 lopen binnen 90 dagen af"

        await pilot.press(*"datacenter")  # the supplier, typed in the field
        assert numbers() == ["C-2027-002"]
        await pilot.press(*(["backspace"] * len("datacenter")))
        assert numbers() == ["C-2026-014", "C-2027-002"]
        await pilot.press("f5")  # only those ending soon
        assert numbers() == ["C-2026-014"]
        await pilot.press("f5")
        await pilot.press("f6", "f6")  # by supplier, then by organisation: own first
        assert "organisatie" in str(screen.query_one("#contracts-sort").content)
        assert numbers() == ["C-2027-002", "C-2026-014"]

        # The highlight stays on the contract it was on, wherever a sort puts it.
        listing = screen.query_one("#contracts-list")
        assert listing.highlighted_value.number == "C-2026-014"
        await pilot.press("up")  # up and down in the field move through the list
        assert listing.highlighted_value.number == "C-2027-002"
        await pilot.press("down")
        assert listing.highlighted_value.number == "C-2026-014"
        await pilot.press("enter")  # the field keeps the focus; Enter opens it
        await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen)
                       and app.screen.detail is not None)
        contract = app.screen
        await pilot.pause()
        assert contract.detail.contract.number == "C-2026-014"
        facts = contract.query_one("#contract-facts", FactGrid)
        assert facts.value_of("Leverancier") == "Centric"
        assert facts.value_of("Looptijd") == "1 jan 2024 – 9 jan 2027"
        assert facts.value_of("Loopt af") == "over 40 dagen"
        assert contract.query_one("#contract-cis-pane").border_title == "Dekt 1 CI's"
        [covered] = row_texts(contract.query_one("#contract-cis"))
        assert "Key2Burgerzaken ENK" in covered and "Applicatie" in covered
        await pilot.press("enter")  # the CI in full
        await wait_for(pilot, lambda: isinstance(app.screen, CmdbScreen)
                       and app.screen.detail is not None)
        assert app.screen.detail.hit.id == cmdb.application
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is contract)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is cmdb_screen)


async def test_a_contract_opens_from_the_ci_and_from_the_expiry_list(ui_world, clock):
    cmdb = build_cmdb(ui_world)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await open_cmdb(pilot, app, cmdb.server)
        await pilot.press("3", "enter")  # the contracts tab: the hosting contract
        await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen)
                       and app.screen.detail is not None)
        assert app.screen.detail.contract.number == "C-2027-002"
        assert [hit.id for hit in app.screen.detail.cis] == [cmdb.server]
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)

        expiry = ExpiryScreen()
        await app.push_screen(expiry)
        await wait_for(pilot, lambda: expiry.loaded_window == 30)
        await pilot.press("tab", "enter")  # the contracts ending: C-2026-014
        await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen)
                       and app.screen.detail is not None)
        assert app.screen.detail.contract.number == "C-2026-014"


async def test_licences_show_seats_expiry_and_users_and_open_in_the_cmdb(ui_world, clock):
    cmdb = build_cmdb(ui_world)
    with write_session(ui_world.db) as session:
        licence = add_ci(session, CiType.LICENTIE, "Centric Key2 suite (ENK)",
                         ui_world.organisation, expires_on=TODAY + timedelta(days=120),
                         attributes={"vendor": "Centric", "seats": 40, "seats_in_use": 40})
        relate(session, licence, CiRelationKind.USED_BY, cmdb.application)
    app = make_test_app(ui_world, clock)
    async with app.run_test(size=APP_SIZE) as pilot:
        await connected(pilot, app)
        screen = ContractsScreen()
        await app.push_screen(screen)
        await wait_for(pilot, lambda: bool(screen.shown_licences))
        await pilot.pause()
        # Soonest expiry first; the licence without users says nothing of them.
        assert [row.name for row in screen.shown_licences] == [
            "Microsoft 365 E3 (ENK)", "Centric Key2 suite (ENK)"]
        first, second = row_texts(screen.query_one("#contracts-licences"))
        assert first.lstrip().startswith("80 d") and "250 plaatsen" in first
        assert "voor" not in first
        assert second.lstrip().startswith("120 d") and "40/40 plaatsen" in second
        assert "voor Key2Burgerzaken ENK" in second
        assert screen.query_one("#licences-pane").border_title == "Licenties (2)"

        await pilot.press(*"key2")  # the filter reads the users too
        assert [row.name for row in screen.shown_licences] == ["Centric Key2 suite (ENK)"]
        await pilot.press(*(["backspace"] * 4))
        await pilot.press("f5")  # within 90 days only
        assert [row.name for row in screen.shown_licences] == ["Microsoft 365 E3 (ENK)"]
        await pilot.press("f5")

        await pilot.press("tab", "tab")  # the contracts, then the licences
        assert screen.query_one("#contracts-licences").has_focus
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CmdbScreen)
                       and app.screen.detail is not None)
        assert app.screen.detail.hit.id == licence
