"""Election sites offline: prepare a copy, work at the site, export, import centrally."""

from __future__ import annotations

import json
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine

from desk_tui.domain.classification import CallType, Level
from desk_tui.services import calls, offline, offline_sync, oncall
from desk_tui.services.access import Actor
from desk_tui.services.calls import CallDraft
from desk_tui.services.errors import InvalidInput, Refused, WrongState
from desk_tui.services.offline_bundle import BundleRefused
from desk_tui.services.queries import actor_for
from desk_tui.store.engine import make_engine, read_session, write_session
from desk_tui.store.enums import CallStatus, CiType, OperatorRole
from desk_tui.store.models import (
    Call,
    CallHistory,
    ConfigurationItem,
    OfflineSite,
    Operator,
    OperatorRoleGrant,
    Person,
    SecurityIncidentStep,
    StandbyEntry,
)
from tests.services.conftest import MONDAY_9, World

ELECTION_DAY = MONDAY_9 + timedelta(days=2)  # Wed 2 December 2026


@pytest.fixture
def admin(world: World) -> Actor:
    with write_session(world.db) as session:
        operator = Operator(login="beheer", display_name="Beheerder")
        session.add(operator)
        session.flush()
        session.add(OperatorRoleGrant(operator_id=operator.id, role=OperatorRole.ADMINISTRATOR))
    with read_session(world.db) as session:
        return actor_for(session, "beheer")


def _register(db: Engine, world: World, actor: Actor, subject: str, *, now, site="main",
              organisation=None, caller=None) -> calls.Saved:
    draft = CallDraft(
        organisation_id=(organisation or world.organisation).id, call_type=CallType.STORING,
        subject=subject, caller_id=(caller or world.caller).id, impact=Level.MIDDEN,
        urgency=Level.MIDDEN, category_id=world.category.id,
    )
    with write_session(db) as session:
        return calls.register_call(session=session, actor=actor, sla=world.sla, draft=draft,
                                   now=now, site=site)


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "site" / "v01.sqlite3"


def _prepare(world: World, admin: Actor, path: Path, code: str = "V01") -> offline.PrepareReport:
    return offline.prepare_site(
        central=world.db, actor=admin, code=code, organisation_code="ENK", output=path,
        now=MONDAY_9 + timedelta(hours=1), operator_logins=["agent"],
    )


@contextmanager
def _site_desk(laptop: Path) -> Iterator[tuple[Engine, Actor]]:
    """The site's copy on the laptop and its agent, as the site console opens them."""
    site_db = make_engine(f"sqlite:///{laptop}")
    try:
        with read_session(site_db) as session:
            agent = actor_for(session, "agent")
        yield site_db, agent
    finally:
        site_db.dispose()


def _count(db: Engine, statement) -> int:
    with read_session(db) as session:
        return int(session.execute(statement).scalar_one())


def test_prepare_copies_what_the_site_needs_and_no_more(world: World, admin: Actor,
                                                         laptop: Path) -> None:
    mine = _register(world.db, world, world.agent, "Printer stembureau", now=MONDAY_9)
    _register(world.db, world, world.agent, "Elders", now=MONDAY_9,
              organisation=world.other_organisation, caller=world.stranger)
    report = _prepare(world, admin, laptop)
    assert report.counts["open calls"] == 1
    site_db = make_engine(f"sqlite:///{laptop}")
    try:
        with read_session(site_db) as session:
            identity = offline.local_site(session)
            assert identity is not None and identity.code == "V01"
            assert identity.private_key
            people = session.execute(select(Person)).scalars().all()
            assert {person.name for person in people} == {"Anouk Jansen", "Piet Bakker"}
            assert all(person.email is None for person in people)  # no mail at the site
            assert session.get(Call, mine.id) is not None
            assert session.execute(select(func.count()).select_from(Call)).scalar_one() == 1
            assert [item.name for item in session.execute(
                select(ConfigurationItem)).scalars()] == ["ENK-WS-0042"]
            assert all(op.pin_hash is None for op in session.execute(select(Operator)).scalars())
    finally:
        site_db.dispose()
    with read_session(world.db) as session:
        registered = session.execute(select(OfflineSite)).scalars().one()
        assert registered.private_key is None and not registered.here  # public key only
    assert offline.site_code_of(world.db) == "main"


def test_prepare_refuses_agents_existing_files_and_taken_codes(world: World, admin: Actor,
                                                               laptop: Path) -> None:
    with pytest.raises(Refused):
        offline.prepare_site(central=world.db, actor=world.agent, code="V01",
                             organisation_code="ENK", output=laptop, now=MONDAY_9)
    _prepare(world, admin, laptop)
    with pytest.raises(InvalidInput, match="exists already"):
        _prepare(world, admin, laptop)
    with pytest.raises(InvalidInput, match="registered already"):
        _prepare(world, admin, laptop.with_name("other.sqlite3"))
    with pytest.raises(InvalidInput, match="site code"):
        _prepare(world, admin, laptop.with_name("x.sqlite3"), code="main")


def test_offline_round_trip(world: World, admin: Actor, laptop: Path, tmp_path: Path) -> None:
    """New calls, changes to existing calls, a conflict, a repeated import, the standby log."""
    carried_on = _register(world.db, world, world.agent, "Stemmentelprogramma hangt",
                           now=MONDAY_9)
    disputed = _register(world.db, world, world.agent, "Scanner stembureau 3", now=MONDAY_9)
    _prepare(world, admin, laptop)

    site_db = make_engine(f"sqlite:///{laptop}")
    try:
        assert offline.site_code_of(site_db) == "V01"
        with read_session(site_db) as session:
            agent = actor_for(session, "agent")
        new = _register(site_db, world, agent, "Laptop stembureau 7 start niet",
                        now=ELECTION_DAY, site="V01")
        assert new.reference == "M2026-V01-000001"
        with write_session(site_db) as session:
            calls.take(session=session, actor=agent, sla=world.sla, call_id=carried_on.id,
                       now=ELECTION_DAY + timedelta(minutes=5))
        with write_session(site_db) as session:
            calls.resolve(session=session, actor=agent, sla=world.sla, call_id=disputed.id,
                          now=ELECTION_DAY + timedelta(minutes=9), solution="Kabel vervangen")
        with write_session(site_db) as session:
            offline.log_standby(session=session, actor=agent, now=ELECTION_DAY,
                                who="Anouk Jansen", location="Stembureau 7",
                                what="Laptop start niet, melding gemaakt",
                                call_reference=new.reference)
        with write_session(site_db) as session:
            offline.log_standby(session=session, actor=agent, now=ELECTION_DAY,
                                at=ELECTION_DAY + timedelta(hours=12), who="Sanne de Vries",
                                what="Tellen klaar, stand-by beëindigd")
        bundle = tmp_path / "v01.desk-bundle"
        exported = offline_sync.export_site(db=site_db, actor=agent, output=bundle,
                                            now=ELECTION_DAY + timedelta(hours=13))
        assert exported.counts["new calls"] == 1 and exported.counts["changed calls"] == 2
        assert exported.counts["standby entries"] == 2
    finally:
        site_db.dispose()

    # Meanwhile, centrally, a colleague took the call the site resolved: a conflict.
    with write_session(world.db) as session:
        calls.take(session=session, actor=world.colleague, sla=world.sla, call_id=disputed.id,
                   now=ELECTION_DAY + timedelta(minutes=20))

    def totals() -> tuple[int, int, int]:
        return (_count(world.db, select(func.count()).select_from(Call)),
                _count(world.db, select(func.count()).select_from(CallHistory)),
                _count(world.db, select(func.count()).select_from(StandbyEntry)))

    report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                        now=ELECTION_DAY + timedelta(days=1))
    assert (report.new_calls, report.updated_calls, report.conflicts) == (1, 1, 1)
    assert report.standby == 2
    assert report.references == [disputed.reference]
    after_first = totals()

    with read_session(world.db) as session:
        made_there = session.get(Call, new.id)
        assert made_there is not None and made_there.site == "V01" and made_there.number == 1
        taken = session.get(Call, carried_on.id)
        assert taken.status is CallStatus.IN_BEHANDELING and taken.handler_id == world.agent.id
        still = session.get(Call, disputed.id)  # not overwritten: the colleague has it
        assert still.status is CallStatus.IN_BEHANDELING
        assert still.handler_id == world.colleague.id
        log = offline.standby_log(session=session, actor=world.agent, site="V01")
        assert [line.call_reference for line in log] == [new.reference, None]

    again = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                       now=ELECTION_DAY + timedelta(days=1, hours=1))
    assert again.seen_before and not again.changed_anything
    assert again.conflicts_known == 1
    assert totals() == after_first  # importing twice changes nothing

    with read_session(world.db) as session:
        [open_conflict] = offline_sync.conflicts(session=session, actor=world.agent)
    assert open_conflict.reference == disputed.reference
    assert open_conflict.site_changes["status"] == ("in-behandeling", "opgelost")
    assert open_conflict.base["status"] == "geregistreerd"  # what both sides started from
    assert open_conflict.labels[str(world.colleague.id)] == world.colleague.display_name
    with write_session(world.db) as session:
        decided = offline_sync.resolve_conflict(
            session=session, actor=world.agent, conflict=open_conflict.short_id, keep="site",
            now=ELECTION_DAY + timedelta(days=1, hours=2), note="met de locatie afgestemd")
    assert decided.status == "site"
    with read_session(world.db) as session:
        resolved = session.get(Call, disputed.id)
        assert resolved.status is CallStatus.OPGELOST and resolved.solution == "Kabel vervangen"
        assert offline_sync.conflicts(session=session, actor=world.agent) == []
    with write_session(world.db) as session, pytest.raises(WrongState):
        offline_sync.resolve_conflict(session=session, actor=world.agent,
                                      conflict=open_conflict.short_id, keep="central",
                                      now=ELECTION_DAY)
    third = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                       now=ELECTION_DAY + timedelta(days=2))
    assert not third.changed_anything and third.conflicts_known == 0


