"""Six months of calls: when they came in, how each one went, and what is still open.

Every call is simulated as the console would have recorded it — registration, reaction
(handler linked), line moves, waiting periods, resolution, closing — and its priority,
handler and due times come from the same SLA engine call the services make, so a
recomputation always agrees with what is stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from desk_tui.demo import texts
from desk_tui.demo.ids import whole_seconds
from desk_tui.demo.world import OperatorInfo, OrganisationInfo, PersonInfo, Row, World
from desk_tui.domain.calendar import Pause
from desk_tui.domain.classification import CallType, Level
from desk_tui.domain.priority import priority_for
from desk_tui.domain.sla import CallSla, Handler, SlaEngine
from desk_tui.store.enums import (
    CallStatus,
    Channel,
    CiType,
    HistoryField,
    OperatorRole,
    SupportLine,
)
from desk_tui.store.tables.base import CENTRAL_SITE

HISTORY_DAYS = 182
HOUR = 3600.0
SECOND = timedelta(seconds=1)
MINUTE = timedelta(minutes=1)

TYPE_WEIGHTS = {
    CallType.STORING: 68, CallType.SERVICEVERZOEK: 17, CallType.INFORMATIEVERZOEK: 10,
    CallType.WIJZIGINGSVERZOEK: 5,
}
INCIDENT_CATEGORY_WEIGHTS = {
    "Kernapplicatie": 14, "Printen en scannen": 12, "Hardware": 10,
    "Accounts en autorisaties": 10, "Office": 10, "Netwerkdiensten": 8, "Telefonie": 7,
    "Overige software": 7, "E-mail en agenda": 6, "Mobiele apparaten": 5,
    "Besturingssystemen": 4, "Beveiliging": 3, "Verkiezingen": 1,
}
MONITORING_CATEGORY = "Operationeel beheer"  # raised by the desk's monitoring, not a caller
IMPACT_WEIGHTS = {Level.LAAG: 74, Level.MIDDEN: 22, Level.HOOG: 4}
CHANNEL_WEIGHTS = {Channel.TELEFOON: 55, Channel.SELFSERVICE: 22, Channel.MAIL: 15,
                   Channel.BALIE: 8}
# Cells whose resolution target is at most three work days: an old open call in one of
# them is certainly breached.
SHORT_CELLS = ((Level.MIDDEN, Level.HOOG), (Level.HOOG, Level.MIDDEN),
               (Level.MIDDEN, Level.MIDDEN), (Level.LAAG, Level.HOOG))
# Cells with at least five work days (40 h) to resolve: a call open for a few days in one
# of them is still on time.
LONG_CELLS = ((Level.LAAG, Level.LAAG), (Level.LAAG, Level.MIDDEN), (Level.MIDDEN, Level.LAAG))
# Work time to resolve a request (no SLA target): (shortest, longest) in hours.
REQUEST_WORK_HOURS = {
    CallType.SERVICEVERZOEK: (1.0, 24.0),
    CallType.INFORMATIEVERZOEK: (0.1, 4.0),
    CallType.WIJZIGINGSVERZOEK: (8.0, 60.0),
}
CI_TYPES_BY_CATEGORY: dict[str, tuple[CiType, ...]] = {
    "Printen en scannen": (CiType.PRINTER,),
    "Hardware": (CiType.WERKPLEK, CiType.LAPTOP),
    "Besturingssystemen": (CiType.WERKPLEK, CiType.LAPTOP),
    "Beveiliging": (CiType.WERKPLEK, CiType.LAPTOP),
    "Kernapplicatie": (CiType.APPLICATIE,),
    "Telefonie": (CiType.TELEFOON,),
    "Mobiele apparaten": (CiType.MOBIEL_APPARAAT,),
    "Netwerkdiensten": (CiType.NETWERKAPPARAAT,),
    "Operationeel beheer": (CiType.SERVER,),
    "Verkiezingen": (CiType.LAPTOP,),
}
OUTBOX_WINDOW = timedelta(hours=24)  # confirmations kept for calls this recent...
OUTBOX_LIMIT = 60  # ...but only for the last few, whatever the size of the demo


class Fate(StrEnum):
    """Where a call stands at `now`."""

    HISTORY = "history"  # resolved, and closed unless that is still to come
    GEREGISTREERD = "geregistreerd"
    IN_BEHANDELING = "in-behandeling"
    WACHT = "wacht"


class Flavour(StrEnum):
    NORMAL = "normal"
    EVENING_P1 = "evening-p1"  # a P1 at the counter during an evening opening
    OPEN_P1 = "open-p1"
    BREACHED = "breached"  # an open call past its target
    LONG_RUNNING = "long-running"  # open for days, in a cell whose target allows that
    LIVE = "live"  # registered minutes ago, whatever the hour


@dataclass(slots=True)
class CallSeed:
    registered: datetime
    fate: Fate
    flavour: Flavour = Flavour.NORMAL
    year: int = 0
    number: int = 0


@dataclass(slots=True)
class CallRows:
    calls: list[Row] = field(default_factory=list)
    pauses: list[Row] = field(default_factory=list)
    history: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)
    outbox: list[Row] = field(default_factory=list)


def open_count(total: int) -> int:
    """2–5 % of the calls are open, at least ~60 and at most a few hundred: a queue an
    operator can read, whatever the size of the history."""
    return min(max(round(total * 0.03), 60), 300, total // 4)


def plan_seeds(world: World, sla: SlaEngine, total: int) -> list[CallSeed]:
    """Registration instants and fates, numbered per (site, Amsterdam year) in order."""
    rng = world.rng
    now = world.now.astimezone(UTC)  # all arithmetic in UTC: see ids.whole_seconds
    service = sla.calendars.service
    start = now - timedelta(days=HISTORY_DAYS)
    last_history = now - timedelta(minutes=30)
    open_total = open_count(total)
    history_total = total - open_total
    seeds: list[CallSeed] = []

    evening = min(history_total // 10, max(2, round(total * 0.002)))
    on_call = sla.calendars.on_call
    low, high = on_call.position(start), on_call.position(now - timedelta(days=1))
    if high <= low:
        evening = 0
    for _ in range(evening):
        registered = on_call.instant_at(rng.uniform(low, high))
        seeds.append(CallSeed(whole_seconds(registered), Fate.HISTORY, Flavour.EVENING_P1))

    low, high = service.position(start), service.position(last_history)
    span = (last_history - start).total_seconds()
    for _ in range(history_total - evening):
        if rng.random() < 0.85 and high > low:
            registered = service.instant_at(rng.uniform(low, high))
        else:  # self-service and mail arrive at any hour
            registered = start + timedelta(seconds=rng.uniform(0, span))
        seeds.append(CallSeed(whole_seconds(registered), Fate.HISTORY))

    seeds.extend(_open_seeds(world, sla, open_total))
    seeds.sort(key=lambda seed: seed.registered)
    counters: dict[int, int] = {}
    zone = sla.calendars.config.zone
    for seed in seeds:
        seed.year = seed.registered.astimezone(zone).year
        counters[seed.year] = counters.get(seed.year, 0) + 1
        seed.number = counters[seed.year]
    return seeds


def _open_seeds(world: World, sla: SlaEngine, total: int) -> list[CallSeed]:
    if total <= 0:
        return []
    rng = world.rng
    now = world.now.astimezone(UTC)
    service = sla.calendars.service
    now_position = service.position(now)

    def aged(low_hours: float, high_hours: float) -> datetime:
        age = rng.uniform(low_hours, high_hours) * HOUR
        return whole_seconds(min(service.instant_at(now_position - age), now - MINUTE))

    every_status = total >= 3  # from three open calls on, one in each open status at least
    registered_count = max(1, round(total * 0.2)) if every_status else 0
    waiting_count = max(1, round(total * 0.25)) if every_status else 0
    handling_count = total - registered_count - waiting_count
    seeds: list[CallSeed] = []
    live = min(3, registered_count)
    late = min(registered_count - live, max(1, registered_count // 6))
    for index in range(registered_count):
        if index < live:
            minutes = rng.uniform(2, 50)
            seeds.append(CallSeed(whole_seconds(now - timedelta(minutes=minutes)),
                                  Fate.GEREGISTREERD, Flavour.LIVE))
        elif index < live + late:
            seeds.append(CallSeed(aged(3, 16), Fate.GEREGISTREERD, Flavour.BREACHED))
        else:
            seeds.append(CallSeed(aged(0.02, 0.25), Fate.GEREGISTREERD))
    for _ in range(waiting_count):
        seeds.append(CallSeed(aged(4, 96), Fate.WACHT))
    p1 = 0 if total < 20 else 1 if total < 150 else 2
    breached = max(1, handling_count // 12) if handling_count > p1 else 0
    for index in range(handling_count):
        if index < p1:
            seeds.append(CallSeed(aged(0.4, 2), Fate.IN_BEHANDELING, Flavour.OPEN_P1))
        elif index < p1 + breached:
            seeds.append(CallSeed(aged(32, 120), Fate.IN_BEHANDELING, Flavour.BREACHED))
        elif rng.random() < 0.6:  # most are hours old, well within their targets
            seeds.append(CallSeed(aged(0.3, 7), Fate.IN_BEHANDELING))
        else:
            seeds.append(CallSeed(aged(7, 38), Fate.IN_BEHANDELING, Flavour.LONG_RUNNING))
    return seeds


class _Timeline:
    """Events of one call in order, at whole seconds, each at least a second after the
    one before: a history that reads top to bottom."""

    def __init__(self, start: datetime) -> None:
        self.last = start

    def at(self, candidate: datetime) -> datetime:
        instant = max(whole_seconds(candidate), self.last + SECOND)
        self.last = instant
        return instant


@dataclass(slots=True)
class _Story:
    """One call's course, before it becomes rows."""

    reacted: datetime | None = None
    handler: OperatorInfo | None = None
    reclassified_from: Level | None = None
    moves: list[tuple[datetime, SupportLine, OperatorInfo]] = field(default_factory=list)
    pauses: list[tuple[datetime, datetime | None, str, OperatorInfo]] = field(
        default_factory=list
    )
    resolved: datetime | None = None
    closed: datetime | None = None
    escalated: tuple[datetime, int] | None = None


