"""Problems (SPEC 7): the open problems, and one problem in full: its calls, the cause
analysis, the workaround, the change that fixes it and that change's state. The problem
manager records cause and workaround, registers or links the fix, adds calls, and resolves
the problem, with (after a confirmation that lists them) its open calls."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static

from desk_tui.services.access import Action
from desk_tui.store.enums import ProblemStatus
from desk_tui.ui.formats import amsterdam
from desk_tui.ui.i18n import N_, _
from desk_tui.ui.screens.base import DeskScreen
from desk_tui.ui.screens.dialogs import ChoicePrompt, Dialog, TextPrompt
from desk_tui.ui.text import fit, visible
from desk_tui.ui.widgets.crisis_banner import CrisisBanner
from desk_tui.ui.widgets.desk_footer import DeskFooter
from desk_tui.ui.widgets.desk_header import DeskHeader
from desk_tui.ui.widgets.option_rows import MUTED, OptionRows

if TYPE_CHECKING:
    from desk_tui.services.access import Actor
    from desk_tui.services.changes import ChangeRow
    from desk_tui.services.desk import Desk
    from desk_tui.services.problems import ProblemCallLine, ProblemDetail, ProblemRow

REFRESH_SECONDS = 30.0
STATES = {
    ProblemStatus.OPEN: N_("open"),
    ProblemStatus.IN_ONDERZOEK: N_("under investigation"),
    ProblemStatus.BEKENDE_FOUT: N_("known error"),
    ProblemStatus.OPGELOST: N_("resolved"),
    ProblemStatus.GESLOTEN: N_("closed"),
}


def age(since: datetime, now: datetime) -> str:
    """How long ago, in calendar time: "45m", "6h", "12d"."""
    seconds = max((now - since).total_seconds(), 0)
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    return f"{int(seconds // 86400)}d"


def problem_prompt(row: ProblemRow, now: datetime) -> Content:
    calls = _("{n} calls").format(n=row.call_count)
    if row.open_call_count != row.call_count:
        calls += " " + _("({n} open)").format(n=row.open_call_count)
    return Content.assemble(
        (fit(row.reference, 14), "bold"), " ",
        (fit(", ".join(row.organisations) or "—", 12), ""), " ",
        (fit(calls, 18), MUTED), " ",
        (fit(_(STATES[row.status]), 20), ""), " ",
        (fit(age(row.opened_at, now), 5, "right"), MUTED), "  ",
        (visible(row.title), ""),
    )


class ProblemsLoaded(Message):
    def __init__(self, rows: list[ProblemRow]) -> None:
        super().__init__()
        self.rows = rows


class ProblemLoaded(Message):
    def __init__(self, detail: ProblemDetail) -> None:
        super().__init__()
        self.detail = detail


class ProblemsScreen(DeskScreen[None]):
    """Open problems, oldest first; Enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "Refresh", id="problems.refresh", show=False,
                tooltip="Read the list again"),
        Binding("escape", "back", "Back", id="problems.back", tooltip="Back to the queue"),
    ]
    DEFAULT_CSS = """
    ProblemsScreen #problems-status { height: 1; padding: 0 1; color: $desk-muted; }
    ProblemsScreen OptionRows { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ProblemRow] = []

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield CrisisBanner()  # from GRIP 3, as on every screen
        yield Static(_("Reading…"), id="problems-status")
        yield OptionRows(empty_text=_("No open problems"), id="problems")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.load()
        self.set_interval(REFRESH_SECONDS, self.load)
        self.set_focus(self.query_one(OptionRows))  # at once: keys typed behind the opening key

    @work(thread=True, exclusive=True, group="problems", exit_on_error=False,
          description="read the open problems")
    def load(self) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        self.post_message(ProblemsLoaded(app.desk.open_problems(app.actor)))

    @on(ProblemsLoaded)
    def _loaded(self, message: ProblemsLoaded) -> None:
        self.rows = message.rows
        desk = self.desk_app.desk
        now = desk.now() if desk is not None else datetime.now(amsterdam())
        self.query_one(OptionRows).set_rows([(row, problem_prompt(row, now)) for row in self.rows])
        self.query_one("#problems-status", Static).update(
            Text(_("{count} open problems").format(count=len(self.rows))))

    @on(OptionList.OptionSelected, "#problems")
    def _open(self, event: OptionList.OptionSelected) -> None:
        row = self.query_one(OptionRows).value_at(event.option_index)
        if row is not None:
            self.app.push_screen(ProblemScreen(row.id), callback=lambda _r: self.load())

    def action_refresh(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss()


class ResolveCallsDialog(Dialog[bool | None]):
    """Resolving a problem: resolve its open calls too? The calls are listed."""

    DEFAULT_CSS = """
    ResolveCallsDialog > .dialog { width: 100; }
    ResolveCallsDialog #resolve-calls { height: auto; max-height: 14; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,j", "answer(True)", "Calls too", id="resolve-calls.yes",
                tooltip="Resolve the problem and these calls"),
        Binding("n", "answer(False)", "Problem only", id="resolve-calls.no",
                tooltip="Resolve only the problem; the calls stay open"),
    ]

    def __init__(self, title: str | Text, open_calls: list[ProblemCallLine]) -> None:
        super().__init__(title)
        self.open_calls = open_calls

    def compose(self) -> ComposeResult:
        lines = Text()
        for line in self.open_calls:
            lines.append(f"{line.reference}  {line.organisation:<6}", "bold")
            lines.append(visible(line.subject) + "\n")
        with Vertical(classes="dialog"):
            yield self.title_widget()
            yield Static(Text(_("Resolve these {n} open calls with the same solution?").format(
                n=len(self.open_calls))), classes="dialog-label")
            with VerticalScroll(id="resolve-calls"):
                yield Static(lines, id="resolve-calls-list")
            yield self.message_widget()
            yield self.hint_widget(_("y: the calls too · n: only the problem · Esc cancels"))

    def action_answer(self, resolve_calls: bool) -> None:
        self.dismiss(resolve_calls)