def test_keeping_the_central_version_keeps_the_sites_history_marked(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    disputed = _register(world.db, world, world.agent, "Scanner", now=MONDAY_9)
    _prepare(world, admin, laptop)
    with _site_desk(laptop) as (site_db, agent):
        with write_session(site_db) as session:
            calls.take(session=session, actor=agent, sla=world.sla, call_id=disputed.id,
                       now=ELECTION_DAY)
        bundle = tmp_path / "b.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle, now=ELECTION_DAY)
    with write_session(world.db) as session:
        calls.take(session=session, actor=world.colleague, sla=world.sla, call_id=disputed.id,
                   now=ELECTION_DAY)
    offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle, now=ELECTION_DAY)
    with write_session(world.db) as session:
        offline_sync.resolve_conflict(session=session, actor=world.agent,
                                      conflict=disputed.reference, keep="central",
                                      now=ELECTION_DAY)
    with read_session(world.db) as session:
        call = session.get(Call, disputed.id)
        assert call.handler_id == world.colleague.id
        notes = session.execute(select(CallHistory.note).where(
            CallHistory.call_id == disputed.id, CallHistory.note.is_not(None))).scalars().all()
    assert any(note.startswith("[locatie V01, niet overgenomen]") for note in notes)
    assert any("centrale versie behouden" in note for note in notes)


def _export_one(world: World, admin: Actor, path: Path, bundle: Path, code: str) -> None:
    offline.prepare_site(central=world.db, actor=admin, code=code, organisation_code="ENK",
                         output=path, now=MONDAY_9, operator_logins=["agent"])
    site_db = make_engine(f"sqlite:///{path}")
    try:
        with read_session(site_db) as session:
            agent = actor_for(session, "agent")
        _register(site_db, world, agent, f"Melding op {code}", now=ELECTION_DAY, site=code)
        offline_sync.export_site(db=site_db, actor=agent, output=bundle, now=ELECTION_DAY)
    finally:
        site_db.dispose()


