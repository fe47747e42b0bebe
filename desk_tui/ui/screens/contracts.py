"""Contracts and licences (SPEC 8): every contract with its supplier, term, end date and
the number of CIs it covers, sorted and filtered as you type, those ending within 90 days
marked; below them the licences in use with their seats, expiry and the CIs that use them;
and one contract in full with the CIs it covers, each a key away from the CMDB.

The list is read once in a thread worker (contracts number in the hundreds, not the
hundred thousands): filtering and sorting run on what was read, without I/O.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static

from desk_tui.services.cmdb_views import (
    ENDING_SOON_DAYS,
    CiHit,
    ContractDetail,
    ContractRow,
    LicenceRow,
)
from desk_tui.ui.cmdb_labels import NONE_MARK, contract_kind_label, short_date
from desk_tui.ui.i18n import N_, _
from desk_tui.ui.screens.base import DeskScreen
from desk_tui.ui.screens.expiry import DAYS_WIDTH, days_cell
from desk_tui.ui.text import fit, visible
from desk_tui.ui.widgets.ci_search import CiHitList, hit_prompt
from desk_tui.ui.widgets.crisis_banner import CrisisBanner
from desk_tui.ui.widgets.desk_footer import DeskFooter
from desk_tui.ui.widgets.desk_header import DeskHeader
from desk_tui.ui.widgets.fact_grid import FactGrid
from desk_tui.ui.widgets.option_rows import MUTED, OptionRows


# -- what the rows show --------------------------------------------------------------------
def _by_end(row: ContractRow) -> tuple[Any, ...]:
    """Soonest end first, open-ended after; ended contracts (history) come last."""
    return (row.ends_on is None, row.ends_on or date.max, row.number)


def _order(today: date, key: Callable[[ContractRow], tuple[Any, ...]]
           ) -> Callable[[ContractRow], tuple[Any, ...]]:
    """`key`, with the contracts still running before those that ended."""
    return lambda row: (row.ends_on is not None and row.ends_on < today, *key(row))


# (key, label, order): the sorts `s` cycles through, the first the default.
SORTS: tuple[tuple[str, str, Callable[[ContractRow], tuple[Any, ...]]], ...] = (
    ("end", N_("end date"), _by_end),
    ("supplier", N_("supplier"),
     lambda row: (row.supplier.casefold(), *_by_end(row))),
    ("organisation", N_("organisation"),
     lambda row: (row.organisation is not None, (row.organisation or "").casefold(),
                  *_by_end(row))),
    ("cis", N_("CIs covered"), lambda row: (-row.ci_count, *_by_end(row))),
    ("number", N_("number"), lambda row: (row.number.casefold(),)),
)


def term_text(row: ContractRow) -> str:
    """"1 jan 2024 – 31 jan 2027"; open-ended contracts say so."""
    end = short_date(row.ends_on) if row.ends_on is not None else _("open-ended")
    return f"{short_date(row.starts_on)} – {end}"


def matches(row: ContractRow, words: list[str]) -> bool:
    """Every typed word in the number, title, supplier, organisation or kind."""
    haystack = " ".join((
        row.number, row.title, row.supplier, row.organisation or _("own infrastructure"),
        contract_kind_label(row.kind),
    )).casefold()
    return all(word in haystack for word in words)


def contract_row_prompt(row: ContractRow, today: date) -> Content:
    """Days to the end, the end, number, supplier, title, term, kind, CIs, organisation;
    a contract ending (or to be cancelled) within 90 days says so in the warning colour."""
    if row.ends_on is None:
        countdown: tuple[str, str] = (fit(NONE_MARK, DAYS_WIDTH, "right"), MUTED)
    else:
        countdown = days_cell((row.ends_on - today).days)
    ended = row.ends_on is not None and row.ends_on < today
    mark: tuple[str, str] = ("", "")
    if row.ends_within(today, ENDING_SOON_DAYS):
        mark = ((_("cancel by {day}").format(day=short_date(row.notice_by)), "$warning")
                if row.notice_by is not None else (_("ending soon"), "$warning"))
    elif ended:
        mark = (_("ended"), MUTED)
    plain = MUTED if ended else ""
    return Content.assemble(
        countdown, "  ",
        (fit(short_date(row.ends_on), 12), plain), " ",
        (fit(visible(row.number), 14), MUTED if ended else "bold"), " ",
        (fit(visible(row.supplier), 18), plain), " ",
        (fit(visible(" ".join(row.title.split())), 19), plain), " ",
        (fit(mark[0], 25), mark[1]), " ",
        (fit(_("{n} CIs").format(n=row.ci_count), 8, "right"), plain), "  ",
        (fit(visible(row.organisation) if row.organisation else _("own infrastructure"), 20),
         MUTED), " ",
        (contract_kind_label(row.kind), MUTED),
    )


def licence_matches(row: LicenceRow, words: list[str]) -> bool:
    """Every typed word in the name, vendor, product, organisation or a CI using it."""
    haystack = " ".join((
        row.name, row.vendor or "", row.product or "",
        row.organisation or _("own infrastructure"), *row.for_cis,
    )).casefold()
    return all(word in haystack for word in words)


def licence_expiring(row: LicenceRow, today: date) -> bool:
    """Expired, or expiring within 90 days: what "ending soon" means for a licence."""
    return row.expires_on is not None and (row.expires_on - today).days <= ENDING_SOON_DAYS


def seats_text(row: LicenceRow) -> str:
    """"180/250 seats"; what is known of it otherwise."""
    if row.seats is None:
        return "" if row.seats_in_use is None else _("{n} in use").format(n=row.seats_in_use)
    if row.seats_in_use is None:
        return _("{n} seats").format(n=row.seats)
    return _("{used}/{n} seats").format(used=row.seats_in_use, n=row.seats)


def licence_prompt(row: LicenceRow, today: date) -> Content:
    """Days to expiry (the queue's colours), expiry, name, vendor, seats, organisation,
    and the CIs that use it."""
    if row.expires_on is None:
        countdown: tuple[str, str] = (fit(NONE_MARK, DAYS_WIDTH, "right"), MUTED)
    else:
        countdown = days_cell((row.expires_on - today).days)
    full = (row.seats is not None and row.seats_in_use is not None
            and row.seats_in_use >= row.seats)
    users = ", ".join(visible(name) for name in row.for_cis)
    return Content.assemble(
        countdown, "  ",
        (fit(short_date(row.expires_on), 12), ""), " ",
        (fit(visible(row.name), 30), "bold"), " ",
        (fit(visible(row.vendor or NONE_MARK), 16), ""), " ",
        (fit(seats_text(row), 16), "$warning" if full else MUTED), " ",
        (fit(visible(row.organisation) if row.organisation else _("own infrastructure"), 20),
         MUTED), " ",
        ((_("for {names}").format(names=users) if users else ""), MUTED),
    )


def contract_facts(contract: ContractRow, today: date) -> list[tuple[str, str]]:
    """The contract's facts in reading order: who, what kind, for whom, how long."""
    if contract.ends_on is None:
        ends_in = _("open-ended")
    else:
        days = (contract.ends_on - today).days
        ends_in = (_("ended {n} days ago").format(n=-days) if days < 0
                   else _("in {n} days").format(n=days))
    return [
        (_("Supplier"), visible(contract.supplier)),
        (_("Kind"), contract_kind_label(contract.kind)),
        (_("Organisation"), visible(contract.organisation) if contract.organisation
         else _("own infrastructure")),
        (_("Term"), term_text(contract)),
        (_("Ends"), ends_in),
        (_("Notice"), _("{n} months").format(n=contract.notice_months)),
        (_("Cancel by"), short_date(contract.notice_by)),
        (_("Renews itself"), _("yes") if contract.renews_automatically else _("no")),
    ]


# -- messages -----------------------------------------------------------------------------
class ContractsLoaded(Message):
    def __init__(self, today: date, rows: list[ContractRow],
                 licences: list[LicenceRow]) -> None:
        super().__init__()
        self.today = today
        self.rows = rows
        self.licences = licences


class ContractLoaded(Message):
    def __init__(self, today: date, detail: ContractDetail) -> None:
        super().__init__()
        self.today = today
        self.detail = detail


# -- the list -----------------------------------------------------------------------------
class ContractsScreen(DeskScreen[None]):
    """Every contract and licence the operator may see; type to filter, Enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter", id="contracts.filter",
                tooltip="Filter contracts and licences as you type"),
        Binding("f5", "ending_soon", "Ending soon", id="contracts.ending",
                tooltip="Only what ends, is to be cancelled or expires within 90 days"),
        Binding("f6", "next_sort", "Sort", id="contracts.sort",
                tooltip="Sort by end date, supplier, organisation, CIs covered or number"),
        Binding("tab", "switch_list", "Other list", id="contracts.switch", show=False,
                tooltip="Between the contracts and the licences"),
        Binding("r", "refresh", "Refresh", id="contracts.refresh", show=False,
                tooltip="Read the contracts again"),
        Binding("escape", "back", "Back", id="contracts.back", tooltip="Back"),
    ]
    DEFAULT_CSS = """
    ContractsScreen {
        #contracts-body { height: 1fr; padding: 0 1; }
        #contracts-bar {
            height: 1;
            margin-top: 1;
            padding: 0 1;
            background: $desk-header-background;
        }
        #contracts-bar > Static { width: auto; margin-right: 3; text-wrap: nowrap; }
        #contracts-title { text-style: bold; }
        #contracts-summary, #contracts-sort { color: $desk-muted; }
        #contracts-filter { margin-top: 1; }
        .pane {
            margin-top: 1;
            border-title-color: $desk-muted;
            border-title-style: bold;
        }
        #contracts-pane { height: 3fr; }
        #licences-pane { height: 2fr; }
        #contracts-list, #contracts-licences { height: 1fr; }
    }
    """
    NAVIGATION_KEYS: ClassVar[dict[str, str]] = {
        "down": "cursor_down", "up": "cursor_up",
        "pagedown": "page_down", "pageup": "page_up",
    }  # fmt: skip

    def __init__(self, *, ending_soon: bool = False) -> None:
        super().__init__()
        self.rows: list[ContractRow] = []
        self.licences: list[LicenceRow] = []
        self.today: date | None = None
        self.sort_index = 0
        self.only_ending = ending_soon

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield CrisisBanner()  # from GRIP 3, as on every screen
        with Vertical(id="contracts-body"):
            with Horizontal(id="contracts-bar"):
                yield Static(Text(_("Contracts")), id="contracts-title")
                yield Static(Text(_("Loading…")), id="contracts-summary")
                yield Static("", id="contracts-sort")
            yield Input(placeholder=_("Number, title, supplier, organisation, kind…"),
                        id="contracts-filter", max_length=100)
            with Vertical(id="contracts-pane", classes="pane") as contracts_pane:
                contracts_pane.border_title = _("Contracts")
                yield OptionRows(empty_text=_("No contract matches"), id="contracts-list")
            with Vertical(id="licences-pane", classes="pane") as licences_pane:
                licences_pane.border_title = _("Licences")
                yield OptionRows(empty_text=_("No licence matches"),
                                 id="contracts-licences")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.query_one("#contracts-filter", Input).focus()
        self._show_sort()
        self.reload()

    def on_connected(self) -> None:
        self.reload()

    def reload(self) -> None:
        if self.desk_app.desk is not None and self.desk_app.actor is not None:
            self.load()

    def action_refresh(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="contracts", exit_on_error=False,
          description="load the contracts")
    def load(self) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        today = app.desk.today()
        self.post_message(ContractsLoaded(today, app.desk.contracts(app.actor),
                                          app.desk.licences(app.actor)))

    @on(ContractsLoaded)
    def _loaded(self, message: ContractsLoaded) -> None:
        self.today = message.today
        self.rows = message.rows
        self.licences = message.licences
        self.show_rows()

    # -- what is shown -----------------------------------------------------------------------
    @property
    def shown(self) -> list[ContractRow]:
        """The rows on screen, in their order."""
        return list(self.query_one("#contracts-list", OptionRows).values)

    def visible_rows(self) -> list[ContractRow]:
        """The rows read, filtered by the typed words and the "ending soon" switch, sorted."""
        if self.today is None:
            return []
        today = self.today
        words = self.query_one("#contracts-filter", Input).value.casefold().split()
        rows = [
            row for row in self.rows
            if matches(row, words)
            and (not self.only_ending or row.ends_within(today, ENDING_SOON_DAYS))
        ]
        rows.sort(key=_order(today, SORTS[self.sort_index][2]))
        return rows

    @property
    def shown_licences(self) -> list[LicenceRow]:
        return list(self.query_one("#contracts-licences", OptionRows).values)

    def visible_licences(self) -> list[LicenceRow]:
        """The licences read, filtered like the contracts; soonest expiry first."""
        if self.today is None:
            return []
        today = self.today
        words = self.query_one("#contracts-filter", Input).value.casefold().split()
        return [
            row for row in self.licences
            if licence_matches(row, words)
            and (not self.only_ending or licence_expiring(row, today))
        ]

    def show_rows(self) -> None:
        if self.today is None:
            return
        today = self.today
        rows = self.visible_rows()
        self.query_one("#contracts-list", OptionRows).set_rows(
            [(row, contract_row_prompt(row, today)) for row in rows])
        licences = self.visible_licences()
        self.query_one("#contracts-licences", OptionRows).set_rows(
            [(row, licence_prompt(row, today)) for row in licences])
        self.query_one("#contracts-pane").border_title = _("Contracts ({n})").format(
            n=len(rows))
        self.query_one("#licences-pane").border_title = _("Licences ({n})").format(
            n=len(licences))
        ending = sum(1 for row in self.rows if row.ends_within(today, ENDING_SOON_DAYS))
        summary = _("{shown} of {total} · {ending} ending within {days} days").format(
            shown=len(rows), total=len(self.rows), ending=ending, days=ENDING_SOON_DAYS)
        if self.only_ending:
            summary += " · " + _("only those ending soon (F5: all)")
        self.query_one("#contracts-summary", Static).update(Text(summary))

    def _show_sort(self) -> None:
        label = _(SORTS[self.sort_index][1])
        self.query_one("#contracts-sort", Static).update(
            Text(_("sorted by {what}").format(what=label)))

    # -- keys --------------------------------------------------------------------------------
    @on(Input.Changed, "#contracts-filter")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.show_rows()

    def on_key(self, event: events.Key) -> None:
        """Up/down and page keys in the filter field move through the list."""
        action = self.NAVIGATION_KEYS.get(event.key)
        listing = self.query_one("#contracts-list", OptionRows)
        if action is None or not listing.values or not self.query_one(
                "#contracts-filter", Input).has_focus:
            return
        getattr(listing, f"action_{action}")()
        event.stop()
        event.prevent_default()

    @on(Input.Submitted, "#contracts-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.open_highlighted()

    @on(OptionList.OptionSelected, "#contracts-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = self.query_one("#contracts-list", OptionRows).value_at(event.option_index)
        if isinstance(row, ContractRow):
            self.open_contract(row.id)

    def open_highlighted(self) -> None:
        row = self.query_one("#contracts-list", OptionRows).highlighted_value
        if isinstance(row, ContractRow):
            self.open_contract(row.id)

    @on(OptionList.OptionSelected, "#contracts-licences")
    def _licence_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = self.query_one("#contracts-licences", OptionRows).value_at(event.option_index)
        if isinstance(row, LicenceRow):
            from desk_tui.ui.screens.cmdb import CmdbScreen

            self.app.push_screen(CmdbScreen(row.id), callback=lambda _r: self.reload())

    def action_switch_list(self) -> None:
        """The field and the contracts, then the licences, then back to the field."""
        licences = self.query_one("#contracts-licences")
        if licences.has_focus:
            self.query_one("#contracts-filter", Input).focus()
        elif self.query_one("#contracts-list").has_focus:
            licences.focus()
        else:
            self.query_one("#contracts-list").focus()

    def open_contract(self, contract_id: uuid.UUID) -> None:
        self.app.push_screen(ContractScreen(contract_id), callback=lambda _r: self.reload())

    def action_focus_filter(self) -> None:
        self.query_one("#contracts-filter", Input).focus()

    def action_ending_soon(self) -> None:
        self.only_ending = not self.only_ending
        self.show_rows()

    def action_next_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self._show_sort()
        self.show_rows()

    def action_back(self) -> None:
        self.dismiss(None)


# -- one contract -------------------------------------------------------------------------
class CoveredCis(CiHitList):
    """The CIs a contract covers, as the CMDB search shows hits."""


class ContractScreen(DeskScreen[None]):
    """One contract in full; Enter on a CI shows it in the CMDB."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "Refresh", id="contract.refresh", show=False,
                tooltip="Read the contract again"),
        Binding("escape", "back", "Back", id="contract.back", tooltip="Back"),
    ]
    DEFAULT_CSS = """
    ContractScreen {
        #contract-body { height: 1fr; padding: 0 1; }
        #contract-bar {
            height: 1;
            margin-top: 1;
            padding: 0 1;
            background: $desk-header-background;
        }
        #contract-bar > Static { width: auto; margin-right: 2; text-wrap: nowrap; }
        #contract-number { text-style: bold; }
        #contract-title { text-overflow: ellipsis; }
        .pane {
            margin-top: 1;
            border-title-color: $desk-muted;
            border-title-style: bold;
        }
        #contract-facts-pane { height: auto; }
        #contract-notes { height: auto; max-height: 3; color: $desk-muted; }
        #contract-notes.empty { display: none; }
        #contract-cis-pane { height: 1fr; }
    }
    """

    def __init__(self, contract_id: uuid.UUID) -> None:
        super().__init__()
        self.contract_id = contract_id
        self.detail: ContractDetail | None = None

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield CrisisBanner()  # from GRIP 3, as on every screen
        with Vertical(id="contract-body"):
            with Horizontal(id="contract-bar"):
                yield Static(Text(_("Loading…")), id="contract-number")
                yield Static("", id="contract-title")
            with Vertical(id="contract-facts-pane", classes="pane") as facts_pane:
                facts_pane.border_title = _("Contract")
                yield FactGrid(columns=2, label_width=15, id="contract-facts")
                yield Static("", id="contract-notes", classes="empty")
            with Vertical(id="contract-cis-pane", classes="pane") as cis_pane:
                cis_pane.border_title = _("Covers")
                yield CoveredCis(empty_text=_("This contract covers no CI"),
                                 id="contract-cis")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.query_one("#contract-cis").focus()
        self.reload()

    def on_connected(self) -> None:
        self.reload()

    def reload(self) -> None:
        if self.desk_app.desk is not None and self.desk_app.actor is not None:
            self.load(self.contract_id)

    def action_refresh(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="contract", exit_on_error=False,
          description="load a contract")
    def load(self, contract_id: uuid.UUID) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        today = app.desk.today()
        self.post_message(ContractLoaded(today, app.desk.contract_detail(app.actor,
                                                                         contract_id)))

    @on(ContractLoaded)
    def _loaded(self, message: ContractLoaded) -> None:
        detail = self.detail = message.detail
        contract = detail.contract
        self.query_one("#contract-number", Static).update(
            Text(visible(contract.number), end=""))
        self.query_one("#contract-title", Static).update(
            Text(visible(" ".join(contract.title.split())), end=""))
        self.query_one("#contract-facts", FactGrid).set_facts(
            contract_facts(contract, message.today))
        notes = " ".join((detail.notes or "").split())
        self.query_one("#contract-notes", Static).update(Text(visible(notes), end=""))
        self.query_one("#contract-notes").set_class(not notes, "empty")
        self.query_one("#contract-cis-pane").border_title = _("Covers {n} CIs").format(
            n=len(detail.cis))
        self.query_one("#contract-cis", CoveredCis).set_rows(
            [(hit, hit_prompt(hit)) for hit in detail.cis])

    @on(OptionList.OptionSelected, "#contract-cis")
    def _ci_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        hit = self.query_one("#contract-cis", CoveredCis).value_at(event.option_index)
        if isinstance(hit, CiHit):
            from desk_tui.ui.screens.cmdb import CmdbScreen

            self.app.push_screen(CmdbScreen(hit.id), callback=lambda _r: self.reload())

    def action_back(self) -> None:
        self.dismiss(None)
