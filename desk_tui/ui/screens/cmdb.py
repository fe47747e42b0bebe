"""The CMDB: search as you type on the left; on the right the item in full — its facts and
type-specific attributes, a relation tree that opens both ways, and its calls, changes,
contracts (Enter opens one) and history. `i` shows what an outage of the item would
affect; F6 lists every contract.

Every read runs in a thread worker; the tree reads a branch only when it is opened.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static, TabbedContent, TabPane, Tree
from textual.widgets.tree import TreeNode, UnknownNodeID

from desk_tui.services.cmdb_views import (
    CiDetail,
    CiHistoryRow,
    CiLinkedCall,
    CiLinkedChange,
    CiNeighbour,
    ContractRow,
    Direction,
)
from desk_tui.store.enums import CallStatus, CiHistoryField, CiRelationKind, CiStatus, CiType
from desk_tui.ui.cmdb_labels import (
    CI_HISTORY_LABELS,
    NONE_MARK,
    attribute_rows,
    ci_status_label,
    ci_type_label,
    contract_kind_label,
    relation_label,
    short_date,
)
from desk_tui.ui.formats import short_datetime
from desk_tui.ui.i18n import N_, _
from desk_tui.ui.screens.base import DeskScreen
from desk_tui.ui.screens.call import STATUS_LABELS, HistoryView
from desk_tui.ui.text import fit, visible
from desk_tui.ui.widgets.ci_search import CiSearch
from desk_tui.ui.widgets.crisis_banner import CrisisBanner
from desk_tui.ui.widgets.desk_footer import DeskFooter
from desk_tui.ui.widgets.desk_header import DeskHeader
from desk_tui.ui.widgets.fact_grid import FactGrid
from desk_tui.ui.widgets.option_rows import MUTED, OptionRows

if TYPE_CHECKING:
    from desk_tui.ui.app import Connected

TABS = ("calls", "changes", "contracts", "history")


# -- what the rows and the tree show ------------------------------------------------------
def call_status_label(status: str) -> str:
    try:
        return _(STATUS_LABELS[CallStatus(status)])
    except (KeyError, ValueError):
        return visible(status)


def call_prompt(call: CiLinkedCall, *, show_via: bool = False) -> Content:
    """"M2026-000012  P2  In behandeling  ma 30 nov 09:00  subject"; closed calls muted."""
    priority = NONE_MARK if call.priority is None else f"P{call.priority}"
    priority_style = MUTED if call.priority is None else f"$priority-{call.priority}"
    rest_style = "" if call.open else MUTED
    parts: list[str | tuple[str, str]] = [
        (fit(visible(call.reference), 13), "bold" if call.open else MUTED),
        " ",
        (fit(priority, 3), priority_style if call.open else MUTED),
        " ",
        (fit(call_status_label(call.status), 14), rest_style),
        " ",
        (fit(short_datetime(call.registered_at), 16), MUTED),
        " ",
    ]
    if show_via and call.via_ci:
        parts.append((f"{_('via')} {visible(call.via_ci)}: ", MUTED))
    parts.append((visible(" ".join(call.subject.split())), rest_style))
    return Content.assemble(*parts)


def change_prompt(change: CiLinkedChange) -> Content:
    planned = short_datetime(change.planned_for) if change.planned_for else NONE_MARK
    return Content.assemble(
        (fit(visible(change.reference), 13), "bold"), " ",
        (fit(visible(change.status), 14), ""), " ",
        (fit(planned, 16), MUTED), " ",
        visible(" ".join(change.title.split())),
    )


def contract_prompt(contract: ContractRow) -> Content:
    """Two lines: number, supplier and title; then kind, term, last day to cancel."""
    if contract.ends_on is None:
        term = _("open-ended")
    else:
        term = _("until {day}").format(day=short_date(contract.ends_on))
    details = [contract_kind_label(contract.kind), term]
    if contract.notice_by is not None:
        details.append(_("cancel by {day}").format(day=short_date(contract.notice_by)))
    if contract.renews_automatically:
        details.append(_("renews"))
    return Content.assemble(
        (fit(visible(contract.number), 14), "bold"), " ",
        (fit(visible(contract.supplier), 24), ""), " ",
        visible(" ".join(contract.title.split())),
        ("\n" + " " * 15 + " · ".join(details), MUTED),
    )


def ci_history_value(field: CiHistoryField, value: str | None) -> str:
    if value is None:
        return ""
    if field is CiHistoryField.STATUS:
        return ci_status_label(value)
    if field is CiHistoryField.EXPIRES_ON:
        try:
            return short_date(date.fromisoformat(value))
        except ValueError:
            pass
    return visible(value)


def ci_history_rows(history: tuple[CiHistoryRow, ...]) -> list[tuple[str, str, str, str, str]]:
    """(when, who, what, old → new, note), newest first, as plain visible text."""
    rows = []
    for entry in sorted(history, key=lambda row: row.at, reverse=True):
        old = ci_history_value(entry.field, entry.old_value)
        new = ci_history_value(entry.field, entry.new_value)
        change = f"{old or NONE_MARK} → {new or NONE_MARK}" if old else new
        rows.append((
            short_datetime(entry.at),
            visible(entry.operator or NONE_MARK),
            _(CI_HISTORY_LABELS.get(entry.field, entry.field.value)),
            change,
            visible(" ".join((entry.note or "").split())),
        ))
    return rows


def ci_facts(detail: CiDetail) -> list[tuple[str, str]]:
    """The facts every CI has, in reading order: where it is and whose, then its tags."""
    hit = detail.hit

    def value(text: str | None) -> str:
        return visible(text) if text else NONE_MARK

    owner = hit.owner
    if owner and detail.owner_login:
        owner = f"{owner} ({detail.owner_login})"
    facts = [
        (_("Status"), ci_status_label(hit.status)),
        (_("Owner"), value(owner)),
        (_("Organisation"), value(hit.organisation) if hit.organisation
         else _("own infrastructure")),
        (_("Location"), value(hit.location)),
        (_("Configuration"), value(detail.configuration)),
        (_("In service"), short_date(detail.in_service_on)),
    ]
    if detail.retired_on is not None:
        facts.append((_("Retired"), short_date(detail.retired_on)))
    if hit.expires_on is not None:
        facts.append((_("Expires"), short_date(hit.expires_on)))
    facts += [
        (_("Asset tag"), value(hit.asset_tag)),
        (_("Serial number"), value(hit.serial_number)),
        (_("Hostname"), value(hit.hostname)),
        (_("IP address"), value(hit.ip_address)),
    ]
    if detail.external_ref:
        facts.append((_("Imported as"), value(detail.external_ref)))
    return facts


# -- the relation tree --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RelationEntry:
    """One CI in the tree and how it relates to the CI above it (None at the root)."""

    ci_id: uuid.UUID
    name: str
    ci_type: CiType
    status: CiStatus
    kind: CiRelationKind | None = None
    direction: Direction | None = None

    @classmethod
    def of(cls, neighbour: CiNeighbour) -> RelationEntry:
        return cls(neighbour.id, neighbour.name, neighbour.ci_type, neighbour.status,
                   neighbour.kind, neighbour.direction)


def relation_order(neighbour: CiNeighbour) -> tuple[int, str, str]:
    """What this CI needs first (outgoing), then what needs it; by relation, then name."""
    outgoing = 0 if neighbour.direction is Direction.OUTGOING else 1
    return outgoing, neighbour.kind.value, neighbour.name.casefold()


class RelationTree(Tree[RelationEntry]):
    """Relations both ways: → and ← (or space) open and close a branch, read on demand;
    Enter shows the CI under the cursor."""

    DEFAULT_CSS = """
    RelationTree {
        background: $surface;
        & > .relation-tree--muted { color: $desk-muted; }
        & > .relation-tree--out { color: $secondary; }
        & > .relation-tree--warning { color: $warning; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "relation-tree--muted", "relation-tree--out", "relation-tree--warning",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right", "open_branch", "Open branch", show=False, id="cmdb.tree-open"),
        Binding("left", "close_branch", "Close branch", show=False, id="cmdb.tree-close"),
    ]

    class BranchWanted(Message):
        """A branch was opened whose relations are not read yet."""

        def __init__(self, tree: RelationTree, node: TreeNode[RelationEntry]) -> None:
            super().__init__()
            self.tree = tree
            self.node = node

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text(""), id=id)
        self.auto_expand = False
        self.guide_depth = 3
        self.loaded: set[int] = set()  # node ids whose children were read
        self.generation = 0  # bumped by `show`: answers for an older tree are dropped

    def show(self, root: RelationEntry, neighbours: tuple[CiNeighbour, ...]) -> None:
        """The tree of one CI: itself at the root, its direct relations below."""
        self.generation += 1
        self.loaded.clear()
        self.reset(Text(visible(root.name)), root)
        self.add_neighbours(self.root, neighbours)
        self.root.expand()
        self.move_cursor(self.root)

    def add_neighbours(self, node: TreeNode[RelationEntry],
                       neighbours: tuple[CiNeighbour, ...] | list[CiNeighbour]) -> None:
        self.loaded.add(node.id)
        for neighbour in sorted(neighbours, key=relation_order):
            node.add(Text(visible(neighbour.name)), RelationEntry.of(neighbour),
                     allow_expand=neighbour.has_more)
        if not neighbours and not node.is_root:
            node.allow_expand = False

    @on(Tree.NodeExpanded)
    def _expanded(self, event: Tree.NodeExpanded[RelationEntry]) -> None:
        if event.node.id not in self.loaded:
            self.post_message(self.BranchWanted(self, event.node))

    def action_open_branch(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and not node.is_expanded:
            node.expand()
        elif node.is_expanded and node.children:
            self.move_cursor(node.children[0])

    def action_close_branch(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and not node.is_root:
            node.collapse()
        elif node.parent is not None:
            self.move_cursor(node.parent)

    def render_label(self, node: TreeNode[RelationEntry], base_style: Style,
                     style: Style) -> Text:
        """"runs on  SRV-01  Server": the relation as read from the CI above, muted."""
        entry = node.data
        if entry is None:
            return super().render_label(node, base_style, style)
        muted = self.get_component_rich_style("relation-tree--muted", partial=True)
        text = Text(end="")
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            text.append(icon, base_style)
        else:
            text.append("  ", base_style)
        if entry.kind is not None and entry.direction is not None:
            arrow = "→" if entry.direction is Direction.OUTGOING else "←"
            direction_style = (self.get_component_rich_style("relation-tree--out", partial=True)
                               if entry.direction is Direction.OUTGOING else muted)
            text.append(f"{arrow} {relation_label(entry.kind, entry.direction)}  ",
                        direction_style + style)
        text.append(visible(entry.name), style + Style(bold=node.is_root))
        text.append(f"  {ci_type_label(entry.ci_type)}", muted + style)
        if entry.status is not CiStatus.IN_GEBRUIK:
            warning = self.get_component_rich_style("relation-tree--warning", partial=True)
            text.append(f" · {ci_status_label(entry.status)}", warning + style)
        return text


# -- messages -----------------------------------------------------------------------------
class CiLoaded(Message):
    def __init__(self, detail: CiDetail) -> None:
        super().__init__()
        self.detail = detail


class NeighboursLoaded(Message):
    def __init__(self, generation: int, node_id: int, neighbours: list[CiNeighbour]) -> None:
        super().__init__()
        self.generation = generation
        self.node_id = node_id
        self.neighbours = neighbours


class CallRows(OptionRows[CiLinkedCall]):
    pass


# The tab keys share one place in the footer ("1234 Tabs"); each tab's label carries its
# key. Listed one by one, they pushed Quit off the footer at 140 columns.
TAB_GROUP = Binding.Group(N_("Tabs"), compact=True)


def tab_label(pane_id: str, text: str) -> Content:
    """A tab's label after its key (1 for the first of TABS), the key in bold: the label
    may end in a count ("Calls 2 (1 open)")."""
    return Content.assemble((str(TABS.index(pane_id) + 1), "bold"), " ", text)


class CmdbScreen(DeskScreen[None]):
    """Find a CI and see it in full; Esc goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", id="cmdb.search",
                tooltip="Search the CMDB as you type"),
        Binding("t", "focus_relations", "Relations", id="cmdb.relations",
                tooltip="The relation tree: arrows move, → opens a branch, Enter shows the CI"),
        Binding("i", "impact", "Impact", id="cmdb.impact",
                tooltip="What an outage of this CI affects, and the open calls on it"),
        Binding("1", "show_tab('calls')", "Calls", id="cmdb.calls", group=TAB_GROUP,
                tooltip="The calls on this CI (Enter opens one)"),
        Binding("2", "show_tab('changes')", "Changes", id="cmdb.changes", group=TAB_GROUP,
                tooltip="The changes to this CI"),
        Binding("3", "show_tab('contracts')", "Contracts", id="cmdb.contracts", group=TAB_GROUP,
                tooltip="The contracts this CI falls under"),
        Binding("4", "show_tab('history')", "History", id="cmdb.history", group=TAB_GROUP,
                tooltip="Every change to this CI"),
        Binding("f6", "all_contracts", "All contracts", id="cmdb.all-contracts",
                tooltip="Every contract: supplier, term, end, CIs covered; those ending soon"),
        Binding("backspace", "previous_ci", "Previous", id="cmdb.previous",
                tooltip="Back to the CI shown before"),
        Binding("r", "refresh", "Refresh", id="cmdb.refresh", show=False,
                tooltip="Read the CI again"),
        Binding("escape", "back", "Back", id="cmdb.back", tooltip="Close the CMDB"),
    ]

    DEFAULT_CSS = """
    CmdbScreen {
        #cmdb-body { height: 1fr; padding: 0 1; }
        .pane {
            margin-top: 1;
            border-title-color: $desk-muted;
            border-title-style: bold;
        }
        #cmdb-search-pane { width: 46; height: 1fr; }
        #cmdb-detail { width: 1fr; margin-left: 1; }
        #cmdb-detail.empty #ci-shown { display: none; }
        #cmdb-detail #ci-none { display: none; color: $desk-muted; margin: 2 2; }
        #cmdb-detail.empty #ci-none { display: block; }
        #ci-shown { height: 1fr; }
        #ci-bar {
            height: 1;
            margin-top: 1;
            padding: 0 1;
            background: $desk-header-background;
        }
        #ci-bar > Static { width: auto; margin-right: 2; text-wrap: nowrap; }
        #ci-name { text-style: bold; text-overflow: ellipsis; }
        #ci-type, #ci-status { color: $desk-muted; }
        #ci-facts-pane, #ci-attributes-pane { height: auto; }
        #ci-notes { height: auto; max-height: 3; color: $desk-muted; }
        #ci-notes.empty { display: none; }
        #ci-relations-pane { height: 1fr; min-height: 5; }
        #ci-tabs { height: 1fr; min-height: 6; margin-top: 1; }
        #ci-tabs TabPane { padding: 0; }
        #ci-tabs ContentSwitcher { height: 1fr; }
        #ci-tabs OptionRows, #ci-history-scroll { height: 1fr; }
        RelationTree { height: 1fr; }
    }
    """

    def __init__(self, ci_id: uuid.UUID | None = None, *, text: str = "") -> None:
        super().__init__()
        self.start_ci_id = ci_id
        self.start_text = text
        self.detail: CiDetail | None = None
        self.previous: list[uuid.UUID] = []  # CIs shown before, for Backspace
        # Once a chosen CI is shown, the keys belong to it: the focus moves to its tree.
        self._focus_tree_on_load = ci_id is not None

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield CrisisBanner()  # from GRIP 3, as on every screen
        with Horizontal(id="cmdb-body"):
            with Vertical(id="cmdb-search-pane", classes="pane") as search_pane:
                search_pane.border_title = _("Search the CMDB")
                yield CiSearch(text=self.start_text, id="cmdb-search")
            with Vertical(id="cmdb-detail", classes="empty"):
                yield Static(Text(_("Type on the left; Enter shows the item here.")),
                             id="ci-none")
                with Vertical(id="ci-shown"):
                    with Horizontal(id="ci-bar"):
                        yield Static("", id="ci-name")
                        yield Static("", id="ci-type")
                        yield Static("", id="ci-status")
                    with Vertical(id="ci-facts-pane", classes="pane") as facts_pane:
                        facts_pane.border_title = _("Item")
                        yield FactGrid(columns=2, label_width=17, id="ci-facts")
                        yield Static("", id="ci-notes", classes="empty")
                    with Vertical(id="ci-attributes-pane", classes="pane") as attributes_pane:
                        attributes_pane.border_title = _("Attributes")
                        yield FactGrid(columns=2, label_width=17,
                                       empty_text=_("No attributes"), id="ci-attributes")
                    with Vertical(id="ci-relations-pane", classes="pane") as tree_pane:
                        tree_pane.border_title = _("Relations")
                        yield RelationTree(id="ci-relations")
                    with TabbedContent(id="ci-tabs"):
                        with TabPane(tab_label("calls", _("Calls")), id="calls"):
                            yield CallRows(empty_text=_("No calls on this item"),
                                           id="ci-calls")
                        with TabPane(tab_label("changes", _("Changes")), id="changes"):
                            yield OptionRows(empty_text=_("No changes to this item"),
                                             id="ci-changes")
                        with TabPane(tab_label("contracts", _("Contracts")), id="contracts"):
                            yield OptionRows(empty_text=_("No contract covers this item"),
                                             id="ci-contracts")
                        with TabPane(tab_label("history", _("History")), id="history"), \
                                VerticalScroll(id="ci-history-scroll"):
                            yield HistoryView(id="ci-history")
        yield DeskFooter()

    def on_mount(self) -> None:
        if self.start_ci_id is None:
            self.query_one(CiSearch).focus_field()
        self.reload()

    def on_connected(self, message: Connected) -> None:
        self.reload()

    # -- reading -----------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the shown CI again (or the one asked for at the start)."""
        if self.desk_app.desk is None or self.desk_app.actor is None:
            return
        ci_id = self.detail.hit.id if self.detail is not None else self.start_ci_id
        if ci_id is not None:
            self.load_ci(ci_id)

    def action_refresh(self) -> None:
        self.reload()

    def show_ci(self, ci_id: uuid.UUID, *, remember: bool = True) -> None:
        """Show another CI, then move the focus to its relations; Backspace returns to the
        one shown now."""
        if self.detail is not None and remember and self.detail.hit.id != ci_id:
            self.previous.append(self.detail.hit.id)
            del self.previous[:-50]
        self._focus_tree_on_load = True
        self.load_ci(ci_id)

    @work(thread=True, exclusive=True, group="ci-detail", exit_on_error=False,
          description="load a configuration item")
    def load_ci(self, ci_id: uuid.UUID) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        self.post_message(CiLoaded(app.desk.ci_detail(app.actor, ci_id)))

    @work(thread=True, exclusive=False, group="ci-neighbours", exit_on_error=False,
          description="load the relations of a configuration item")
    def load_neighbours(self, generation: int, node_id: int, ci_id: uuid.UUID) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        neighbours = app.desk.ci_neighbours(app.actor, ci_id)
        self.post_message(NeighboursLoaded(generation, node_id, neighbours))

    @on(CiLoaded)
    def _loaded(self, message: CiLoaded) -> None:
        same = self.detail is not None and self.detail.hit.id == message.detail.hit.id
        self.detail = message.detail
        self.show(message.detail, keep_tree=same)
        if self._focus_tree_on_load:
            self._focus_tree_on_load = False
            self.query_one(RelationTree).focus()
        self.refresh_bindings()

    def show(self, detail: CiDetail, *, keep_tree: bool = False) -> None:
        """Put one CI on screen; every user text goes in as plain text."""
        hit = detail.hit
        self.query_one("#cmdb-detail").remove_class("empty")
        self.query_one("#ci-name", Static).update(Text(visible(hit.name), end=""))
        self.query_one("#ci-type", Static).update(Text(ci_type_label(hit.ci_type)))
        self.query_one("#ci-status", Static).update(Text(ci_status_label(hit.status)))
        self.query_one("#ci-facts", FactGrid).set_facts(ci_facts(detail))
        self.query_one("#ci-attributes-pane").border_title = ci_type_label(hit.ci_type)
        self.query_one("#ci-attributes", FactGrid).set_facts(
            attribute_rows(hit.ci_type, detail.attributes))
        notes = " ".join((detail.notes or "").split())
        self.query_one("#ci-notes", Static).update(Text(visible(notes), end=""))
        self.query_one("#ci-notes").set_class(not notes, "empty")
        if not keep_tree:
            root = RelationEntry(hit.id, hit.name, hit.ci_type, hit.status)
            self.query_one(RelationTree).show(root, detail.relations)
        self.query_one("#ci-calls", CallRows).set_rows(
            [(call, call_prompt(call)) for call in detail.calls])
        self.query_one("#ci-changes", OptionRows).set_rows(
            [(change, change_prompt(change)) for change in detail.changes])
        self.query_one("#ci-contracts", OptionRows).set_rows(
            [(contract, contract_prompt(contract)) for contract in detail.contracts])
        self.query_one("#ci-history", HistoryView).set_rows(ci_history_rows(detail.history))
        open_calls = sum(1 for call in detail.calls if call.open)
        counts = {
            "calls": _("Calls {n} ({open} open)").format(n=len(detail.calls), open=open_calls)
            if detail.calls else _("Calls"),
            "changes": f"{_('Changes')} {len(detail.changes)}" if detail.changes
            else _("Changes"),
            "contracts": f"{_('Contracts')} {len(detail.contracts)}" if detail.contracts
            else _("Contracts"),
            "history": _("History"),
        }
        tabs = self.query_one(TabbedContent)
        for pane_id, label in counts.items():
            tabs.get_tab(pane_id).label = tab_label(pane_id, label)

    @on(RelationTree.BranchWanted)
    def _branch_wanted(self, message: RelationTree.BranchWanted) -> None:
        entry = message.node.data
        if entry is not None:
            self.load_neighbours(message.tree.generation, message.node.id, entry.ci_id)

    @on(NeighboursLoaded)
    def _neighbours_loaded(self, message: NeighboursLoaded) -> None:
        tree = self.query_one(RelationTree)
        if message.generation != tree.generation or message.node_id in tree.loaded:
            return
        try:
            node = tree.get_node_by_id(message.node_id)  # type: ignore[arg-type]
        except UnknownNodeID:
            return
        entry, parent = node.data, node.parent
        came_from = parent.data if parent is not None else None
        neighbours = message.neighbours
        if entry is not None and came_from is not None:
            # The CI that led here is the line above: leave it out below.
            neighbours = [n for n in neighbours if n.id != came_from.ci_id]
        tree.add_neighbours(node, neighbours)

    # -- choosing ----------------------------------------------------------------------------
    @on(CiSearch.Chosen, "#cmdb-search")
    def _chosen(self, message: CiSearch.Chosen) -> None:
        self.show_ci(message.hit.id)

    @on(Tree.NodeSelected, "#ci-relations")
    def _node_chosen(self, event: Tree.NodeSelected[RelationEntry]) -> None:
        event.stop()
        entry = event.node.data
        if entry is not None and not event.node.is_root:
            self.show_ci(entry.ci_id)

    @on(OptionList.OptionSelected, "#ci-calls")
    def _call_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        call = self.query_one("#ci-calls", CallRows).value_at(event.option_index)
        if call is not None:
            self.open_call(call.id)

    @on(OptionList.OptionSelected, "#ci-contracts")
    def _contract_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        contract = self.query_one("#ci-contracts", OptionRows).value_at(event.option_index)
        if isinstance(contract, ContractRow):
            from desk_tui.ui.screens.contracts import ContractScreen

            self.app.push_screen(ContractScreen(contract.id),
                                 callback=lambda _result: self.reload())

    def open_call(self, call_id: uuid.UUID) -> None:
        """The call view, as the queue opens it; the CI is read again on return."""
        from desk_tui.ui.screens.call import CallScreen

        self.app.push_screen(CallScreen(call_id), callback=lambda _result: self.reload())

    # -- actions -----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"impact", "focus_relations", "show_tab", "previous_ci", "refresh"}:
            if action == "previous_ci":
                return bool(self.previous)
            return self.detail is not None or None
        return True

    def action_focus_search(self) -> None:
        self.query_one(CiSearch).focus_field()

    def action_focus_relations(self) -> None:
        self.query_one(RelationTree).focus()

    def action_show_tab(self, tab: str) -> None:
        if tab not in TABS:
            return
        tabs = self.query_one(TabbedContent)
        tabs.active = tab
        pane = tabs.get_pane(tab)
        focusable = [widget for widget in pane.query("*") if widget.focusable]
        if focusable:
            focusable[0].focus()

    def action_previous_ci(self) -> None:
        if self.previous:
            self.show_ci(self.previous.pop(), remember=False)

    def action_all_contracts(self) -> None:
        from desk_tui.ui.screens.contracts import ContractsScreen

        self.app.push_screen(ContractsScreen(), callback=lambda _result: self.reload())

    def action_impact(self) -> None:
        if self.detail is None:
            return
        from desk_tui.ui.screens.ci_impact import ImpactScreen

        self.app.push_screen(ImpactScreen(self.detail.hit), callback=self._impact_done)

    def _impact_done(self, ci_id: uuid.UUID | None) -> None:
        if ci_id is not None:
            self.show_ci(ci_id)

    def action_back(self) -> None:
        self.dismiss(None)