def _rewrite(bundle: Path, target: Path, change) -> None:
    with zipfile.ZipFile(bundle) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    change(members)
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_an_altered_bundle_is_refused_and_changes_nothing(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    bundle = tmp_path / "v01.zip"
    _export_one(world, admin, laptop, bundle, "V01")
    before = _count(world.db, select(func.count()).select_from(Call))

    def edit_record(members: dict[str, bytes]) -> None:
        members["records.jsonl"] = members["records.jsonl"].replace(
            b"Melding op V01", b"Melding op V0l")

    def edit_manifest(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        manifest["exported_by"] = "someone-else"
        members["manifest.json"] = json.dumps(manifest).encode()

    for name, change in (("records", edit_record), ("manifest", edit_manifest)):
        altered = tmp_path / f"altered-{name}.zip"
        _rewrite(bundle, altered, change)
        with pytest.raises(BundleRefused, match="altered"):
            offline_sync.import_bundle(db=world.db, actor=world.agent, path=altered,
                                       now=ELECTION_DAY)
    not_a_bundle = tmp_path / "notes.zip"
    not_a_bundle.write_bytes(b"just text")
    with pytest.raises(BundleRefused, match="not a desk offline bundle"):
        offline_sync.import_bundle(db=world.db, actor=world.agent, path=not_a_bundle,
                                   now=ELECTION_DAY)
    assert _count(world.db, select(func.count()).select_from(Call)) == before


def test_a_bundle_signed_with_another_sites_key_is_refused(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    v01, v02 = tmp_path / "v01.zip", tmp_path / "v02.zip"
    _export_one(world, admin, tmp_path / "v01.sqlite3", v01, "V01")
    _export_one(world, admin, tmp_path / "v02.sqlite3", v02, "V02")

    def claim_v01(members: dict[str, bytes]) -> None:  # V02's signature, V01's name
        manifest = json.loads(members["manifest.json"])
        manifest["site"] = "V01"
        members["manifest.json"] = json.dumps(manifest).encode()

    forged = tmp_path / "forged.zip"
    _rewrite(v02, forged, claim_v01)
    with pytest.raises(BundleRefused, match="not signed by site V01's key"):
        offline_sync.import_bundle(db=world.db, actor=world.agent, path=forged,
                                   now=ELECTION_DAY)


def test_a_bundle_from_an_unknown_site_is_refused(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    bundle = tmp_path / "v09.zip"
    _export_one(world, admin, tmp_path / "v09.sqlite3", bundle, "V09")
    with write_session(world.db) as session:  # as if prepared by another desk
        session.execute(delete(OfflineSite).where(OfflineSite.code == "V09"))
    with pytest.raises(BundleRefused, match="not a registered site"):
        offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                   now=ELECTION_DAY)
    assert _count(world.db, select(func.count()).select_from(Call)) == 0


def test_only_a_site_exports(world: World, tmp_path: Path) -> None:
    with pytest.raises(WrongState, match="not an election site"):
        offline_sync.export_site(db=world.db, actor=world.agent, output=tmp_path / "x.zip",
                                 now=ELECTION_DAY)


def test_export_carries_a_new_ci_and_names_what_a_copy_should_not_hold(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    """A CI made at the site travels; a GRIP level the copy's services refuse but that was
    written into the file anyway is named, not dropped silently."""
    from desk_tui.store.models import GripLevel

    _prepare(world, admin, laptop)
    site_db = make_engine(f"sqlite:///{laptop}")
    try:
        with write_session(site_db) as session:
            session.add(ConfigurationItem(ci_type=CiType.LAPTOP, name="Reservelaptop SB 7",
                                          organisation_id=world.organisation.id,
                                          created_at=ELECTION_DAY, updated_at=ELECTION_DAY))
            session.add(GripLevel(organisation_id=world.organisation.id, level=2,
                                  started_at=ELECTION_DAY, created_at=ELECTION_DAY,
                                  updated_at=ELECTION_DAY))
        with read_session(site_db) as session:
            agent = actor_for(session, "agent")
        report = offline_sync.export_site(db=site_db, actor=agent, output=tmp_path / "b.zip",
                                          now=ELECTION_DAY)
    finally:
        site_db.dispose()
    assert report.counts["CIs"] == 1
    assert report.not_carried == {"GRIP levels": 1}
    assert ("not in the bundle (register these centrally by hand): 1 GRIP levels"
            in report.describe())


def test_a_signed_record_of_another_organisation_is_refused(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    from desk_tui.services.offline_bundle import row_json, write_bundle

    _prepare(world, admin, laptop)
    site_db = make_engine(f"sqlite:///{laptop}")
    try:
        with read_session(site_db) as session:
            key = offline.local_site(session).private_key
    finally:
        site_db.dispose()
    with read_session(world.db) as session:
        stranger = row_json(session.execute(select(Person.__table__).where(
            Person.id == world.stranger.id)).mappings().one())
    bundle = tmp_path / "odd.zip"
    write_bundle(bundle, site="V01", private_hex=key,
                 manifest={"bundle_id": "x", "exported_at": ELECTION_DAY.isoformat()},
                 records=[{"kind": "person", "person": stranger}])
    with pytest.raises(BundleRefused, match="another organisation"):
        offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                   now=ELECTION_DAY)


def test_signed_history_or_waiting_of_another_call_is_refused(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    """One site laptop's key must not reach beyond its own calls: history lines and
    waiting periods carry their own call id, and one naming another organisation's call
    (or ending another call's waiting period) refuses the whole bundle."""
    from desk_tui.services.offline_bundle import read_bundle, write_bundle
    from desk_tui.store.models import CallPause

    victim = _register(world.db, world, world.agent, "Burgerzaken Drechterland",
                       now=MONDAY_9, organisation=world.other_organisation,
                       caller=world.stranger)
    with write_session(world.db) as session:
        calls.take(session=session, actor=world.agent, sla=world.sla, call_id=victim.id,
                   now=MONDAY_9)
    with write_session(world.db) as session:
        calls.pause(session=session, actor=world.agent, sla=world.sla, call_id=victim.id,
                    now=MONDAY_9, reason="Wacht op leverancier")
    _prepare(world, admin, laptop)
    site_db = make_engine(f"sqlite:///{laptop}")
    try:
        with read_session(site_db) as session:
            agent = actor_for(session, "agent")
            key = offline.local_site(session).private_key
        new = _register(site_db, world, agent, "Laptop SB 7", now=ELECTION_DAY, site="V01")
        with write_session(site_db) as session:
            calls.take(session=session, actor=agent, sla=world.sla, call_id=new.id,
                       now=ELECTION_DAY)
        with write_session(site_db) as session:
            calls.pause(session=session, actor=agent, sla=world.sla, call_id=new.id,
                        now=ELECTION_DAY, reason="Wacht op de voorzitter")
        bundle = tmp_path / "v01.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle, now=ELECTION_DAY)
    finally:
        site_db.dispose()
    honest, _manifest, _signature = read_bundle(bundle)
    with read_session(world.db) as session:
        [victim_pause] = session.execute(select(CallPause.__table__).where(
            CallPause.call_id == victim.id)).mappings().all()

    def victim_state() -> tuple[int, int, object]:
        with read_session(world.db) as session:
            history = _count(world.db, select(func.count()).select_from(CallHistory).where(
                CallHistory.call_id == victim.id))
            pause = session.get(CallPause, victim_pause["id"])
            return history, _count(world.db, select(func.count()).select_from(CallPause).where(
                CallPause.call_id == victim.id)), pause.ended_at
    before = victim_state()

    def forged(name: str, change) -> Path:
        records = json.loads(json.dumps(honest.records))
        [record] = [r for r in records if r["kind"] == "call"]
        change(record)
        path = tmp_path / f"{name}.zip"
        write_bundle(path, site="V01", private_hex=key,
                     manifest={k: v for k, v in honest.manifest.items()
                               if k not in ("format", "site", "sha256")}, records=records)
        return path

    def history_elsewhere(record: dict) -> None:
        record["history"][0]["call_id"] = str(victim.id)

    def pause_elsewhere(record: dict) -> None:
        record["pauses"][0]["call_id"] = str(victim.id)

    def end_their_pause(record: dict) -> None:  # the victim's waiting period, ended
        record["pauses"].append({**record["pauses"][0], "id": str(victim_pause["id"]),
                                 "ended_at": ELECTION_DAY.isoformat()})

    for name, change in (("history", history_elsewhere), ("pause", pause_elsewhere),
                         ("end", end_their_pause)):
        with pytest.raises(BundleRefused, match="refused, nothing imported"):
            offline_sync.import_bundle(db=world.db, actor=world.agent,
                                       path=forged(name, change), now=ELECTION_DAY)
        assert victim_state() == before
        assert _count(world.db, select(func.count()).select_from(Call).where(
            Call.id == new.id)) == 0
    report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                        now=ELECTION_DAY)
    assert report.new_calls == 1 and victim_state() == before


def test_a_signed_call_naming_another_organisations_caller_is_refused(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    """A site's call may name only its own organisation's people and departments, an
    operator that exists and CIs that exist."""
    from desk_tui.services.offline_bundle import read_bundle, write_bundle

    _prepare(world, admin, laptop)
    site_db = make_engine(f"sqlite:///{laptop}")
    try:
        with read_session(site_db) as session:
            agent = actor_for(session, "agent")
            key = offline.local_site(session).private_key
        new = _register(site_db, world, agent, "Stempas-scanner", now=ELECTION_DAY, site="V01")
        bundle = tmp_path / "v01.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle, now=ELECTION_DAY)
    finally:
        site_db.dispose()
    honest, _manifest, _signature = read_bundle(bundle)

    def forged(name: str, key_: str, value: object) -> Path:
        records = json.loads(json.dumps(honest.records))
        [record] = [r for r in records if r["kind"] == "call"]
        record["fields"][key_] = value
        path = tmp_path / f"{name}.zip"
        write_bundle(path, site="V01", private_hex=key,
                     manifest={k: v for k, v in honest.manifest.items()
                               if k not in ("format", "site", "sha256")}, records=records)
        return path

    for name, key_, value in (
        ("stranger", "caller_id", str(world.stranger.id)),
        ("nobody", "handler_id", str(uuid.uuid4())),
        ("no-ci", "ci_ids", [str(uuid.uuid4())]),
        ("garbage", "department_id", "not an id"),
    ):
        with pytest.raises(BundleRefused, match="not its organisation's"):
            offline_sync.import_bundle(db=world.db, actor=world.agent,
                                       path=forged(name, key_, value), now=ELECTION_DAY)
        assert _count(world.db, select(func.count()).select_from(Call).where(
            Call.id == new.id)) == 0
    report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                        now=ELECTION_DAY)
    assert report.new_calls == 1


def _audit(world: World, **where: str) -> list[dict]:
    from desk_tui.store.models import AuditEntry

    statement = select(AuditEntry).order_by(AuditEntry.seq)
    for name, value in where.items():
        statement = statement.where(getattr(AuditEntry, name) == value)
    with world.db.connect() as connection:
        return [dict(row) for row in connection.execute(statement).mappings()]


def test_prepare_and_import_are_written_in_the_operators_name_refusals_too(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    bundle = tmp_path / "v01.zip"
    _export_one(world, admin, laptop, bundle, "V01")
    [site] = _audit(world, table_name="offline_site", event="insert")
    assert site["actor_login"] == "beheer"  # not "system"

    offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle, now=ELECTION_DAY)
    [imported] = _audit(world, table_name="offline_import", event="insert")
    assert imported["actor_login"] == "agent"
    inserted = _audit(world, table_name="call", event="insert")
    # the import's own insert, and the site's, carried with its trail
    assert inserted and {row["actor_login"] for row in inserted} == {"agent", "agent@V01"}

    with pytest.raises(Refused):
        offline_sync.import_bundle(db=world.db, actor=world.contract_manager, path=bundle,
                                   now=ELECTION_DAY)
    with pytest.raises(Refused):
        offline.prepare_site(central=world.db, actor=world.agent, code="V02",
                             organisation_code="ENK", output=tmp_path / "v02.sqlite3",
                             now=ELECTION_DAY)
    refused = [(row["actor_login"], json.loads(row["detail"])["action"])
               for row in _audit(world, event="refused")]
    assert refused == [("cm", "offline.import"), ("agent", "offline.prepare")]


def test_the_site_copy_carries_the_rules_that_bind_its_calls(
    world: World, admin: Actor, laptop: Path
) -> None:
    """Breach protocol, P1 evaluation, GRIP level with crisis contacts, and the central
    role_permission (a right revoked centrally stays revoked at the site)."""
    from desk_tui.services import crisis, security
    from desk_tui.services.access import Action
    from desk_tui.store.models import (
        CrisisContact,
        CrisisContactKind,
        P1Evaluation,
        RolePermission,
        SecurityIncident,
        SecurityIncidentStep,
    )

    breach = _register(world.db, world, world.agent, "Lijst kiezers gemaild", now=MONDAY_9)
    with write_session(world.db) as session:
        security.declare(session=session, actor=world.agent, call_id=breach.id,
                         discovered_at=MONDAY_9, now=MONDAY_9)
    draft = CallDraft(organisation_id=world.organisation.id, call_type=CallType.STORING,
                      subject="Stembureaus plat", impact=Level.HOOG, urgency=Level.HOOG,
                      category_id=world.category.id)
    p1 = world.write(calls.register_call, actor=world.agent, draft=draft, now=MONDAY_9)
    with write_session(world.db) as session:
        crisis.set_level(session=session, actor=world.agent, code="ENK", level=3,
                         now=MONDAY_9)
        session.add(CrisisContact(organisation_id=world.organisation.id,
                                  kind=CrisisContactKind.CRISIS_LINE, role_title="Crisislijn",
                                  phone="088-0120112", email="crisis@example.org"))
        session.execute(delete(RolePermission).where(RolePermission.role == "agent",
                                                     RolePermission.action == "standby.log"))
    with read_session(world.db) as session:
        central_grants = sorted(session.execute(
            select(RolePermission.role, RolePermission.action)).all())
        [central_enk] = [c for c in crisis.current_levels(session=session, actor=world.agent)
                         if c.code == "ENK"]
    _prepare(world, admin, laptop)

    site_db = make_engine(f"sqlite:///{laptop}")
    try:
        with read_session(site_db) as session:
            agent = actor_for(session, "agent")
            assert sorted(session.execute(
                select(RolePermission.role, RolePermission.action)).all()) == central_grants
            assert session.execute(select(SecurityIncident.call_id)).scalars().all() == [
                breach.id]
            assert _count(site_db, select(func.count()).select_from(SecurityIncidentStep)) == 5
            assert session.execute(select(P1Evaluation.call_id)).scalars().all() == [p1.id]
            assert session.execute(select(CrisisContact.email)).scalars().all() == [None]
            [site_enk] = [c for c in crisis.current_levels(session=session, actor=agent)
                          if c.code == "ENK"]
        assert not agent.may(Action.STANDBY_LOG)
        assert site_enk.level == 3
        assert [c.phone for c in site_enk.crisis_lines] == [
            c.phone for c in central_enk.crisis_lines] and site_enk.crisis_lines
        assert [c.phone for c in site_enk.oov_contacts] == [
            c.phone for c in central_enk.oov_contacts]
        with write_session(site_db) as session:
            calls.resolve(session=session, actor=agent, sla=world.sla, call_id=breach.id,
                          now=ELECTION_DAY, solution="Mail teruggehaald")
        with write_session(site_db) as session, pytest.raises(WrongState, match="protocol"):
            calls.close(session=session, actor=agent, sla=world.sla, call_id=breach.id,
                        now=ELECTION_DAY)
    finally:
        site_db.dispose()


def test_a_site_that_did_the_breach_protocol_closes_the_call_and_a_p1_made_there_is_followed_up(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    """The site recorded every step of the protocol on its copy and closed the call: the
    steps come home first, so the central "no close with open steps" rule passes and the
    close is applied, not held as a conflict. A breach declared at the site on a call
    made there comes home with its steps. A call the site raised to P1 gets its
    evaluation and the managers' notice on import. Importing again adds nothing."""
    from desk_tui.services import security
    from desk_tui.store.enums import BreachStep
    from desk_tui.store.models import OutboxMessage, P1Evaluation

    breach = _register(world.db, world, world.agent, "Lijst kiezers gemaild", now=MONDAY_9)
    raised = _register(world.db, world, world.agent, "Uitslagenprogramma traag",
                       now=MONDAY_9)
    with write_session(world.db) as session:
        security.declare(session=session, actor=world.agent, call_id=breach.id,
                         discovered_at=MONDAY_9, now=MONDAY_9)
    _prepare(world, admin, laptop)
    with _site_desk(laptop) as (site_db, agent):
        for step in BreachStep:
            with write_session(site_db) as session:
                security.record_step(session=session, actor=agent, call_id=breach.id,
                                     step=step, note="gedaan", now=ELECTION_DAY)
        with write_session(site_db) as session:
            calls.resolve(session=session, actor=agent, sla=world.sla, call_id=breach.id,
                          now=ELECTION_DAY, solution="Mail teruggehaald")
        with write_session(site_db) as session:
            calls.close(session=session, actor=agent, sla=world.sla, call_id=breach.id,
                        now=ELECTION_DAY)
        made = _register(site_db, world, agent, "USB-stick kwijt", now=ELECTION_DAY,
                         site="V01")
        with write_session(site_db) as session:
            security.declare(session=session, actor=agent, call_id=made.id,
                             discovered_at=ELECTION_DAY, now=ELECTION_DAY)
        with write_session(site_db) as session:
            security.record_step(session=session, actor=agent, call_id=made.id,
                                 step=BreachStep.IDENTIFICATIE, note="twee namen",
                                 now=ELECTION_DAY)
        with write_session(site_db) as session:
            calls.reclassify(session=session, actor=agent, sla=world.sla, call_id=raised.id,
                             now=ELECTION_DAY, call_type=CallType.STORING, impact=Level.HOOG,
                             urgency=Level.HOOG)
        bundle = tmp_path / "v01.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle, now=ELECTION_DAY)
    with write_session(world.db) as session:  # the organisation's contract manager
        from desk_tui.store.models import Organisation

        session.get(Organisation, world.organisation.id).contract_manager_id = world.caller.id

    report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                        now=ELECTION_DAY, sla=world.sla)
    assert report.conflicts == 0 and report.references == []
    assert report.updated_calls == 2 and report.new_calls == 1
    assert report.breach_steps == len(BreachStep) + 2  # 1 incident + 1 step at the new call
    with read_session(world.db) as session:
        central = session.get(Call, breach.id)
        assert central.status is CallStatus.GESLOTEN and central.closed_at is not None
        assert security.open_steps(session, breach.id) == []
        view = security.overview(session=session, actor=world.agent, call_id=breach.id)
        assert all(step.done_at == ELECTION_DAY and step.note == "gedaan"
                   for step in view.steps)
        site_made = security.overview(session=session, actor=world.agent, call_id=made.id)
        assert site_made is not None and site_made.discovered_at == ELECTION_DAY
        assert [step.step for step in site_made.steps if step.done_at] == [
            BreachStep.IDENTIFICATIE]
        assert len(site_made.steps) == len(BreachStep)
        assert session.get(Call, raised.id).priority == 1
        assert session.execute(select(P1Evaluation.id).where(
            P1Evaluation.call_id == raised.id)).first() is not None
        notices = session.execute(select(OutboxMessage.dedupe_key).where(
            OutboxMessage.dedupe_key.startswith("p1-notice:"))).scalars().all()
        assert any(str(raised.id) in key for key in notices)
        assert offline_sync.conflicts(session=session, actor=world.agent) == []
    again = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                       now=ELECTION_DAY, sla=world.sla)
    assert again.breach_steps == 0 and again.conflicts == 0 and not again.changed_anything
    with read_session(world.db) as session:
        assert _count(world.db, select(func.count()).select_from(SecurityIncidentStep)) == (
            2 * len(BreachStep))


def test_a_signed_breach_step_of_another_organisations_call_is_refused(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    """A protocol record names its call; one of another organisation's call, or a step
    filed under another incident, refuses the whole bundle."""
    from desk_tui.services import security
    from desk_tui.services.offline_bundle import row_json, write_bundle
    from desk_tui.store.models import SecurityIncident

    victim = _register(world.db, world, world.agent, "Datalek Drechterland", now=MONDAY_9,
                       organisation=world.other_organisation, caller=world.stranger)
    mine = _register(world.db, world, world.agent, "Datalek Enkhuizen", now=MONDAY_9)
    with write_session(world.db) as session:
        for call_id in (victim.id, mine.id):
            security.declare(session=session, actor=world.agent, call_id=call_id,
                             discovered_at=MONDAY_9, now=MONDAY_9)
    _prepare(world, admin, laptop)
    site_db = make_engine(f"sqlite:///{laptop}")
    try:
        with read_session(site_db) as session:
            key = offline.local_site(session).private_key
    finally:
        site_db.dispose()
    with read_session(world.db) as session:
        incidents = {row["call_id"]: row for row in session.execute(
            select(SecurityIncident.__table__)).mappings()}
        steps = {row["incident_id"]: row_json(row) for row in session.execute(
            select(SecurityIncidentStep.__table__)).mappings()}
    theirs, ours = incidents[victim.id], incidents[mine.id]
    done = {"done_at": ELECTION_DAY.isoformat(), "note": "gedaan"}
    forged = {
        "theirs": {"kind": "incident", "incident": row_json(theirs),
                   "steps": [{**steps[theirs["id"]], **done}]},
        "smuggled": {"kind": "incident", "incident": row_json(ours),
                     "steps": [{**steps[theirs["id"]], **done}]},
    }
    for name, record in forged.items():
        bundle = tmp_path / f"{name}.zip"
        write_bundle(bundle, site="V01", private_hex=key,
                     manifest={"bundle_id": name, "exported_at": ELECTION_DAY.isoformat()},
                     records=[record])
        with pytest.raises(BundleRefused, match="refused, nothing imported"):
            offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                       now=ELECTION_DAY)
    with read_session(world.db) as session:
        assert security.open_steps(session, victim.id) == list(security.PROTOCOL)


def test_a_signed_standby_entry_of_another_site_or_organisation_is_refused(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    from desk_tui.services.offline_bundle import read_bundle, write_bundle

    victim = _register(world.db, world, world.agent, "Burgerzaken Drechterland",
                       now=MONDAY_9, organisation=world.other_organisation,
                       caller=world.stranger)
    _prepare(world, admin, laptop)
    site_db = make_engine(f"sqlite:///{laptop}")
    try:
        with read_session(site_db) as session:
            agent = actor_for(session, "agent")
            key = offline.local_site(session).private_key
        with write_session(site_db) as session:
            offline.log_standby(session=session, actor=agent, now=ELECTION_DAY,
                                who="Voorzitter SB 3", what="Printer hapert")
        bundle = tmp_path / "v01.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle, now=ELECTION_DAY)
    finally:
        site_db.dispose()
    honest, _manifest, _signature = read_bundle(bundle)
    for name, change in (("site", {"site": "main"}), ("call", {"call_id": str(victim.id)})):
        records = json.loads(json.dumps(honest.records))
        [entry] = [r for r in records if r["kind"] == "standby"]
        entry["entry"].update(change)
        forged = tmp_path / f"{name}.zip"
        write_bundle(forged, site="V01", private_hex=key,
                     manifest={"bundle_id": name, "exported_at": ELECTION_DAY.isoformat()},
                     records=records)
        with pytest.raises(BundleRefused, match="refused, nothing imported"):
            offline_sync.import_bundle(db=world.db, actor=world.agent, path=forged,
                                       now=ELECTION_DAY)
        assert _count(world.db, select(func.count()).select_from(StandbyEntry)) == 0
    assert offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                      now=ELECTION_DAY).standby == 1


def test_people_edited_at_the_site_come_home_unless_changed_centrally_too(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    """A phone and job title corrected at the site are taken over when the central
    person is unchanged since prepare (the e-mail the copy never held is kept); a person
    changed on both sides is not applied and the import report names it. Again: nothing."""
    _prepare(world, admin, laptop)
    with write_session(world.db) as session:  # changed centrally after prepare
        piet = session.execute(select(Person).where(Person.name == "Piet Bakker")).scalar_one()
        piet.phone = "0228-000000"
        piet.updated_at = ELECTION_DAY
        piet_id = piet.id
    with _site_desk(laptop) as (site_db, agent):
        with write_session(site_db) as session:  # edited at the site on election day
            anouk = session.get(Person, world.caller.id)
            anouk.phone, anouk.job_title = "06-12345678", "Voorzitter stembureau"
            anouk.updated_at = ELECTION_DAY
            other = session.get(Person, piet_id)
            other.phone, other.updated_at = "06-99999999", ELECTION_DAY
        bundle = tmp_path / "v01.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle, now=ELECTION_DAY)
    report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                        now=ELECTION_DAY)
    assert report.people_updated == 1
    assert len(report.person_conflicts) == 1 and "Piet Bakker" in report.person_conflicts[0]
    assert "to decide: person Piet Bakker" in report.describe()
    with read_session(world.db) as session:
        [listed] = offline_sync.conflicts(session=session, actor=world.agent)
    assert (listed.kind, listed.what, listed.reference) == ("person", "person", "Piet Bakker")
    assert listed.site_changes == {"phone": ("0228-000000", "06-99999999")}
    with read_session(world.db) as session:
        anouk = session.get(Person, world.caller.id)
        assert (anouk.phone, anouk.job_title) == ("06-12345678", "Voorzitter stembureau")
        assert anouk.email == world.caller.email and anouk.email
        assert session.get(Person, piet_id).phone == "0228-000000"
    again = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                       now=ELECTION_DAY)
    assert again.people_updated == 0 and not again.changed_anything
    assert again.conflicts_known == 1


def _site_totals(db: Engine) -> tuple[int, ...]:
    from desk_tui.store.models import (
        Change,
        ChangeCi,
        CiHistory,
        CiRelation,
        OfflineConflict,
        P1Evaluation,
        Problem,
        ProblemCall,
    )

    return tuple(_count(db, select(func.count()).select_from(table)) for table in (
        Call, CallHistory, ConfigurationItem, CiHistory, CiRelation, Change, ChangeCi,
        Problem, ProblemCall, P1Evaluation, OfflineConflict, Person))


def test_a_round_trip_carries_cis_relations_changes_problems_and_evaluations(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    """A broken laptop's status, a spare laptop registered and connected, a problem and a
    change about a call made at the site, a P1 evaluation planned there: all come home,
    numbered for the site; fields the desk changed meanwhile stay; importing again
    changes nothing. Contracts and GRIP levels are refused at the site copy."""
    from desk_tui.domain.changes import ChangeKind
    from desk_tui.services import changes, cmdb_links, cmdb_write, crisis, p1, problems
    from desk_tui.services.changes import ChangeDraft
    from desk_tui.services.cmdb_links import ContractDraft
    from desk_tui.store.enums import CiRelationKind, CiStatus, ContractKind
    from desk_tui.store.models import (
        Change,
        CiRelation,
        Contract,
        GripLevel,
        P1Evaluation,
        Problem,
        ProblemCall,
    )

    _prepare(world, admin, laptop)
    with _site_desk(laptop) as (site_db, agent):
        with write_session(site_db) as session:  # the laptop at the polling station broke
            cmdb_write.update_ci(session=session, actor=agent, ci_id=world.workstation.id,
                                 changes={"status": CiStatus.IN_REPARATIE}, now=ELECTION_DAY)
        with write_session(site_db) as session:
            spare = cmdb_write.register_ci(session=session, actor=agent, now=ELECTION_DAY,
                                           draft=cmdb_write.CiDraft(
                                               ci_type=CiType.LAPTOP, name="ENK-LT-RESERVE-1",
                                               organisation_id=world.organisation.id,
                                               location="Stembureau 7"))
        with write_session(site_db) as session:
            cmdb_links.relate(session=session, actor=agent, from_ci_id=spare,
                              to_ci_id=world.workstation.id,
                              kind=CiRelationKind.CONNECTED_TO, now=ELECTION_DAY)
        draft = CallDraft(organisation_id=world.organisation.id, call_type=CallType.STORING,
                          subject="Uitslagen-laptop dood", caller_id=world.caller.id,
                          impact=Level.HOOG, urgency=Level.HOOG, category_id=world.category.id)
        with write_session(site_db) as session:
            made = calls.register_call(session=session, actor=agent, sla=world.sla,
                                       draft=draft, now=ELECTION_DAY, site="V01")
        with write_session(site_db) as session:
            problem = problems.open_problem(session=session, actor=agent, sla=world.sla,
                                            title="Laptops stembureaus vallen uit",
                                            call_ids=(made.id,), now=ELECTION_DAY)
        with write_session(site_db) as session:
            change = changes.register_change(
                session=session, actor=agent, sla=world.sla, now=ELECTION_DAY,
                draft=ChangeDraft(organisation_id=world.organisation.id,
                                  kind=ChangeKind.OVERIG_STANDAARD, title="Vervangende laptop",
                                  call_id=made.id))
        with write_session(site_db) as session:
            p1.plan_evaluation(session=session, actor=agent, call_id=made.id,
                               planned_for=ELECTION_DAY + timedelta(days=7),
                               with_whom="Gemeentesecretaris", now=ELECTION_DAY)
        with write_session(site_db) as session, pytest.raises(WrongState, match="centrally"):
            cmdb_links.register_contract(session=session, actor=agent, now=ELECTION_DAY,
                                         draft=ContractDraft(
                                             number="C-SITE-1", title="Huur laptops",
                                             supplier="Verhuur BV", kind=ContractKind.LEASE,
                                             organisation_id=world.organisation.id,
                                             starts_on=ELECTION_DAY.date()))
        with write_session(site_db) as session, pytest.raises(WrongState, match="centrally"):
            crisis.set_level(session=session, actor=agent, code="ENK", level=3,
                             now=ELECTION_DAY)
        # The evening's handover is the central desk's: the site's console never makes one.
        evening_closed = ELECTION_DAY.replace(hour=20, minute=30)
        with write_session(site_db) as session:
            assert oncall.hand_over_if_due(session=session, actor=agent, sla=world.sla,
                                           now=evening_closed) is None
        with write_session(site_db) as session, pytest.raises(WrongState, match="centrally"):
            oncall.hand_over(session=session, actor=agent, sla=world.sla, now=evening_closed)
        with write_session(site_db) as session, pytest.raises(WrongState, match="centrally"):
            cmdb_links.unrelate(session=session, actor=agent, from_ci_id=spare,
                                to_ci_id=world.workstation.id,
                                kind=CiRelationKind.CONNECTED_TO, now=ELECTION_DAY)
        assert _count(site_db, select(func.count()).select_from(Contract)) == 0
        assert _count(site_db, select(func.count()).select_from(GripLevel)) == 0
        bundle = tmp_path / "v01.zip"
        exported = offline_sync.export_site(db=site_db, actor=agent, output=bundle,
                                            now=ELECTION_DAY + timedelta(hours=12))
    assert problem.reference.startswith("P2026-V01-") or "V01" in problem.reference
    assert "V01" in change.reference
    assert (exported.counts["CIs"], exported.counts["CI relations"],
            exported.counts["problems"], exported.counts["changes"],
            exported.counts["P1 evaluations"]) == (2, 1, 1, 1, 1)
    assert exported.not_carried == {}

    with write_session(world.db) as session:  # centrally, another field of the same CI
        session.get(ConfigurationItem, world.workstation.id).location = "Magazijn"

    report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                        now=ELECTION_DAY + timedelta(days=1), sla=world.sla)
    assert report.conflicts == 0, report.describe()
    assert report.records["ci"] == [1, 1, 0]
    assert report.records["problem"][0] == 1 and report.records["work-change"][0] == 1
    assert report.relations == 1 and report.ci_history >= 2
    with read_session(world.db) as session:
        broken = session.get(ConfigurationItem, world.workstation.id)
        assert (broken.status, broken.location) == (CiStatus.IN_REPARATIE, "Magazijn")
        assert session.get(ConfigurationItem, spare).name == "ENK-LT-RESERVE-1"
        assert "reserve" in session.get(ConfigurationItem, spare).search_text.lower()
        assert session.execute(select(CiRelation).where(
            CiRelation.from_ci_id == spare)).scalars().one().to_ci_id == world.workstation.id
        home = session.get(Problem, problem.id)
        assert home.site == "V01"
        assert session.execute(select(ProblemCall.call_id).where(
            ProblemCall.problem_id == problem.id)).scalars().all() == [made.id]
        fix = session.get(Change, change.id)
        assert fix.site == "V01" and fix.call_id == made.id
        evaluation = session.execute(select(P1Evaluation).where(
            P1Evaluation.call_id == made.id)).scalars().one()
        assert evaluation.with_whom == "Gemeentesecretaris"
        assert evaluation.planned_for == ELECTION_DAY + timedelta(days=7)
    after_first = _site_totals(world.db)
    again = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                       now=ELECTION_DAY + timedelta(days=2), sla=world.sla)
    assert not again.changed_anything, again.describe()
    assert _site_totals(world.db) == after_first  # importing twice changes nothing


def _ci_status_changed_on_both_sides(world: World, admin: Actor, laptop: Path,
                                     tmp_path: Path) -> Path:
    """The workstation put in repair at the site and into stock centrally; the bundle."""
    from desk_tui.services import cmdb_write
    from desk_tui.store.enums import CiStatus

    _prepare(world, admin, laptop)
    with _site_desk(laptop) as (site_db, agent):
        with write_session(site_db) as session:
            cmdb_write.update_ci(session=session, actor=agent, ci_id=world.workstation.id,
                                 changes={"status": CiStatus.IN_REPARATIE}, now=ELECTION_DAY)
        bundle = tmp_path / "v01.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle, now=ELECTION_DAY)
    with write_session(world.db) as session:
        cmdb_write.update_ci(session=session, actor=world.agent, ci_id=world.workstation.id,
                             changes={"status": CiStatus.VOORRAAD}, now=ELECTION_DAY)
    return bundle


def test_a_ci_changed_on_both_sides_is_a_conflict_decided_like_a_calls(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    from desk_tui.store.enums import CiStatus

    bundle = _ci_status_changed_on_both_sides(world, admin, laptop, tmp_path)
    report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                        now=ELECTION_DAY)
    assert report.conflicts == 1 and report.record_conflicts == ["CI ENK-WS-0042"]
    with read_session(world.db) as session:
        assert session.get(ConfigurationItem, world.workstation.id).status is CiStatus.VOORRAAD
        [listed] = offline_sync.conflicts(session=session, actor=world.agent)
    assert listed.what == "CI" and listed.call_id is None
    assert listed.site_changes == {"status": ("voorraad", "in-reparatie")}
    assert listed.base == {"status": "in-gebruik"}
    with write_session(world.db) as session:
        offline_sync.resolve_conflict(session=session, actor=world.agent,
                                      conflict=listed.short_id, keep="site", now=ELECTION_DAY)
    with read_session(world.db) as session:
        ci = session.get(ConfigurationItem, world.workstation.id)
        assert ci.status is CiStatus.IN_REPARATIE
        assert offline_sync.conflicts(session=session, actor=world.agent) == []
    again = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                       now=ELECTION_DAY)
    assert not again.changed_anything and again.conflicts_known == 0


