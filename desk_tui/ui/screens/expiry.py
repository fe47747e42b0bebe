"""What runs out soon: certificates and licences expiring within 30, 60 or 90 days (`w`
switches), each with a countdown in days in the queue's colours, and the contracts whose
term ends in the same window. Enter on a certificate shows it in the CMDB, on a contract
the contract with the CIs it covers."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static

from desk_tui.services.cmdb_views import EXPIRY_WINDOWS, CertificateRow, ContractRow
from desk_tui.ui.cmdb_labels import (
    NONE_MARK,
    attribute_summary,
    ci_type_label,
    contract_kind_label,
    days_state,
    days_text,
    short_date,
)
from desk_tui.ui.formats import amsterdam
from desk_tui.ui.i18n import _
from desk_tui.ui.screens.base import DeskScreen
from desk_tui.ui.text import fit, visible
from desk_tui.ui.widgets.crisis_banner import CrisisBanner
from desk_tui.ui.widgets.desk_footer import DeskFooter
from desk_tui.ui.widgets.desk_header import DeskHeader
from desk_tui.ui.widgets.option_rows import MUTED, OptionRows

# What says most about an item in one line, per kind of attributes it has.
HINT_KEYS = ("common_name", "subject", "issuer", "product", "vendor", "seats")
DAYS_WIDTH = 7


def days_cell(days_left: int) -> tuple[str, str]:
    """The countdown cell, right-aligned, in its state's theme colour."""
    return fit(days_text(days_left), DAYS_WIDTH, "right"), f"${days_state(days_left)}"


def certificate_prompt(row: CertificateRow) -> Content:
    """"  12 d  12 dec 2026  Certificate   mijn.enkhuizen.nl   Gemeente …   CN=… · Sectigo"."""
    return Content.assemble(
        days_cell(row.days_left), "  ",
        (fit(short_date(row.expires_on), 12), ""), " ",
        (fit(ci_type_label(row.ci_type), 12), MUTED), " ",
        (fit(visible(row.name), 44), "bold"), " ",
        (fit(visible(row.organisation) if row.organisation else _("own infrastructure"), 24),
         ""), " ",
        (attribute_summary(row.attributes, HINT_KEYS), MUTED),
    )


def contract_prompt(row: ContractRow, today: date) -> Content:
    """Days to the end of the term, the end, number, supplier, title, the last day to
    cancel (warning once past), then kind, CIs covered and whether it renews itself."""
    days = (row.ends_on - today).days if row.ends_on is not None else None
    countdown = days_cell(days) if days is not None else (fit(NONE_MARK, DAYS_WIDTH, "right"),
                                                          MUTED)
    cancel = (_("cancel by {day}").format(day=short_date(row.notice_by))
              if row.notice_by is not None else "")
    too_late = row.notice_by is not None and row.notice_by < today
    rest = [contract_kind_label(row.kind), _("{n} CIs").format(n=row.ci_count)]
    if row.renews_automatically:
        rest.append(_("renews"))
    return Content.assemble(
        countdown, "  ",
        (fit(short_date(row.ends_on), 12), ""), " ",
        (fit(visible(row.number), 14), "bold"), " ",
        (fit(visible(row.supplier), 20), ""), " ",
        (fit(visible(" ".join(row.title.split())), 28), ""), " ",
        (fit(cancel, 26), "$warning" if too_late else MUTED), " ",
        (" · ".join(rest), MUTED),
    )


class ExpiryLoaded(Message):
    def __init__(self, window: int, today: date, certificates: list[CertificateRow],
                 contracts: list[ContractRow]) -> None:
        super().__init__()
        self.window = window
        self.today = today
        self.certificates = certificates
        self.contracts = contracts