class ProblemScreen(DeskScreen[None]):
    """One problem in full; Enter on a call opens it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "cause", "Cause", id="problem.cause", tooltip="Record the cause analysis"),
        Binding("w", "workaround", "Workaround", id="problem.workaround",
                tooltip="Record the workaround: the problem becomes a known error"),
        Binding("f", "fix", "Fix change", id="problem.fix",
                tooltip="Register the change that carries out the structural fix"),
        Binding("l", "link_fix", "Link change", id="problem.link-fix",
                tooltip="Link an existing open change as the fix"),
        Binding("a", "add_calls", "Add calls", id="problem.add-calls",
                tooltip="Bundle more calls into this problem, by their numbers"),
        Binding("o", "resolve", "Resolve", id="problem.resolve",
                tooltip="Resolve the problem, and if you wish its open calls"),
        Binding("r", "refresh", "Refresh", id="problem.refresh", show=False,
                tooltip="Read the problem again"),
        Binding("escape", "back", "Back", id="problem.back", tooltip="Back to the problems"),
    ]
    DEFAULT_CSS = """
    ProblemScreen #problem-body { height: 1fr; }
    ProblemScreen .pane {
        height: auto; border: round $desk-muted; padding: 0 1; margin: 0 1;
        border-title-color: $desk-muted;
    }
    ProblemScreen #problem-calls { height: auto; max-height: 12; }
    ProblemScreen .muted { color: $desk-muted; }
    """

    def __init__(self, problem_id: uuid.UUID) -> None:
        super().__init__()
        self.problem_id = problem_id
        self.detail: ProblemDetail | None = None

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield CrisisBanner()  # from GRIP 3, as on every screen
        with VerticalScroll(id="problem-body"):
            with Vertical(classes="pane", id="problem-head-pane"):
                yield Static(_("Reading…"), id="problem-head")
            with Vertical(classes="pane", id="problem-calls-pane") as pane:
                pane.border_title = _("Calls")
                yield OptionRows(empty_text=_("No calls"), id="problem-calls")
            with Vertical(classes="pane", id="problem-cause-pane") as pane:
                pane.border_title = _("Cause analysis (c)")
                yield Static("", id="problem-cause")
            with Vertical(classes="pane", id="problem-workaround-pane") as pane:
                pane.border_title = _("Workaround (w)")
                yield Static("", id="problem-workaround")
            with Vertical(classes="pane", id="problem-fix-pane") as pane:
                pane.border_title = _("Fix (f registers, l links a change)")
                yield Static("", id="problem-fix")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.load()
        self.set_interval(REFRESH_SECONDS, self.load)
        self.query_one("#problem-calls", OptionRows).focus()

    # -- reading -----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="problem", exit_on_error=False,
          description="read the problem")
    def load(self) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        self.post_message(ProblemLoaded(app.desk.problem(app.actor, self.problem_id)))

    @on(ProblemLoaded)
    def _loaded(self, message: ProblemLoaded) -> None:
        self.detail = detail = message.detail
        desk = self.desk_app.desk
        assert desk is not None
        zone = desk.sla.calendars.config.zone
        now = desk.now()
        view = detail.view
        head = Text()
        head.append(f"{view.reference}  ", "bold")
        head.append(visible(view.title), "bold")
        head.append("\n" + _("State: {state}").format(state=_(STATES[view.status])))
        head.append("  ·  " + _("opened {when} ({age} ago)").format(
            when=f"{view.opened_at.astimezone(zone):%d-%m-%Y %H:%M}",
            age=age(view.opened_at, now)))
        if detail.manager:
            head.append("  ·  " + _("by {name}").format(name=visible(detail.manager)))
        if view.resolved_at is not None:
            head.append("  ·  " + _("resolved {when}").format(
                when=f"{view.resolved_at.astimezone(zone):%d-%m-%Y %H:%M}"))
        if view.description:
            head.append("\n" + visible(view.description))
        self.query_one("#problem-head", Static).update(head)
        self.query_one("#problem-calls-pane").border_title = _("Calls ({n}, {open} open)").format(
            n=len(detail.calls), open=len(view.open_call_ids))
        self.query_one("#problem-calls", OptionRows).set_rows([
            (line, Content.assemble(
                (fit(line.reference, 14), "bold"), " ",
                (fit(line.organisation, 6), ""), " ",
                (fit(line.status.value, 15), MUTED), " ",
                (f"{line.registered_at.astimezone(zone):%d-%m %H:%M}  ", MUTED),
                (visible(line.subject), ""),
            ))
            for line in detail.calls
        ])
        self.query_one("#problem-cause", Static).update(
            Text(visible(view.root_cause)) if view.root_cause
            else Text(_("Not yet known."), "italic"))
        self.query_one("#problem-workaround", Static).update(
            Text(visible(view.workaround)) if view.workaround
            else Text(_("None yet."), "italic"))
        fixes = Text()
        for fix in detail.fixes:
            fixes.append(f"{fix.reference}  ", "bold")
            fixes.append(f"{fix.kind.value}  {fix.status.value}  ")
            if fix.implemented_at is not None:
                fixes.append(_("carried out {when}").format(
                    when=f"{fix.implemented_at.astimezone(zone):%d-%m-%Y}") + "  ")
            elif fix.due is not None:
                fixes.append(_("due {when}").format(
                    when=f"{fix.due.astimezone(zone):%d-%m-%Y %H:%M}") + "  ")
            fixes.append(visible(fix.title) + "\n")
        if not detail.fixes:
            fixes.append(_("No change yet."), "italic")
        self.query_one("#problem-fix", Static).update(fixes)
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#problem-calls")
    def _open_call(self, event: OptionList.OptionSelected) -> None:
        from desk_tui.ui.screens.call import CallScreen

        line = self.query_one("#problem-calls", OptionRows).value_at(event.option_index)
        if line is not None:
            self.app.push_screen(CallScreen(line.id), callback=lambda _r: self.load())

    # -- what may be done --------------------------------------------------------------------
    NEEDS: ClassVar[dict[str, tuple[Action, ...]]] = {
        "cause": (Action.PROBLEM_MANAGE,),
        "workaround": (Action.PROBLEM_MANAGE,),
        "fix": (Action.PROBLEM_MANAGE, Action.CHANGE_REGISTER),
        "link_fix": (Action.PROBLEM_MANAGE,),
        "add_calls": (Action.PROBLEM_BUNDLE,),
        "resolve": (Action.PROBLEM_MANAGE,),
    }

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The problem manager's keys, only while the problem is not resolved."""
        needs = self.NEEDS.get(action)
        if needs is None:
            return True
        actor, detail = self.desk_app.actor, self.detail
        if actor is None or detail is None:
            return None
        if detail.view.status in (ProblemStatus.OPGELOST, ProblemStatus.GESLOTEN):
            return False
        return all(actor.may(need) for need in needs)

    def _titled(self, action: str) -> Text:
        detail = self.detail
        reference = detail.view.reference if detail else ""
        return Text(f"{action} — {reference}")

    # -- actions -----------------------------------------------------------------------------
    def action_cause(self) -> None:
        if self.detail is not None:
            prompt = TextPrompt(self._titled(_("Cause analysis")), _("What causes the calls?"),
                                initial=self.detail.view.root_cause or "", multiline=True,
                                required=False)
            self.app.push_screen(prompt, callback=partial(self._analysed, "root_cause"))

    def action_workaround(self) -> None:
        if self.detail is not None:
            prompt = TextPrompt(self._titled(_("Workaround")),
                                _("How can users work on meanwhile?"),
                                initial=self.detail.view.workaround or "", multiline=True,
                                required=False)
            self.app.push_screen(prompt, callback=partial(self._analysed, "workaround"))

    def _analysed(self, field: str, text: str | None) -> None:
        detail = self.detail
        if text is None or detail is None:
            return
        version = detail.view.version
        self.run_job(lambda desk, actor: desk.record_analysis(
            actor, self.problem_id, version, **{field: text}))

    def action_fix(self) -> None:
        from desk_tui.ui.screens.change_form import ChangeFormScreen, FixFor

        detail = self.detail
        if detail is None:
            return
        fix_for = FixFor(detail.view.id, detail.view.reference, detail.view.title,
                         detail.organisation_ids)
        self.app.push_screen(ChangeFormScreen(fix_for), callback=lambda _saved: self.load())

    def action_link_fix(self) -> None:
        if self.detail is not None:
            self.choose_change()

    @work(thread=True, exclusive=True, group="problem-changes", exit_on_error=False,
          description="read the open changes")
    def choose_change(self) -> None:
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        rows = app.desk.open_changes(app.actor)
        self.app.call_from_thread(self._ask_change, rows)

    def _ask_change(self, rows: list[ChangeRow]) -> None:
        detail = self.detail
        linked = set(detail.view.fix_change_ids) if detail else set()
        choices = [
            (row.id, f"{row.reference}  {row.organisation:<5} {row.kind.value:<17} "
                     f"{visible(row.title)}")
            for row in rows if row.id not in linked
        ]
        prompt = ChoicePrompt(self._titled(_("Link a change as the fix")), choices)
        self.app.push_screen(prompt, callback=self._change_chosen)

    def _change_chosen(self, change_id: uuid.UUID | None) -> None:
        if change_id is not None:
            self.run_job(lambda desk, actor: desk.link_fix(actor, self.problem_id, change_id))

    def action_add_calls(self) -> None:
        if self.detail is not None:
            prompt = TextPrompt(self._titled(_("Add calls")),
                                _("Call numbers, separated by commas (e.g. M2026-000012, 13)"),
                                max_length=500)
            self.app.push_screen(prompt, callback=self._calls_given)

    def _calls_given(self, text: str | None) -> None:
        if text:
            self.run_job(lambda desk, actor: desk.add_problem_calls(actor, self.problem_id, text))

    def action_resolve(self) -> None:
        if self.detail is not None:
            prompt = TextPrompt(self._titled(_("Resolve")), _("Solution"), multiline=True)
            self.app.push_screen(prompt, callback=self._solution_given)

    def _solution_given(self, solution: str | None) -> None:
        detail = self.detail
        if solution is None or detail is None:
            return
        open_ids = set(detail.view.open_call_ids)
        open_calls = [line for line in detail.calls if line.id in open_ids]
        if not open_calls:
            self._resolve(detail.view.version, solution, False)
            return
        dialog = ResolveCallsDialog(self._titled(_("Resolve")), open_calls)
        self.app.push_screen(dialog, callback=partial(self._calls_answer, detail.view.version,
                                                      solution))

    def _calls_answer(self, version: int, solution: str, resolve_calls: bool | None) -> None:
        if resolve_calls is not None:
            self._resolve(version, solution, resolve_calls)

    def _resolve(self, version: int, solution: str, resolve_calls: bool) -> None:
        self.run_job(lambda desk, actor: desk.resolve_problem(
            actor, self.problem_id, version, solution, resolve_calls))

    @work(thread=True, exclusive=True, group="problem-action", exit_on_error=False,
          description="change the problem")
    def run_job(self, job: Callable[[Desk, Actor], object]) -> None:
        """A write; a refusal or conflict is reported by the app, then the problem is read
        again either way, so what is shown is what holds."""
        app = self.desk_app
        assert app.desk is not None and app.actor is not None
        try:
            job(app.desk, app.actor)
        finally:
            self.app.call_from_thread(self.load)

    def action_refresh(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss()