def test_a_person_edited_twice_at_the_site_is_no_conflict(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    """The first bundle's edit is taken over; the desk then edits another field; the site
    edits the person again: only the site changed that field since they last agreed, so
    it is taken over too, and the desk's own edit stays."""
    _prepare(world, admin, laptop)
    site_db = make_engine(f"sqlite:///{laptop}")

    def edit_at_site(**values: str) -> Path:
        with read_session(site_db) as session:
            agent = actor_for(session, "agent")
        with write_session(site_db) as session:
            person = session.get(Person, world.caller.id)
            for name, value in values.items():
                setattr(person, name, value)
            person.updated_at = ELECTION_DAY
        bundle = tmp_path / f"{len(list(tmp_path.iterdir()))}.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle, now=ELECTION_DAY)
        return bundle

    try:
        first = edit_at_site(phone="06-11111111")
        report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=first,
                                            now=ELECTION_DAY)
        assert report.people_updated == 1 and report.conflicts == 0
        with write_session(world.db) as session:  # the desk corrects the job title
            session.get(Person, world.caller.id).job_title = "Teamleider"
        second = edit_at_site(phone="06-22222222")
    finally:
        site_db.dispose()
    report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=second,
                                        now=ELECTION_DAY + timedelta(hours=1))
    assert report.conflicts == 0 and report.person_conflicts == [], report.describe()
    assert report.people_updated == 1
    with read_session(world.db) as session:
        person = session.get(Person, world.caller.id)
        assert (person.phone, person.job_title) == ("06-22222222", "Teamleider")
        assert offline_sync.conflicts(session=session, actor=world.agent) == []
    again = offline_sync.import_bundle(db=world.db, actor=world.agent, path=second,
                                       now=ELECTION_DAY + timedelta(hours=2))
    assert not again.changed_anything