class CallSimulator:
    """Turns seeds into rows, chunk by chunk, so a 100k-call demo never holds all its rows
    (about seven per call) in memory at once."""

    def __init__(self, world: World, sla: SlaEngine) -> None:
        self.world = world
        self.now = world.now.astimezone(UTC)  # events are computed in UTC, stored as such
        self.sla = sla
        self.rng = world.rng
        self.service = sla.calendars.service
        self.zone = sla.calendars.config.zone
        self.agents = [op for op in world.operators_with(OperatorRole.AGENT)
                       if op.line is SupportLine.EERSTE_LIJN]
        self.on_call = world.operators_with(OperatorRole.ON_CALL)
        self.second_line = world.operators_with(OperatorRole.SPECIALIST, SupportLine.TWEEDE_LIJN)
        self.specialists = world.operators_with(OperatorRole.SPECIALIST, SupportLine.SPECIALIST)
        self.organisations = list(world.organisations)
        self.incident_categories = [c for c in INCIDENT_CATEGORY_WEIGHTS if c in world.categories]
        self.incident_weights = [INCIDENT_CATEGORY_WEIGHTS[c] for c in self.incident_categories]
        self.outbox_since = self.now - OUTBOX_WINDOW
        self.max_number: dict[int, int] = {}
        self.open_by_status: dict[CallStatus, int] = {}

    # -- public -----------------------------------------------------------------------
    def keep_outbox_for(self, seeds: Sequence[CallSeed]) -> None:
        """Queue confirmations for the most recent calls only (seeds are in time order)."""
        if len(seeds) > OUTBOX_LIMIT:
            self.outbox_since = max(self.outbox_since, seeds[-OUTBOX_LIMIT].registered)

    def rows(self, seeds: Iterable[CallSeed]) -> CallRows:
        rows = CallRows()
        for seed in seeds:
            self._simulate(seed, rows)
        return rows

    # -- choosing who and what ------------------------------------------------------------
    def _organisation(self, seed: CallSeed) -> OrganisationInfo:
        rng = self.rng
        candidates = [o for o in self.organisations if o.takes_calls_at(seed.registered)]
        if seed.fate is not Fate.HISTORY:
            candidates = [o for o in candidates if o.calls_until is None] or candidates
        if seed.flavour in (Flavour.EVENING_P1, Flavour.OPEN_P1):
            candidates = [o for o in candidates if o.evening_opening] or candidates
        return rng.choices(candidates, [o.call_weight for o in candidates])[0]

    def _classify(self, seed: CallSeed, organisation: OrganisationInfo, monitoring: bool
                  ) -> tuple[CallType, str, texts.Text, Level | None, Level | None, Level | None]:
        """(type, category, texts, impact, urgency, urgency first chosen at intake)."""
        rng = self.rng
        if monitoring:
            category = MONITORING_CATEGORY
            return (CallType.STORING, category, rng.choice(texts.INCIDENTS[category]),
                    Level.LAAG, Level.HOOG, None)
        if seed.flavour is Flavour.EVENING_P1:
            category, text = rng.choice(texts.EVENING_INCIDENTS)
            return CallType.STORING, category, text, Level.HOOG, Level.HOOG, None
        if seed.flavour is Flavour.OPEN_P1:
            return (CallType.STORING, "Kernapplicatie", texts.P1_INCIDENT, Level.HOOG,
                    Level.HOOG, None)
        call_type = (CallType.STORING if seed.flavour is Flavour.BREACHED
                     else rng.choices(list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values()))[0])
        if call_type is not CallType.STORING:
            category, subject, description = rng.choice(texts.REQUESTS[call_type])
            levels = (None, None) if call_type is CallType.INFORMATIEVERZOEK else (
                Level.LAAG, Level.LAAG)
            return call_type, category, (subject, description), *levels, None
        category = rng.choices(self.incident_categories, self.incident_weights)[0]
        text = rng.choice(texts.INCIDENTS[category])
        if seed.flavour in (Flavour.BREACHED, Flavour.LONG_RUNNING):
            cells = SHORT_CELLS if seed.flavour is Flavour.BREACHED else LONG_CELLS
            impact, urgency = rng.choice(cells)
            return call_type, category, text, impact, urgency, None
        suggested = self.world.categories[category].suggested_urgency or Level.LAAG
        urgency = suggested if rng.random() < 0.75 else rng.choice(
            [level for level in Level if level is not suggested])
        impact = rng.choices(list(IMPACT_WEIGHTS), list(IMPACT_WEIGHTS.values()))[0]
        first_urgency = None
        if seed.fate is not Fate.GEREGISTREERD and rng.random() < 0.03:
            first_urgency = rng.choice([level for level in Level if level is not urgency])
            if impact is Level.HOOG and Level.HOOG in (urgency, first_urgency):
                first_urgency = None  # keep P1s rare and deliberate
        if impact is Level.HOOG and urgency is Level.HOOG and rng.random() < 0.7:
            impact = Level.MIDDEN  # a true P1 is rare; most "everyone" reports are not
        return call_type, category, text, impact, urgency, first_urgency

    def _channel(self, seed: CallSeed, monitoring: bool) -> Channel:
        rng = self.rng
        if monitoring:
            return Channel.MAIL
        if seed.flavour in (Flavour.EVENING_P1, Flavour.OPEN_P1):
            return Channel.TELEFOON
        if seed.flavour is Flavour.LIVE or not self.service.is_open(seed.registered):
            return Channel.SELFSERVICE if rng.random() < 0.65 else Channel.MAIL
        return rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0]

    def _fill(self, text: str, organisation: OrganisationInfo,
              caller: PersonInfo | None, choices: dict[str, str]) -> str:
        if "{" not in text:
            return text
        if not choices:
            rng = self.rng
            core = [app for app in organisation.applications
                    if app not in texts.NOT_CORE_APPLICATIONS]
            choices["app"] = rng.choice(core or organisation.applications)
            choices["floor"] = rng.choice(texts.FLOORS)
            choices["location"] = rng.choice(organisation.locations)
            choices["department"] = (caller.department if caller
                                     else rng.choice(organisation.departments))
            servers = self.world.cis.servers
            choices["server"] = rng.choice(servers) if servers else "dsm-app-001"
        return text.format_map(choices)

    # -- the course of one call -------------------------------------------------------------
    def _simulate(self, seed: CallSeed, rows: CallRows) -> None:
        rng = self.rng
        world = self.world
        registered = seed.registered
        organisation = self._organisation(seed)
        monitoring = organisation.own and seed.flavour is Flavour.NORMAL and rng.random() < 0.4
        caller = None if monitoring or not organisation.people else rng.choice(
            organisation.people)
        call_type, category, text, impact, urgency, first_urgency = self._classify(
            seed, organisation, monitoring)
        channel = self._channel(seed, monitoring)
        choices: dict[str, str] = {}
        subject = self._fill(text[0], organisation, caller, choices)
        description = self._fill(text[1], organisation, caller, choices)

        first_plan = self.sla.plan_call(
            registered, call_type, impact, first_urgency or urgency)
        if first_plan.handled_by is Handler.ON_CALL:
            registered_by: OperatorInfo | None = rng.choice(self.on_call)
        elif channel is Channel.SELFSERVICE:
            registered_by = None
        else:
            registered_by = rng.choice(self.agents)

        story = self._story(seed, call_type, first_plan, registered_by)
        if first_urgency is not None:
            story.reclassified_from = first_urgency
        pauses: list[Pause] = [(start, end) for start, end, _, _ in story.pauses]
        plan = self.sla.plan_call(registered, call_type, impact, urgency, pauses,
                                  reacted=story.reacted, resolved=story.resolved)
        status = self._status(seed, story)
        call_id = world.ids.at(registered)
        line = story.moves[-1][1] if story.moves else SupportLine.EERSTE_LIJN
        handler = story.moves[-1][2] if story.moves else story.handler
        supplier = supplier_reference = None
        if line is SupportLine.DERDE_LIJN:
            supplier = rng.choice(texts.SUPPLIERS.get(category, texts.GENERAL_SUPPLIERS))
            supplier_reference = f"{supplier.split()[0].upper()[:4]}-{rng.randrange(10**5, 10**6)}"
        history = self._history(call_id, seed, story, plan, registered_by, impact, urgency)
        last = max([registered, *(entry["at"] for entry in history)])
        solution = None
        if story.resolved is not None:
            solution = rng.choice(texts.SOLUTIONS.get(category, texts.GENERAL_SOLUTIONS))
        rows.calls.append({
            "id": call_id,
            "created_at": registered,
            "updated_at": last,
            "site": CENTRAL_SITE,
            "year": seed.year,
            "number": seed.number,
            "call_type": call_type,
            "channel": channel,
            "caller_id": caller.id if caller else None,
            "organisation_id": organisation.id,
            "department_id": caller.department_id if caller else None,
            "category_id": world.categories[category].id,
            "subject": subject,
            "description": description,
            "impact": impact,
            "urgency": urgency,
            "priority": plan.priority,
            "status": status,
            "handler_id": handler.id if handler else None,
            "line": line,
            "supplier": supplier,
            "supplier_reference": supplier_reference,
            "handled_by": plan.handled_by,
            "escalation_level": story.escalated[1] if story.escalated else 0,
            "registered_by_id": registered_by.id if registered_by else None,
            "registered_at": registered,
            "reaction_due": plan.reaction_due,
            "resolution_due": plan.resolution_due,
            "reacted_at": story.reacted,
            "resolved_at": story.resolved,
            "closed_at": story.closed,
            "solution": solution,
            "version": 1 + sum(1 for entry in history if entry["at"] > registered),
        })
        rows.history.extend(history)
        for start, end, reason, operator in story.pauses:
            rows.pauses.append({
                "id": world.ids.at(start), "created_at": start, "updated_at": end or start,
                "call_id": call_id, "started_at": start, "ended_at": end, "reason": reason,
                "operator_id": operator.id,
            })
        self._link_cis(call_id, category, organisation, caller, registered, rows)
        if caller is not None and caller.email and registered >= self.outbox_since:
            rows.outbox.append(self._confirmation(call_id, seed, subject, caller, plan))
        self.max_number[seed.year] = max(self.max_number.get(seed.year, 0), seed.number)
        if status in (CallStatus.GEREGISTREERD, CallStatus.IN_BEHANDELING, CallStatus.WACHT):
            self.open_by_status[status] = self.open_by_status.get(status, 0) + 1

    def _status(self, seed: CallSeed, story: _Story) -> CallStatus:
        if seed.fate is Fate.HISTORY:
            return CallStatus.GESLOTEN if story.closed is not None else CallStatus.OPGELOST
        return CallStatus(seed.fate.value)

    def _story(self, seed: CallSeed, call_type: CallType, first_plan: CallSla,
               registered_by: OperatorInfo | None) -> _Story:
        story = _Story()
        if seed.fate is Fate.GEREGISTREERD:
            return story
        rng = self.rng
        now = self.now
        registered = seed.registered
        timeline = _Timeline(registered)
        # Reaction: a share of the target in the reaction clock's own calendar.
        clock = first_plan.reaction
        calendar = self.sla.calendar(clock.kind)
        share = rng.uniform(0.05, 0.9) if rng.random() < 0.88 else rng.uniform(1.05, 3.0)
        if seed.flavour is Flavour.OPEN_P1:
            share = rng.uniform(0.2, 0.8)
        reacted = calendar.instant_at(calendar.position(registered) + share * clock.target_s)
        if reacted >= now - MINUTE:
            reacted = registered + (now - registered) * rng.uniform(0.05, 0.4)
        story.reacted = timeline.at(reacted)
        story.handler = self._first_handler(first_plan, registered_by)
        if seed.fate is Fate.HISTORY:
            self._finish(seed, call_type, first_plan, story, timeline)
            if story.resolved is None or story.resolved > now:
                return self._quick(seed, first_plan, registered_by)
        else:
            self._still_open(seed, call_type, story, timeline)
        return story

    def _first_handler(self, plan: CallSla, registered_by: OperatorInfo | None) -> OperatorInfo:
        if plan.handled_by is Handler.ON_CALL:
            return registered_by or self.rng.choice(self.on_call)
        if registered_by is not None and registered_by in self.agents and self.rng.random() < 0.6:
            return registered_by
        return self.rng.choice(self.agents)

    def _moves(self, call_type: CallType, story: _Story, timeline: _Timeline,
               until: datetime, *, forced: SupportLine | None = None) -> None:
        """Up the functional ladder: 1st → 2nd → specialist → 3rd line (supplier)."""
        rng = self.rng
        chance = 0.22 if call_type is CallType.STORING else 0.10
        if forced is None and rng.random() >= chance:
            return
        ladder = [SupportLine.TWEEDE_LIJN]
        if forced is SupportLine.SPECIALIST or (forced is None and rng.random() < 0.35):
            ladder.append(SupportLine.SPECIALIST)
            if forced is None and rng.random() < 0.3:
                ladder.append(SupportLine.DERDE_LIJN)
        previous = timeline.last
        for line in ladder:
            candidate = previous + (until - previous) * rng.uniform(0.1, 0.4)
            at = timeline.at(candidate)
            if line is SupportLine.TWEEDE_LIJN:
                handler = rng.choice(self.second_line or self.agents)
            elif line is SupportLine.SPECIALIST:
                handler = rng.choice(self.specialists or self.agents)
            else:  # the specialist keeps the call and chases the supplier
                handler = story.moves[-1][2] if story.moves else story.handler
            story.moves.append((at, line, handler))
            previous = at

    def _finish(self, seed: CallSeed, call_type: CallType, first_plan: CallSla,
                story: _Story, timeline: _Timeline) -> None:
        """The rest of a past call: work, perhaps a wait, resolution and closing."""
        rng = self.rng
        service = self.service
        if first_plan.resolution is not None:
            share = rng.uniform(0.05, 0.95) if rng.random() < 0.9 else rng.uniform(1.05, 2.2)
            work = share * first_plan.resolution.target_s
        else:
            low, high = REQUEST_WORK_HOURS.get(call_type, (0.5, 8.0))
            work = rng.uniform(low, high) * HOUR
        base = service.position(seed.registered)
        waits = rng.random() < 0.15
        worked = work * rng.uniform(0.1, 0.6) if waits else work
        milestone = whole_seconds(service.instant_at(base + worked))
        self._moves(call_type, story, timeline, max(milestone, timeline.last + MINUTE))
        if waits:
            started = timeline.at(milestone)
            hours = rng.choice((rng.uniform(1, 8), rng.uniform(1, 8), rng.uniform(8, 72),
                                rng.uniform(8, 72), rng.uniform(72, 240)))
            ended = timeline.at(service.next_opening(started + timedelta(hours=hours)))
            operator = story.moves[-1][2] if story.moves else story.handler
            assert operator is not None
            story.pauses.append((started, ended, rng.choice(texts.WAITING_REASONS), operator))
            remaining = max(work - worked, 300.0)
            resolved = service.instant_at(service.position(ended) + remaining)
        else:
            resolved = milestone
        story.resolved = timeline.at(resolved)
        closing = service.instant_at(service.position(story.resolved)
                                     + rng.uniform(0.5, 24) * HOUR)
        closed = timeline.at(closing)
        story.closed = closed if closed <= self.now else None

    def _quick(self, seed: CallSeed, first_plan: CallSla,
               registered_by: OperatorInfo | None) -> _Story:
        """A recent call that was dealt with at once (a password, a question): its
        simulated course would have ended after `now`."""
        rng = self.rng
        now = self.now
        timeline = _Timeline(seed.registered)
        story = _Story(handler=self._first_handler(first_plan, registered_by))
        story.reacted = timeline.at(seed.registered + (now - seed.registered)
                                    * rng.uniform(0.05, 0.3))
        story.resolved = timeline.at(story.reacted + (now - story.reacted)
                                     * rng.uniform(0.1, 0.6))
        closing = self.service.instant_at(self.service.position(story.resolved)
                                          + rng.uniform(0.5, 24) * HOUR)
        closed = timeline.at(closing)
        story.closed = closed if closed <= now else None
        return story

    def _still_open(self, seed: CallSeed, call_type: CallType, story: _Story,
                    timeline: _Timeline) -> None:
        rng = self.rng
        now = self.now
        forced = SupportLine.SPECIALIST if seed.flavour is Flavour.OPEN_P1 else None
        self._moves(call_type, story, timeline, now - MINUTE, forced=forced)
        operator = story.moves[-1][2] if story.moves else story.handler
        assert operator is not None
        if seed.fate is Fate.IN_BEHANDELING and seed.flavour is Flavour.NORMAL and (
            rng.random() < 0.12
        ):
            started = timeline.at(timeline.last + (now - timeline.last) * rng.uniform(0.1, 0.4))
            ended = started + (now - started) * rng.uniform(0.2, 0.8)
            resumed = self.service.next_opening(ended)
            ended = timeline.at(resumed if resumed < now - MINUTE else ended)
            story.pauses.append((started, ended, rng.choice(texts.WAITING_REASONS), operator))
        if seed.fate is Fate.WACHT:
            started = timeline.at(timeline.last + (now - timeline.last) * rng.uniform(0.3, 0.95))
            story.pauses.append((started, None, rng.choice(texts.WAITING_REASONS), operator))
        if seed.flavour is Flavour.BREACHED:
            level = 2 if rng.random() < 0.3 else 1
            story.escalated = (timeline.at(timeline.last + (now - timeline.last) * 0.5), level)

    # -- rows ----------------------------------------------------------------------------------
    def _history(self, call_id: uuid.UUID, seed: CallSeed, story: _Story, plan: CallSla,
                 registered_by: OperatorInfo | None, impact: Level | None,
                 urgency: Level | None) -> list[Row]:
        entries: list[Row] = []
        ids = self.world.ids

        def add(at: datetime, operator: OperatorInfo | None, field_name: HistoryField,
                old: object, new: object, note: str | None = None) -> None:
            entries.append({
                "id": ids.at(at), "call_id": call_id, "at": at,
                "operator_id": operator.id if operator else None, "field": field_name,
                "old_value": None if old is None else str(old),
                "new_value": None if new is None else str(new), "note": note,
            })

        registered = seed.registered
        first_priority = plan.priority
        if story.reclassified_from is not None and impact is not None:
            first_priority = priority_for(impact, story.reclassified_from)
        add(registered, registered_by, HistoryField.STATUS, None, CallStatus.GEREGISTREERD.value)
        if first_priority is not None:
            add(registered, registered_by, HistoryField.PRIORITY, None, first_priority)
        if story.reacted is None or story.handler is None:
            return entries
        handler = story.handler
        if story.reclassified_from is not None and urgency is not None:
            note = "Urgentie bijgesteld na overleg met de melder"
            add(story.reacted, handler, HistoryField.URGENCY, story.reclassified_from.value,
                urgency.value, note)
            if first_priority != plan.priority:
                add(story.reacted, handler, HistoryField.PRIORITY, first_priority,
                    plan.priority, note)
        add(story.reacted, handler, HistoryField.HANDLER, None, handler.id)
        add(story.reacted, handler, HistoryField.STATUS, CallStatus.GEREGISTREERD.value,
            CallStatus.IN_BEHANDELING.value)
        line = SupportLine.EERSTE_LIJN
        current = handler
        for at, new_line, new_handler in story.moves:
            add(at, current, HistoryField.LINE, line.value, new_line.value,
                f"Doorgezet naar {new_line.value}")
            if new_handler.id != current.id:
                add(at, current, HistoryField.HANDLER, current.id, new_handler.id)
            line, current = new_line, new_handler
        for started, ended, reason, operator in story.pauses:
            add(started, operator, HistoryField.STATUS, CallStatus.IN_BEHANDELING.value,
                CallStatus.WACHT.value, reason)
            if ended is not None:
                add(ended, operator, HistoryField.STATUS, CallStatus.WACHT.value,
                    CallStatus.IN_BEHANDELING.value)
        if story.escalated is not None:
            at, level = story.escalated
            add(at, current, HistoryField.ESCALATION_LEVEL, 0, level,
                "Termijn overschreden; contractmanager geïnformeerd")
        if story.resolved is not None:
            add(story.resolved, current, HistoryField.STATUS, CallStatus.IN_BEHANDELING.value,
                CallStatus.OPGELOST.value)
        if story.closed is not None:
            add(story.closed, current, HistoryField.STATUS, CallStatus.OPGELOST.value,
                CallStatus.GESLOTEN.value)
        return entries

    def _link_cis(self, call_id: uuid.UUID, category: str, organisation: OrganisationInfo,
                  caller: PersonInfo | None, at: datetime, rows: CallRows) -> None:
        types = CI_TYPES_BY_CATEGORY.get(category)
        rng = self.rng
        if not types or rng.random() >= 0.5:
            return
        ci_type = rng.choice(types)
        index = self.world.cis
        candidates: Sequence[uuid.UUID] = ()
        if caller is not None:
            candidates = index.by_owner.get((caller.id, ci_type), ())
        if not candidates:
            scope = None if organisation.own or ci_type is CiType.SERVER else organisation.id
            candidates = index.by_organisation.get((scope, ci_type), ())
        if candidates:
            rows.links.append({"call_id": call_id, "ci_id": rng.choice(candidates),
                               "linked_at": at})

    def _confirmation(self, call_id: uuid.UUID, seed: CallSeed, subject: str,
                      caller: PersonInfo, plan: CallSla) -> Row:
        """The automatic confirmation the SLA promises (services/mail.py's text)."""
        from desk_tui.services.mail import CONFIRMATION
        from desk_tui.store.numbers import ReferenceKind, format_reference

        subject_template, body_template = CONFIRMATION["nl"]
        zone = self.zone

        def when(instant: datetime | None) -> str:
            return "—" if instant is None else instant.astimezone(zone).strftime(
                "%Y-%m-%d %H:%M")

        values = {
            "reference": format_reference(ReferenceKind.CALL, CENTRAL_SITE, seed.year,
                                          seed.number),
            "subject": subject,
            "name": caller.name,
            "priority": "—" if plan.priority is None else str(plan.priority),
            "reaction_due": when(plan.reaction_due),
            "resolution_due": when(plan.resolution_due),
        }
        registered = seed.registered
        sent = registered + timedelta(seconds=20)
        delivered = sent <= self.now - timedelta(minutes=5)
        return {
            "id": self.world.ids.at(registered),
            "created_at": registered,
            "dedupe_key": f"call-registered:{call_id}",
            "recipient": caller.email,
            "subject": subject_template.safe_substitute(values)[:300],
            "body": body_template.safe_substitute(values),
            "language": "nl",
            "call_id": call_id,
            "sent_at": sent if delivered else None,
            "attempts": 1 if delivered else 0,
            "next_attempt_at": registered,
            "last_error": None,
        }