class ExpiryScreen(DeskScreen[None]):
    """Certificates, licences and contracts that run out within the chosen window."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "next_window", "30/60/90 days", id="expiry.window",
                tooltip="Show what runs out within 30, 60 or 90 days"),
        Binding("tab", "switch_list", "Other list", id="expiry.switch", show=False,
                tooltip="Between certificates and contracts"),
        Binding("r", "refresh", "Refresh", id="expiry.refresh", show=False,
                tooltip="Read the lists again"),
        Binding("escape", "back", "Back", id="expiry.back", tooltip="Back to the queue"),
    ]
    DEFAULT_CSS = """
    ExpiryScreen {
        #expiry-body { height: 1fr; padding: 0 1; }
        #expiry-bar {
            height: 1;
            margin-top: 1;
            padding: 0 1;
            background: $desk-header-background;
        }
        #expiry-bar > Static { width: auto; margin-right: 3; text-wrap: nowrap; }
        #expiry-title { text-style: bold; }
        #expiry-legend { color: $desk-muted; }
        .pane {
            margin-top: 1;
            border-title-color: $desk-muted;
            border-title-style: bold;
        }
        /* Each list as tall as it is, the certificates first; long ones scroll. */
        #expiry-certificates-pane { height: auto; max-height: 60%; }
        #expiry-contracts-pane { height: auto; max-height: 40%; }
        OptionRows { height: auto; max-height: 100%; }
    }
    """

    def __init__(self, window: int = EXPIRY_WINDOWS[0]) -> None:
        super().__init__()
        self.window = window if window in EXPIRY_WINDOWS else EXPIRY_WINDOWS[0]
        self.certificates: list[CertificateRow] = []
        self.contracts: list[ContractRow] = []
        self.loaded_window: int | None = None

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield CrisisBanner()  # from GRIP 3, as on every screen
        with Vertical(id="expiry-body"):
            with Horizontal(id="expiry-bar"):
                yield Static("", id="expiry-title")
                yield Static(self._legend(), id="expiry-legend")
            with Vertical(id="expiry-certificates-pane", classes="pane"):
                yield OptionRows(empty_text=_("Nothing expires in this window"),
                                 id="expiry-certificates")
            with Vertical(id="expiry-contracts-pane", classes="pane"):
                yield OptionRows(empty_text=_("No contract ends in this window"),
                                 id="expiry-contracts")
        yield DeskFooter()

    @staticmethod
    def _legend() -> Text:
        return Text(_("days left; negative: expired"))

    def on_mount(self) -> None:
        self.query_one("#expiry-certificates").focus()
        self._show_window()
        self.reload()

    def on_connected(self) -> None:
        self.reload()

    def reload(self) -> None:
        if self.desk_app.desk is not None and self.desk_app.actor is not None:
            self.load(self.window)

    def action_refresh(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="expiry", exit_on_error=False,
          description="load what expires soon")
    def load(self, window: int) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        today = app.desk.now().astimezone(amsterdam()).date()
        certificates = app.desk.expiring(app.actor, within_days=window)
        contracts = app.desk.contracts(app.actor, ending_within_days=window)
        self.post_message(ExpiryLoaded(window, today, certificates, contracts))

    @on(ExpiryLoaded)
    def _loaded(self, message: ExpiryLoaded) -> None:
        if message.window != self.window:
            return  # the window was switched meanwhile: its own answer is coming
        self.loaded_window = message.window
        self.certificates = message.certificates
        self.contracts = message.contracts
        self.query_one("#expiry-certificates", OptionRows).set_rows(
            [(row, certificate_prompt(row)) for row in message.certificates])
        self.query_one("#expiry-contracts", OptionRows).set_rows(
            [(row, contract_prompt(row, message.today)) for row in message.contracts])
        self._show_window()

    def _show_window(self) -> None:
        days = self.window
        self.query_one("#expiry-title", Static).update(Text(
            _("Expiring within {days} days").format(days=days)))
        certificates = self.query_one("#expiry-certificates-pane")
        contracts = self.query_one("#expiry-contracts-pane")
        if self.loaded_window == days:
            certificates.border_title = _("Certificates and licences ({n})").format(
                n=len(self.certificates))
            contracts.border_title = _("Contracts ending ({n})").format(n=len(self.contracts))
        else:
            certificates.border_title = _("Certificates and licences")
            contracts.border_title = _("Contracts ending")

    def action_next_window(self) -> None:
        windows = list(EXPIRY_WINDOWS)
        index = windows.index(self.window) if self.window in windows else -1
        self.window = windows[(index + 1) % len(windows)]
        self._show_window()
        self.reload()

    def action_switch_list(self) -> None:
        certificates = self.query_one("#expiry-certificates")
        target = "#expiry-contracts" if certificates.has_focus else "#expiry-certificates"
        self.query_one(target).focus()

    @on(OptionList.OptionSelected, "#expiry-certificates")
    def _certificate_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = self.query_one("#expiry-certificates", OptionRows).value_at(event.option_index)
        if isinstance(row, CertificateRow):
            from desk_tui.ui.screens.cmdb import CmdbScreen

            self.app.push_screen(CmdbScreen(row.id))

    @on(OptionList.OptionSelected, "#expiry-contracts")
    def _contract_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = self.query_one("#expiry-contracts", OptionRows).value_at(event.option_index)
        if isinstance(row, ContractRow):
            from desk_tui.ui.screens.contracts import ContractScreen

            self.app.push_screen(ContractScreen(row.id))

    def action_back(self) -> None:
        self.dismiss(None)