def test_a_person_changed_on_both_sides_is_decided_in_the_conflicts_list(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    _prepare(world, admin, laptop)
    with _site_desk(laptop) as (site_db, agent):
        with write_session(site_db) as session:
            session.get(Person, world.caller.id).phone = "06-11111111"
        bundle = tmp_path / "v01.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle, now=ELECTION_DAY)
    with write_session(world.db) as session:
        session.get(Person, world.caller.id).phone = "0228-000000"
    offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle, now=ELECTION_DAY)
    with read_session(world.db) as session:
        [listed] = offline_sync.conflicts(session=session, actor=world.agent)
    assert listed.reference == "Anouk Jansen"
    with write_session(world.db) as session:
        offline_sync.resolve_conflict(session=session, actor=world.agent,
                                      conflict=listed.short_id, keep="central",
                                      now=ELECTION_DAY, note="melder belde zelf")
    with read_session(world.db) as session:
        assert session.get(Person, world.caller.id).phone == "0228-000000"
        [decided] = offline_sync.conflicts(session=session, actor=world.agent,
                                           include_resolved=True)
    assert decided.status == "central"
    again = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                       now=ELECTION_DAY)
    assert not again.changed_anything and again.conflicts_known == 0


def _breach_taken_on_both_sides(world: World, admin: Actor, laptop: Path,
                                tmp_path: Path) -> tuple[calls.Saved, Path]:
    """A data-breach call: at the site a protocol step done and the call taken, centrally
    a colleague took it too (a conflict). The call as registered and the site's bundle."""
    from desk_tui.services import security
    from desk_tui.store.enums import BreachStep

    breach = _register(world.db, world, world.agent, "Kiezerslijst gemaild", now=MONDAY_9)
    with write_session(world.db) as session:
        security.declare(session=session, actor=world.agent, call_id=breach.id,
                         discovered_at=MONDAY_9, now=MONDAY_9)
    _prepare(world, admin, laptop)
    with _site_desk(laptop) as (site_db, agent):
        with write_session(site_db) as session:
            security.record_step(session=session, actor=agent, call_id=breach.id,
                                 step=BreachStep.IDENTIFICATIE, note="twee lijsten",
                                 now=ELECTION_DAY)
        with write_session(site_db) as session:
            calls.take(session=session, actor=agent, sla=world.sla, call_id=breach.id,
                       now=ELECTION_DAY)
        bundle = tmp_path / "v01.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle, now=ELECTION_DAY)
    with write_session(world.db) as session:  # changed centrally too: a conflict
        calls.take(session=session, actor=world.colleague, sla=world.sla, call_id=breach.id,
                   now=ELECTION_DAY)
    return breach, bundle


