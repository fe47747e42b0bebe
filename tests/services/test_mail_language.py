"""Mail in the recipient's language: the person's own, else the organisation's, else Dutch."""

from __future__ import annotations

from sqlalchemy import select

from desk_tui.domain.classification import Level
from desk_tui.services.mail import recipient_language
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.models import Organisation, OutboxMessage, Person
from tests.services.test_calls import register
from tests.world import World

H = Level.HOOG


def outbox(world: World, prefix: str) -> list[OutboxMessage]:
    with read_session(world.db) as session:
        return list(session.execute(
            select(OutboxMessage).where(OutboxMessage.dedupe_key.startswith(prefix))
            .order_by(OutboxMessage.recipient)
        ).scalars())


def set_language(world: World, *, person: str | None = None, organisation: str | None = None):
    with write_session(world.db) as session:
        if person is not None:
            session.get(Person, world.caller.id).language = person
        if organisation is not None:
            session.get(Organisation, world.organisation.id).language = organisation


def test_a_confirmation_is_dutch_by_default(world):
    register(world)
    [mail] = outbox(world, "call-registered:")
    assert (mail.language, mail.subject.split()[0]) == ("nl", "Melding")
    assert mail.body.startswith("Beste Anouk Jansen")


def test_an_english_speaking_caller_gets_an_english_confirmation(world):
    set_language(world, person="en")
    saved = register(world)
    [mail] = outbox(world, "call-registered:")
    assert mail.language == "en"
    assert mail.subject.startswith(f"Call {saved.reference} registered")
    assert mail.body.startswith("Dear Anouk Jansen") and "Reaction due:" in mail.body


def test_the_organisations_language_counts_when_the_person_has_none(world):
    set_language(world, organisation="en")
    register(world)
    [mail] = outbox(world, "call-registered:")
    assert mail.language == "en" and mail.body.startswith("Dear ")


def test_a_persons_own_language_wins_over_the_organisations(world):
    set_language(world, person="nl", organisation="en")
    register(world)
    [mail] = outbox(world, "call-registered:")
    assert mail.language == "nl" and mail.body.startswith("Beste ")


def test_p1_notices_go_to_each_manager_in_their_own_language(world):
    with write_session(world.db) as session:
        dutch = Person(organisation_id=world.organisation.id, name="Carla Contract",
                       email="c@enkhuizen.example")
        english = Person(organisation_id=world.organisation.id, name="Ian Info",
                         email="i@enkhuizen.example", language="en")
        session.add_all([dutch, english])
        session.flush()
        organisation = session.get(Organisation, world.organisation.id)
        organisation.contract_manager_id = dutch.id
        organisation.information_manager_id = english.id
    register(world, impact=H, urgency=H)
    carla, ian = outbox(world, "p1-notice:")
    assert (carla.language, ian.language) == ("nl", "en")
    assert carla.subject.startswith("Prioriteit 1") and "Beste Carla Contract" in carla.body
    assert ian.subject.startswith("Priority 1") and "Dear Ian Info" in ian.body
    assert "priority 1 incident for Gemeente Enkhuizen" in ian.body


def test_an_unknown_language_falls_back_to_dutch():
    person = Person(name="X", organisation_id=None, language="fr")  # type: ignore[arg-type]
    assert recipient_language(person, None) == "nl"
    assert recipient_language(Person(name="Y", organisation_id=None),  # type: ignore[arg-type]
                              Organisation(name="O", code="O", language="EN")) == "en"
