"""The functional escalation ladder (SPEC 5) with the step a call stands on highlighted."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from desk_tui.store.enums import SupportLine
from desk_tui.ui.i18n import N_, _
from desk_tui.ui.text import visible
from desk_tui.ui.widgets.call_queue import LINE_LABELS

STEPS: tuple[SupportLine, ...] = (
    SupportLine.EERSTE_LIJN,
    SupportLine.TWEEDE_LIJN,
    SupportLine.SPECIALIST,
    SupportLine.DERDE_LIJN,
)
SUPPLIER_LABEL = N_("Supplier")
ARROW = " › "


class FunctionalLadder(Widget):
    """1st line → 2nd line → specialist → 3rd line (supplier): where the call stands.

    Steps already passed read as normal text, the current one as a block, the rest muted;
    at the 3rd line the supplier's name follows on a line of its own.
    """

    DEFAULT_CSS = """
    FunctionalLadder {
        height: auto;
        width: 1fr;
        & > .ladder--passed { color: $foreground; }
        & > .ladder--current { color: $accent; text-style: bold reverse; }
        & > .ladder--ahead { color: $desk-muted; }
        & > .ladder--arrow { color: $desk-muted; }
        & > .ladder--label { color: $desk-muted; }
        & > .ladder--supplier { color: $foreground; text-style: bold; }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "ladder--passed",
        "ladder--current",
        "ladder--ahead",
        "ladder--arrow",
        "ladder--label",
        "ladder--supplier",
    }

    line: reactive[SupportLine] = reactive(SupportLine.EERSTE_LIJN)
    supplier: reactive[str | None] = reactive(None)

    def __init__(
        self,
        line: SupportLine = SupportLine.EERSTE_LIJN,
        supplier: str | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.set_reactive(FunctionalLadder.line, line)
        self.set_reactive(FunctionalLadder.supplier, supplier)

    def watch_line(self) -> None:
        self.refresh(layout=True)

    def watch_supplier(self) -> None:
        self.refresh(layout=True)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"ladder--{name}", partial=True)

    def render(self) -> Text:
        current = STEPS.index(self.line)
        text = Text(end="")
        for index, step in enumerate(STEPS):
            if index:
                text.append(ARROW, self._style("arrow"))
            state = "passed" if index < current else "current" if index == current else "ahead"
            text.append(f" {_(LINE_LABELS[step])} ", self._style(state))
        supplier = (self.supplier or "").strip()
        if self.line is SupportLine.DERDE_LIJN or supplier:
            text.append("\n")
            text.append(f"{_(SUPPLIER_LABEL)}  ", self._style("label"))
            if supplier:
                text.append(visible(supplier), self._style("supplier"))
            else:
                text.append("—", self._style("label"))
        return text