def test_breach_steps_of_a_conflicting_call_wait_with_the_conflict(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    """The site did a protocol step and took the call; centrally a colleague took it
    too. The step is not applied at import: it waits with the call's conflict, is shown
    there, and is applied when the site's version is taken."""
    from desk_tui.services import security

    breach, bundle = _breach_taken_on_both_sides(world, admin, laptop, tmp_path)

    report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                        now=ELECTION_DAY)
    assert report.conflicts == 1 and report.breach_steps == 0
    with read_session(world.db) as session:
        assert security.open_steps(session, breach.id) == list(security.PROTOCOL)
        [listed] = offline_sync.conflicts(session=session, actor=world.agent)
    assert listed.breach_steps == 1
    again = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                       now=ELECTION_DAY)
    assert again.breach_steps == 0 and again.conflicts_known == 1
    with write_session(world.db) as session:
        offline_sync.resolve_conflict(session=session, actor=world.agent,
                                      conflict=listed.short_id, keep="site", now=ELECTION_DAY)
    with read_session(world.db) as session:
        assert security.open_steps(session, breach.id) == list(security.PROTOCOL)[1:]
        assert session.get(Call, breach.id).handler_id == world.agent.id


def test_the_central_rules_refuse_a_close_at_the_site_while_the_protocol_is_open(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    """A breach-protocol call closed at the site becomes a conflict, not a closed call,
    while steps are open centrally; taking the site's version is refused until the
    protocol is done. Two ways: the desk declared the breach after the copy was made
    (the site never knew), and a bundle whose call is closed without the steps."""
    from desk_tui.services import security
    from desk_tui.services.offline_bundle import read_bundle, write_bundle
    from desk_tui.store.enums import BreachStep

    unknown = _register(world.db, world, world.agent, "Stempassen gemaild", now=MONDAY_9)
    known = _register(world.db, world, world.agent, "USB-stick kwijt", now=MONDAY_9)
    with write_session(world.db) as session:
        security.declare(session=session, actor=world.agent, call_id=known.id,
                         discovered_at=MONDAY_9, now=MONDAY_9)
    _prepare(world, admin, laptop)
    site_db = make_engine(f"sqlite:///{laptop}")
    try:
        with read_session(site_db) as session:
            agent = actor_for(session, "agent")
            key = offline.local_site(session).private_key
        for step in BreachStep:
            with write_session(site_db) as session:
                security.record_step(session=session, actor=agent, call_id=known.id,
                                     step=step, note="gedaan", now=ELECTION_DAY)
        for call_id in (unknown.id, known.id):
            with write_session(site_db) as session:
                calls.resolve(session=session, actor=agent, sla=world.sla, call_id=call_id,
                              now=ELECTION_DAY, solution="Opgelost op locatie")
            with write_session(site_db) as session:
                calls.close(session=session, actor=agent, sla=world.sla, call_id=call_id,
                            now=ELECTION_DAY)
        bundle = tmp_path / "v01.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle, now=ELECTION_DAY)
    finally:
        site_db.dispose()
    with write_session(world.db) as session:  # centrally, after the copy was made
        security.declare(session=session, actor=world.agent, call_id=unknown.id,
                         discovered_at=MONDAY_9, now=ELECTION_DAY)
    honest, _manifest, _signature = read_bundle(bundle)
    stepless = tmp_path / "stepless.zip"  # the close without the protocol's record
    write_bundle(stepless, site="V01", private_hex=key,
                 manifest={k: v for k, v in honest.manifest.items()
                           if k not in ("format", "site", "sha256")},
                 records=[r for r in honest.records if r["kind"] != "incident"])

    report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=stepless,
                                        now=ELECTION_DAY)
    assert report.conflicts == 2 and report.updated_calls == 0
    with read_session(world.db) as session:
        for call_id in (unknown.id, known.id):
            assert session.get(Call, call_id).status is not CallStatus.GESLOTEN
        held = {view.call_id: view for view in offline_sync.conflicts(
            session=session, actor=world.agent)}
    assert "protocol" in held[known.id].refused  # the central rules refused at import
    assert held[known.id].site_changes["status"][1] == "gesloten"
    for call_id in (unknown.id, known.id):
        with write_session(world.db) as session, pytest.raises(WrongState, match="protocol"):
            offline_sync.resolve_conflict(session=session, actor=world.agent,
                                          conflict=held[call_id].short_id, keep="site",
                                          now=ELECTION_DAY)
    for step in BreachStep:  # the desk does the protocol of the breach the site missed
        with write_session(world.db) as session:
            security.record_step(session=session, actor=world.agent, call_id=unknown.id,
                                 step=step, note="centraal gedaan", now=ELECTION_DAY)
    with read_session(world.db) as session:  # the list says so now, not what import found
        listed = {view.call_id: view.refused for view in offline_sync.conflicts(
            session=session, actor=world.agent)}
    assert listed[unknown.id] == "" and "protocol" in listed[known.id]
    with write_session(world.db) as session:
        offline_sync.resolve_conflict(session=session, actor=world.agent,
                                      conflict=held[unknown.id].short_id, keep="site",
                                      now=ELECTION_DAY)
    with read_session(world.db) as session:
        assert session.get(Call, unknown.id).status is CallStatus.GESLOTEN
    # The honest bundle brings the steps: the other call's close now holds too.
    offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle, now=ELECTION_DAY)
    with read_session(world.db) as session:
        assert security.open_steps(session, known.id) == []
        assert session.get(Call, known.id).status is CallStatus.GESLOTEN
        # The stepless bundle's conflict is answered: taking it later would undo this.
        assert offline_sync.conflicts(session=session, actor=world.agent) == []
        assert {view.status for view in offline_sync.conflicts(
            session=session, actor=world.agent, include_resolved=True)} == {
                "site", "superseded"}


def test_taking_a_sites_version_that_makes_a_call_p1_tells_the_managers(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    from desk_tui.store.models import Organisation, OutboxMessage, P1Evaluation

    raised = _register(world.db, world, world.agent, "Uitslagen-server plat", now=MONDAY_9)
    _prepare(world, admin, laptop)
    with _site_desk(laptop) as (site_db, agent):
        with write_session(site_db) as session:
            calls.reclassify(session=session, actor=agent, sla=world.sla, call_id=raised.id,
                             now=ELECTION_DAY, call_type=CallType.STORING, impact=Level.HOOG,
                             urgency=Level.HOOG)
        bundle = tmp_path / "v01.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle, now=ELECTION_DAY)
    with write_session(world.db) as session:
        session.get(Organisation, world.organisation.id).contract_manager_id = world.caller.id
    with write_session(world.db) as session:  # meanwhile taken centrally: a conflict
        calls.take(session=session, actor=world.colleague, sla=world.sla, call_id=raised.id,
                   now=ELECTION_DAY)
    offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle, now=ELECTION_DAY,
                               sla=world.sla)

    def notices() -> list[str]:
        with read_session(world.db) as session:
            return [key for key in session.execute(select(OutboxMessage.dedupe_key)).scalars()
                    if key.startswith("p1-notice:") and str(raised.id) in key]

    assert notices() == []
    with write_session(world.db) as session:
        offline_sync.resolve_conflict(session=session, actor=world.agent,
                                      conflict=raised.reference, keep="site",
                                      now=ELECTION_DAY, sla=world.sla)
    with read_session(world.db) as session:
        assert session.get(Call, raised.id).priority == 1
        assert session.execute(select(P1Evaluation.id).where(
            P1Evaluation.call_id == raised.id)).first() is not None
    assert notices()


