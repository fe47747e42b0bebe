"""Every key of every screen, read from the bindings themselves so it cannot drift."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from desk_tui.ui.i18n import _

# Textual adds the palette's key to every app itself; listed here with desk's own keys.
PALETTE_BINDING = Binding("ctrl+p", "command_palette", "palette",
                          tooltip="Open the command palette")


def _key_label(key: str) -> str:
    names = {"question_mark": "?", "slash": "/", "escape": "Esc", "enter": "Enter",
             "backspace": "Backspace", "right": "→", "left": "←", "tab": "Tab"}
    return ", ".join(names.get(k.strip(), k.strip()) for k in key.split(","))


def bindings_table(title: str, bindings: list[BindingType]) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None,
                  padding=(0, 2, 0, 0))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for binding in bindings:
        if not isinstance(binding, Binding) or not binding.description:
            continue
        explanation = _(binding.tooltip) if binding.tooltip else _(binding.description)
        table.add_row(Text(_key_label(binding.key)), Text(explanation))
    return table


class HelpScreen(ModalScreen[None]):
    """All keys, per screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "dismiss", "Close", id="help.close"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; max-width: 95%; height: 85%; border: round $primary;
        background: $surface; padding: 1 2;
    }
    """

    def __init__(self, opened_on: str | None = None) -> None:
        super().__init__()
        self.opened_on = opened_on  # the class name of the screen F1 was pressed on

    def compose(self) -> ComposeResult:
        from desk_tui.ui.app import DeskApp
        from desk_tui.ui.screens.call import CallScreen
        from desk_tui.ui.screens.change_form import ChangeFormScreen
        from desk_tui.ui.screens.changes import ChangesScreen
        from desk_tui.ui.screens.ci_impact import ImpactScreen
        from desk_tui.ui.screens.ci_lookup import CiLookup
        from desk_tui.ui.screens.cmdb import CmdbScreen, RelationTree
        from desk_tui.ui.screens.contracts import ContractScreen, ContractsScreen
        from desk_tui.ui.screens.escalations import EscalationsScreen
        from desk_tui.ui.screens.expiry import ExpiryScreen
        from desk_tui.ui.screens.handover import HandoverScreen
        from desk_tui.ui.screens.intake import IntakeScreen
        from desk_tui.ui.screens.problems import ProblemScreen, ProblemsScreen
        from desk_tui.ui.screens.queue import QueueScreen
        from desk_tui.ui.screens.reports import ReportsScreen
        from desk_tui.ui.screens.standby import StandbyScreen
        from desk_tui.ui.widgets.priority_picker import PriorityPicker

        # (the screens a section belongs to, its title, its keys)
        sections: list[tuple[tuple[str, ...], str, list[BindingType]]] = [
            ((), _("Everywhere"), [*DeskApp.BINDINGS, PALETTE_BINDING]),
            (("QueueScreen",), _("Queue"), QueueScreen.BINDINGS),
            (("IntakeScreen",), _("New call"), IntakeScreen.BINDINGS),
            (("IntakeScreen",), _("Priority picker"), PriorityPicker.BINDINGS),
            (("CallScreen",), _("Call"), CallScreen.BINDINGS),
            (("CiLookup",), _("CMDB lookup"), CiLookup.BINDINGS),
            (("CmdbScreen",), _("CMDB"), [*CmdbScreen.BINDINGS, *RelationTree.BINDINGS]),
            (("ImpactScreen",), _("Impact of an outage"), ImpactScreen.BINDINGS),
            (("ExpiryScreen",), _("Expiring"), ExpiryScreen.BINDINGS),
            (("ContractsScreen", "ContractScreen"), _("Contracts"),
             [*ContractsScreen.BINDINGS, *ContractScreen.BINDINGS]),
            (("EscalationsScreen",), _("Needs action"), EscalationsScreen.BINDINGS),
            (("ChangesScreen",), _("Changes"), ChangesScreen.BINDINGS),
            (("ChangeFormScreen",), _("New change"), ChangeFormScreen.BINDINGS),
            (("ProblemsScreen",), _("Problems"), ProblemsScreen.BINDINGS),
            (("ProblemScreen",), _("Problem"), ProblemScreen.BINDINGS),
            (("ReportsScreen",), _("Reports"), ReportsScreen.BINDINGS),
            (("HandoverScreen",), _("On-call handover"), HandoverScreen.BINDINGS),
            (("StandbyScreen",), _("Standby log"), StandbyScreen.BINDINGS),
        ]
        # The keys of the screen F1 was pressed on come first, after those that work everywhere.
        sections.sort(key=lambda section: 0 if not section[0] else (
            1 if self.opened_on in section[0] else 2))
        self.titles = [title for _screens, title, _bindings in sections]
        with VerticalScroll():
            yield Static(Text(_("Keys"), style="bold"))
            for _screens, title, bindings in sections:
                yield Static(bindings_table(title, list(bindings)))
            yield Static(Text(_("Ctrl+P opens the command palette with every action.")))
