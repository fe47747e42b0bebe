"""The command palette: every action of the current screen and the app, named
"area: verb", built from the same bindings as the footer so the two never disagree."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from desk_tui.ui.i18n import _

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