def test_another_organisations_ci_changed_at_the_site_waits_for_an_operator(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    """The copy shows a server of another participant (a site's workstation depends on
    it) without its organisation; the site marks it broken. Import does not change
    another organisation's CI: the change waits as a conflict that only the central
    version can settle."""
    from desk_tui.services import cmdb_write
    from desk_tui.store.enums import CiRelationKind, CiStatus
    from desk_tui.store.models import CiRelation

    with write_session(world.db) as session:
        server = ConfigurationItem(ci_type=CiType.SERVER, name="DRE-SRV-01",
                                   organisation_id=world.other_organisation.id)
        session.add(server)
        session.flush()
        session.add(CiRelation(from_ci_id=world.workstation.id, to_ci_id=server.id,
                               kind=CiRelationKind.DEPENDS_ON))
        server_id = server.id
    _prepare(world, admin, laptop)
    site_db = make_engine(f"sqlite:///{laptop}")
    try:
        with read_session(site_db) as session:
            agent = actor_for(session, "agent")
            assert session.get(ConfigurationItem, server_id).organisation_id is None
        with write_session(site_db) as session:
            cmdb_write.update_ci(session=session, actor=agent, ci_id=server_id,
                                 changes={"status": CiStatus.IN_REPARATIE}, now=ELECTION_DAY)
        bundle = tmp_path / "v01.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle, now=ELECTION_DAY)
    finally:
        site_db.dispose()
    report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                        now=ELECTION_DAY)
    assert report.record_conflicts == ["CI DRE-SRV-01"]
    with read_session(world.db) as session:
        assert session.get(ConfigurationItem, server_id).status is CiStatus.IN_GEBRUIK
        [listed] = offline_sync.conflicts(session=session, actor=world.agent)
    assert "another organisation" in listed.refused
    with write_session(world.db) as session, pytest.raises(WrongState):
        offline_sync.resolve_conflict(session=session, actor=world.agent,
                                      conflict=listed.short_id, keep="site", now=ELECTION_DAY)
    with write_session(world.db) as session:
        offline_sync.resolve_conflict(session=session, actor=world.agent,
                                      conflict=listed.short_id, keep="central",
                                      now=ELECTION_DAY)
    again = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                       now=ELECTION_DAY)
    assert not again.changed_anything and again.conflicts_known == 0


def test_a_copy_prepared_before_bases_were_kept_still_merges_people(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    """A laptop prepared by an older desk has no bases: an edited person is taken over
    when the desk did not change it since prepare, and listed as a conflict when it did."""
    from desk_tui.store.models import OfflineRecordBase

    with write_session(world.db) as session:  # last changed before prepare, whatever today is
        session.get(Person, world.caller.id).updated_at = MONDAY_9 - timedelta(days=7)
    _prepare(world, admin, laptop)
    with write_session(world.db) as session:
        piet = session.execute(select(Person).where(Person.name == "Piet Bakker")).scalar_one()
        piet.phone, piet.updated_at = "0228-000000", ELECTION_DAY
        piet_id = piet.id
    site_db = make_engine(f"sqlite:///{laptop}")
    try:
        with write_session(site_db) as session:  # as an older desk made it
            session.execute(delete(OfflineRecordBase))
        with read_session(site_db) as session:
            agent = actor_for(session, "agent")
        with write_session(site_db) as session:
            anouk = session.get(Person, world.caller.id)
            anouk.phone, anouk.updated_at = "06-12345678", ELECTION_DAY
            other = session.get(Person, piet_id)
            other.phone, other.updated_at = "06-99999999", ELECTION_DAY
        bundle = tmp_path / "v01.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle, now=ELECTION_DAY)
    finally:
        site_db.dispose()
    report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                        now=ELECTION_DAY)
    assert report.people_updated == 1 and report.person_conflicts == ["Piet Bakker"]
    with read_session(world.db) as session:
        anouk = session.get(Person, world.caller.id)
        assert anouk.phone == "06-12345678" and anouk.email == world.caller.email
        [listed] = offline_sync.conflicts(session=session, actor=world.agent)
    assert listed.site_changes == {"phone": ("0228-000000", "06-99999999")}


def test_an_older_bundle_imported_after_a_newer_one_changes_nothing(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    """Bundles are cumulative: once a newer one is in, an older one (imported late, or
    again) would only bring back values the site itself changed since."""
    _prepare(world, admin, laptop)
    with _site_desk(laptop) as (site_db, agent):
        bundles = []
        for hour, phone in ((1, "06-11111111"), (2, "06-22222222")):
            with write_session(site_db) as session:
                session.get(Person, world.caller.id).phone = phone
            bundles.append(tmp_path / f"{hour}.zip")
            offline_sync.export_site(db=site_db, actor=agent, output=bundles[-1],
                                     now=ELECTION_DAY + timedelta(hours=hour))
    first, second = bundles
    offline_sync.import_bundle(db=world.db, actor=world.agent, path=second, now=ELECTION_DAY)
    for late in (first, first, second):
        report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=late,
                                            now=ELECTION_DAY + timedelta(days=1))
        assert not report.changed_anything
    assert "nothing imported; a newer bundle" in offline_sync.import_bundle(
        db=world.db, actor=world.agent, path=first, now=ELECTION_DAY).describe()
    with read_session(world.db) as session:
        assert session.get(Person, world.caller.id).phone == "06-22222222"


def test_an_asset_tag_the_site_gave_that_another_ci_has_here_waits(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    from desk_tui.services import cmdb_write

    with write_session(world.db) as session:
        session.add(ConfigurationItem(ci_type=CiType.LAPTOP, name="DRE-LT-0001",
                                      asset_tag="AT-1",
                                      organisation_id=world.other_organisation.id))
    _prepare(world, admin, laptop)
    with _site_desk(laptop) as (site_db, agent):
        with write_session(site_db) as session:  # the sticker on the PC, read wrongly
            cmdb_write.update_ci(session=session, actor=agent, ci_id=world.workstation.id,
                                 changes={"asset_tag": "AT-1"}, now=ELECTION_DAY)
        bundle = tmp_path / "v01.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle, now=ELECTION_DAY)
    report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                        now=ELECTION_DAY)
    assert report.record_conflicts == ["CI ENK-WS-0042"]
    with read_session(world.db) as session:
        [listed] = offline_sync.conflicts(session=session, actor=world.agent)
    assert "DRE-LT-0001" in listed.refused
    with write_session(world.db) as session, pytest.raises(WrongState, match="AT-1"):
        offline_sync.resolve_conflict(session=session, actor=world.agent,
                                      conflict=listed.short_id, keep="site", now=ELECTION_DAY)
    with write_session(world.db) as session:  # the other laptop's tag was the wrong one
        other = session.execute(select(ConfigurationItem).where(
            ConfigurationItem.name == "DRE-LT-0001")).scalar_one()
        other.asset_tag = "AT-2"
    with write_session(world.db) as session:
        offline_sync.resolve_conflict(session=session, actor=world.agent,
                                      conflict=listed.short_id, keep="site", now=ELECTION_DAY)
    with read_session(world.db) as session:
        assert session.get(ConfigurationItem, world.workstation.id).asset_tag == "AT-1"


def _site_call(world: World, subject: str) -> uuid.UUID:
    with read_session(world.db) as session:
        return session.execute(select(Call.id).where(Call.subject == subject)).scalar_one()


def test_the_sites_audit_trail_comes_home_once_and_unaltered(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    from desk_tui.store import audit

    bundle = tmp_path / "v01.zip"
    _export_one(world, admin, laptop, bundle, "V01")
    report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                        now=ELECTION_DAY)
    carried = _audit(world, actor_login="agent@V01")
    assert report.audit == len(carried) > 0
    details = [json.loads(row["detail"]) for row in carried]
    assert [detail["site_seq"] for detail in details] == list(range(1, len(carried) + 1))
    assert {detail["site"] for detail in details} == {"V01"}
    [call_insert] = [(row, detail) for row, detail in zip(carried, details, strict=True)
                     if row["table_name"] == "call" and row["event"] == "insert"]
    row, detail = call_insert
    # when it happened on the laptop (the trail keeps real time), and the row it touched
    assert datetime.fromisoformat(detail["site_at"]) <= datetime.now(UTC) < row["at"].replace(
        tzinfo=UTC) + timedelta(minutes=5)
    assert row["row_key"] == str(_site_call(world, "Melding op V01"))
    assert detail["detail"]["subject"] == audit.REDACTED  # no personal data on the way
    # Importing the same bundle again adds nothing; the central chain still verifies.
    again = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                       now=ELECTION_DAY)
    assert again.audit == 0 and len(_audit(world, actor_login="agent@V01")) == len(carried)
    with world.db.connect() as connection:
        assert audit.verify(connection).ok

    # More work at the site: the next bundle carries the whole trail, only the rest is new.
    with _site_desk(laptop) as (site_db, agent):
        _register(site_db, world, agent, "Tweede melding", now=ELECTION_DAY, site="V01")
        later = tmp_path / "v01-later.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=later,
                                 now=ELECTION_DAY + timedelta(hours=1))
        third = offline_sync.import_bundle(db=world.db, actor=world.agent, path=later,
                                           now=ELECTION_DAY + timedelta(hours=1))
        seqs = [json.loads(row["detail"])["site_seq"]
                for row in _audit(world, actor_login="agent@V01")]
        assert third.audit > 0 and seqs == list(range(1, len(carried) + third.audit + 1))

        # An entry removed on the laptop breaks the site's chain: the bundle is refused.
        with site_db.begin() as connection:
            audit.remove_audit_guard(connection)
            connection.execute(delete(audit.AuditEntry).where(audit.AuditEntry.seq == 2))
        _register(site_db, world, agent, "Derde melding", now=ELECTION_DAY, site="V01")
        broken = tmp_path / "v01-broken.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=broken,
                                 now=ELECTION_DAY + timedelta(hours=2))
    before = _count(world.db, select(func.count()).select_from(Call))
    with pytest.raises(BundleRefused, match="audit trail"):
        offline_sync.import_bundle(db=world.db, actor=world.agent, path=broken,
                                   now=ELECTION_DAY + timedelta(hours=2))
    assert _count(world.db, select(func.count()).select_from(Call)) == before


def test_callers_of_calls_registered_at_the_site_get_their_confirmation_after_import(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    """The laptop has no e-mail addresses and sends nothing; the central database sends
    the confirmation every registered call promises, once, with the site's due times."""
    from desk_tui.store.models import OutboxMessage

    with write_session(world.db) as session:
        session.get(Person, world.caller.id).email = "melder@enkhuizen.example"
    bundle = tmp_path / "v01.zip"
    _export_one(world, admin, laptop, bundle, "V01")
    with read_session(make_engine(f"sqlite:///{laptop}")) as session:
        assert session.execute(select(func.count()).select_from(OutboxMessage)).scalar() == 0

    report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                        now=ELECTION_DAY + timedelta(hours=3), sla=world.sla)
    assert report.confirmations == 1
    call_id = _site_call(world, "Melding op V01")
    with read_session(world.db) as session:
        [message] = session.execute(select(OutboxMessage).where(
            OutboxMessage.call_id == call_id)).scalars()
        call = session.get(Call, call_id)
        assert message.recipient == "melder@enkhuizen.example"
        assert "M2026-V01-" in message.subject
        # the due time set when the site registered it, not hours later at the import
        assert call.reaction_due.astimezone(world.sla.calendars.config.zone).strftime(
            "%Y-%m-%d %H:%M") in message.body
    again = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                       now=ELECTION_DAY + timedelta(hours=4), sla=world.sla)
    assert again.confirmations == 0
    assert _count(world.db, select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.call_id == call_id)) == 1


