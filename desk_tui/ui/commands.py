"""The command palette: every action of the current screen and the app, named
"area: verb", built from the same bindings as the footer so the two never disagree."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from rich.align import Align
from rich.text import Text
from textual.binding import Binding
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.widgets.option_list import Option

from desk_tui.ui.i18n import _
from desk_tui.ui.themes import THEME_LABELS

AREAS = {
    "QueueScreen": "Queue",
    "IntakeScreen": "New call",
    "CallScreen": "Call",
    "DeskApp": "Desk",
    "CmdbScreen": "CMDB",
    "CiLookup": "CMDB lookup",
    "ImpactScreen": "Impact of an outage",
    "ExpiryScreen": "Expiring",
    "ContractsScreen": "Contracts",
    "ContractScreen": "Contract",
    "EscalationsScreen": "Needs action",
    "ChangesScreen": "Changes",
    "ChangeFormScreen": "New change",
    "ProblemsScreen": "Problems",
    "ProblemScreen": "Problem",
    "ReportsScreen": "Reports",
    "HandoverScreen": "On-call handover",
    "StandbyScreen": "Standby log",
    "ConflictsScreen": "Offline conflicts",
    "LoginScreen": "Sign in",
}
# Keys that move between fields or open the palette itself: in the footer and the help,
# but an operator does not look for them in the palette.
NOT_COMMANDS = frozenset({
    "command_palette", "focus_next", "focus_previous", "next_field", "previous_field",
})


class DeskCommandPalette(CommandPalette):
    """Textual's palette with its "No matches found" in the interface language: Textual
    writes that line in English inside `_start_no_matches_countdown`, so that step is
    redone here with the same timing and option id."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(Option(
                    Align.center(Text(_("No matches found"), style="not bold")),
                    disabled=True, id=self._NO_MATCHES,
                ))
                self._list_visible = True
            else:  # discovery mode: an empty list needs no message
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class DeskCommands(Provider):
    """Actions that apply now: those of the screen the palette was opened on, and the app's."""

    def _commands(self) -> Iterator[tuple[str, str, DOMNode, str]]:
        for node in (self.screen, self.app):
            area = _(AREAS.get(type(node).__name__, type(node).__name__))
            seen: set[str] = set()
            for bindings in node._bindings.key_to_bindings.values():
                for binding in bindings:
                    if not isinstance(binding, Binding) or not binding.description:
                        continue
                    if binding.action in seen:
                        continue
                    seen.add(binding.action)
                    action_name = binding.action.split("(")[0]
                    if action_name.rpartition(".")[2] in NOT_COMMANDS:
                        continue
                    if node.check_action(action_name, ()) is not True:
                        continue
                    name = f"{area}: {binding.description}"
                    yield name, binding.action, node, binding.tooltip or ""

    def _runner(self, action: str, node: DOMNode):
        return partial(self.app.call_later, node.run_action, action)

    async def discover(self) -> Hits:
        for name, action, node, help_text in self._commands():
            yield DiscoveryHit(name, self._runner(action, node), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, node, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                runner = self._runner(action, node)
                yield Hit(score, matcher.highlight(name), runner, help=help_text)


class DeskThemes(Provider):
    """desk's three themes by their names in the interface language (Textual's own theme
    list would offer every theme Textual ships, in English, without desk's colours)."""

    def _themes(self) -> Iterator[tuple[str, str]]:
        for name, label in THEME_LABELS.items():
            yield _(label), name

    def _runner(self, name: str):
        def choose() -> None:
            self.app.theme = name

        return choose

    async def discover(self) -> Hits:
        for label, name in self._themes():
            yield DiscoveryHit(label, self._runner(name))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, name in self._themes():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), self._runner(name))
