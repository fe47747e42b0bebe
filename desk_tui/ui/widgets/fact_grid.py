"""Label–value pairs in a few columns, labels muted; styled when drawn, so a theme switch
applies at once. Values must already be made visible (ui.text.visible)."""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.widget import Widget


class FactGrid(Widget):
    """Facts filled column by column: the first half on the left, the rest beside it."""

    DEFAULT_CSS = """
    FactGrid {
        height: auto;
        & > .fact-grid--label { color: $desk-muted; }
        & > .fact-grid--empty { color: $desk-muted; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"fact-grid--label", "fact-grid--empty"}

    def __init__(self, *, columns: int = 2, label_width: int = 14, empty_text: str = "",
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = columns
        self.label_width = label_width
        self.empty_text = empty_text
        self.facts: list[tuple[str, str]] = []

    def set_facts(self, facts: list[tuple[str, str]]) -> None:
        self.facts = facts
        self.refresh(layout=True)

    def value_of(self, label: str) -> str | None:
        """The value shown beside `label` (for tests and the palette)."""
        return next((value for name, value in self.facts if name == label), None)

    def render(self) -> RenderableType:
        label_style = self.get_component_rich_style("fact-grid--label", partial=True)
        if not self.facts:
            empty = self.get_component_rich_style("fact-grid--empty", partial=True)
            return Text(self.empty_text, empty, end="")
        columns = max(1, min(self.columns, len(self.facts)))
        table = Table.grid(expand=True, padding=(0, 1, 0, 0))
        for _column in range(columns):
            table.add_column(no_wrap=True, width=self.label_width, style=label_style)
            table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        rows = -(-len(self.facts) // columns)
        for row in range(rows):
            cells: list[Text] = []
            for column in range(columns):
                index = column * rows + row
                if index < len(self.facts):
                    label, value = self.facts[index]
                    cells += [Text(label, end=""), Text(value, end="")]
                else:
                    cells += [Text(""), Text("")]
            table.add_row(*cells)
        return table