def test_a_site_relates_no_two_cis_of_another_organisation_and_known_relations_pass(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    """A relation the import would refuse, made at a site that cannot remove it, would
    hold back every later bundle: the site refuses it; relations the copy was given pass
    the import as known, whichever organisations they join."""
    from desk_tui.services import cmdb_links
    from desk_tui.store.enums import CiRelationKind
    from desk_tui.store.models import CiRelation

    with write_session(world.db) as session:
        far = ConfigurationItem(ci_type=CiType.SERVER, name="DRE-SRV-1",
                                organisation_id=world.other_organisation.id)
        farther = ConfigurationItem(ci_type=CiType.SERVER, name="DRE-SRV-2",
                                    organisation_id=world.other_organisation.id)
        session.add_all([far, farther])
        session.flush()
        session.add(CiRelation(from_ci_id=world.workstation.id, to_ci_id=far.id,
                               kind=CiRelationKind.RUNS_ON))
        session.add(CiRelation(from_ci_id=far.id, to_ci_id=farther.id,
                               kind=CiRelationKind.RUNS_ON))  # copied along: it runs on it
        far_id, farther_id = far.id, farther.id
    _prepare(world, admin, laptop)
    with _site_desk(laptop) as (site_db, agent):
        with write_session(site_db) as session, pytest.raises(Refused, match="own organisation"):
            cmdb_links.relate(session=session, actor=agent, from_ci_id=far_id,
                              to_ci_id=farther_id, kind=CiRelationKind.CONNECTED_TO,
                              now=ELECTION_DAY)
        with write_session(site_db) as session:  # one end the site's own: fine
            cmdb_links.relate(session=session, actor=agent, from_ci_id=world.workstation.id,
                              to_ci_id=farther_id, kind=CiRelationKind.CONNECTED_TO,
                              now=ELECTION_DAY)
        with write_session(site_db) as session:  # as a copy without bases sends them all
            from desk_tui.store.models import OfflineRecordBase
            session.execute(delete(OfflineRecordBase))
        bundle = tmp_path / "v01.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle, now=ELECTION_DAY)
    report = offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                        now=ELECTION_DAY)
    assert report.relations == 1


def test_a_site_refuses_ci_changes_its_bundle_would_not_carry(
    world: World, admin: Actor, laptop: Path
) -> None:
    from desk_tui.services import cmdb_write

    _prepare(world, admin, laptop)
    with _site_desk(laptop) as (site_db, agent):
        for changes in ({"ci_type": CiType.LAPTOP}, {"organisation_id": None},
                        {"external_ref": "TOPdesk-123"}):
            with write_session(site_db) as session, pytest.raises(
                    WrongState, match="recorded centrally"):
                cmdb_write.update_ci(session=session, actor=agent,
                                     ci_id=world.workstation.id, changes=changes,
                                     now=ELECTION_DAY)
        with write_session(site_db) as session:  # what the bundle carries goes on
            assert cmdb_write.update_ci(session=session, actor=agent,
                                        ci_id=world.workstation.id,
                                        changes={"location": "Stembureau 3"},
                                        now=ELECTION_DAY) == ("location",)


def test_breach_steps_left_out_by_keeping_the_central_call_stay_out_on_the_next_import(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    """Bundles are cumulative: after "keep central" the same steps come again with a call
    that no longer looks changed, and must not slip in then."""
    from desk_tui.services import security
    from desk_tui.store.enums import BreachStep

    breach, bundle = _breach_taken_on_both_sides(world, admin, laptop, tmp_path)
    offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle, now=ELECTION_DAY)
    with read_session(world.db) as session:
        [listed] = offline_sync.conflicts(session=session, actor=world.agent)
        open_before = security.open_steps(session, breach.id)
    assert BreachStep.IDENTIFICATIE in open_before
    with write_session(world.db) as session:
        offline_sync.resolve_conflict(session=session, actor=world.agent,
                                      conflict=listed.short_id, keep="central",
                                      now=ELECTION_DAY)
    offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                               now=ELECTION_DAY + timedelta(hours=1))
    with read_session(world.db) as session:
        assert security.open_steps(session, breach.id) == open_before


def test_bundles_are_ordered_by_the_sites_trail_not_the_laptops_clock(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    """One export with the clock a year ahead must not make every later bundle look
    older: the site's audit trail, which only grows, says which came first."""
    _prepare(world, admin, laptop)
    with _site_desk(laptop) as (site_db, agent):
        _register(site_db, world, agent, "Eerste melding", now=ELECTION_DAY, site="V01")
        ahead = tmp_path / "ahead.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=ahead,
                                 now=ELECTION_DAY + timedelta(days=365))
        _register(site_db, world, agent, "Tweede melding", now=ELECTION_DAY, site="V01")
        later = tmp_path / "later.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=later,
                                 now=ELECTION_DAY + timedelta(hours=1))
    first = offline_sync.import_bundle(db=world.db, actor=world.agent, path=ahead,
                                       now=ELECTION_DAY)
    second = offline_sync.import_bundle(db=world.db, actor=world.agent, path=later,
                                        now=ELECTION_DAY)
    assert (first.new_calls, second.older_than, second.new_calls) == (1, None, 1)
    # and the first one again, now truly older than what came in: nothing merged
    assert offline_sync.import_bundle(db=world.db, actor=world.agent, path=ahead,
                                      now=ELECTION_DAY).older_than is not None


def test_a_trail_missing_its_first_entries_is_refused(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    from desk_tui.store import audit

    _prepare(world, admin, laptop)
    with _site_desk(laptop) as (site_db, agent):
        _register(site_db, world, agent, "Melding", now=ELECTION_DAY, site="V01")
        with site_db.begin() as connection:  # the first entries removed on the laptop
            audit.remove_audit_guard(connection)
            connection.execute(delete(audit.AuditEntry).where(audit.AuditEntry.seq <= 2))
        bundle = tmp_path / "v01.zip"
        offline_sync.export_site(db=site_db, actor=agent, output=bundle, now=ELECTION_DAY)
    with pytest.raises(BundleRefused, match="not at the site's first"):
        offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                   now=ELECTION_DAY)


def test_a_malformed_trail_entry_is_named_not_a_crash() -> None:
    from desk_tui.store import audit

    entry = {"seq": 1, "at": "2026-12-02T08:00:00.000000+00:00", "actor_id": 123,
             "actor_login": "agent", "event": "insert", "table_name": "call",
             "row_key": "x", "detail": "{}", "prev_hash": audit.GENESIS_HASH, "hash": "0"}
    assert audit.site_chain_break([entry]) == "entry 1 is incomplete"
    assert audit.site_chain_break([{**entry, "actor_id": None, "detail": "not json"}]) == (
        "entry 1 is incomplete")


def test_a_disputed_cis_site_history_waits_for_the_decision_and_is_marked_if_not_taken(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    from desk_tui.store.models import CiHistory

    def site_lines() -> list[str]:
        with read_session(world.db) as session:
            return [f"{line.new_value} {line.note or ''}".strip() for line in session.execute(
                select(CiHistory).where(CiHistory.ci_id == world.workstation.id,
                                        CiHistory.new_value == "in-reparatie")).scalars()]

    bundle = _ci_status_changed_on_both_sides(world, admin, laptop, tmp_path)
    offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle, now=ELECTION_DAY)
    assert site_lines() == []  # not before anyone decided: it says what was not applied
    with read_session(world.db) as session:
        [listed] = offline_sync.conflicts(session=session, actor=world.agent)
    with write_session(world.db) as session:
        offline_sync.resolve_conflict(session=session, actor=world.agent,
                                      conflict=listed.short_id, keep="central",
                                      now=ELECTION_DAY)
    assert site_lines() == ["in-reparatie [locatie V01, niet overgenomen]"]
    offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle, now=ELECTION_DAY)
    assert site_lines() == ["in-reparatie [locatie V01, niet overgenomen]"]  # once


def test_a_persons_open_question_follows_what_the_site_holds_now(
    world: World, admin: Actor, laptop: Path, tmp_path: Path
) -> None:
    """Bundles are cumulative: the open conflict is always about the site's latest value.
    The site goes B, C, then B again: B's question is open again, C's answered; the site
    goes back to the value both agreed on: no question is left."""
    _prepare(world, admin, laptop)
    original = world.caller.phone
    with write_session(world.db) as session:  # changed centrally: every site value disputes
        session.get(Person, world.caller.id).phone = "0228-000000"

    def site_sends(phone: str, name: str) -> None:
        site_db = make_engine(f"sqlite:///{laptop}")
        try:
            with read_session(site_db) as session:
                agent = actor_for(session, "agent")
            with write_session(site_db) as session:
                session.get(Person, world.caller.id).phone = phone
            bundle = tmp_path / f"{name}.zip"
            offline_sync.export_site(db=site_db, actor=agent, output=bundle,
                                     now=ELECTION_DAY)
        finally:
            site_db.dispose()
        offline_sync.import_bundle(db=world.db, actor=world.agent, path=bundle,
                                   now=ELECTION_DAY)

    def offered() -> list[str]:
        with read_session(world.db) as session:
            return [view.site_changes["phone"][1] for view in offline_sync.conflicts(
                session=session, actor=world.agent)]

    site_sends("06-22222222", "b")
    assert offered() == ["06-22222222"]
    site_sends("06-33333333", "c")
    assert offered() == ["06-33333333"]
    site_sends("06-22222222", "b-again")
    assert offered() == ["06-22222222"]
    site_sends(original, "back")
    assert offered() == []
