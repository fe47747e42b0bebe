"""Make user text safe and fit for a terminal cell.

User text (caller, organisation, description, a paste) can carry ESC, CSI, OSC or C1 bytes
that a terminal would execute, and bidi overrides that reorder the line around them. On
screen each becomes a visible stand-in, so the operator sees that it is there.
"""

from __future__ import annotations

from typing import Literal

from rich.cells import cell_len, set_cell_size

ELLIPSIS = "…"
Align = Literal["left", "center", "right"]


def _visible_table() -> dict[int, str]:
    # C0 controls have "control pictures" (U+2400 block); DEL has U+2421; C1 has none.
    table: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
    table[0x7F] = "\u2421"
    table.update({code: f"\\x{code:02x}" for code in range(0x80, 0xA0)})
    # Bidi embeddings/overrides/isolates and line/paragraph separators garble a table row.
    for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029):
        table[code] = f"\\u{code:04x}"
    return table


_VISIBLE = _visible_table()


def visible(text: str) -> str:
    """`text` with every control character replaced by a visible stand-in (ESC → ␛)."""
    if text.isascii() and text.isprintable():
        return text  # the common case, decided in C
    return text.translate(_VISIBLE)


def _in_place_table() -> dict[int, str]:
    # One cell per character, so an editor's cursor and selection (character indices)
    # stay where they were: C0 as control pictures, DEL as ␡, the rest (C1, bidi, line
    # and paragraph separators) as the replacement character.
    table = {code: (stand_in if len(stand_in) == 1 else "\ufffd")
             for code, stand_in in _VISIBLE.items()}
    return table


_IN_PLACE = _in_place_table()


def visible_in_place(text: str) -> str:
    """As `visible`, but each control character becomes exactly one character: for text
    being edited, where positions in the value and on screen must agree."""
    if text.isascii() and text.isprintable():
        return text
    return text.translate(_IN_PLACE)


def visible_lines(text: str) -> str:
    """As `visible`, but line breaks stay line breaks (for text shown on several lines)."""
    return "\n".join(visible(line) for line in text.split("\n"))


def clip(text: str, width: int) -> str:
    """`text` cut to at most `width` terminal cells, with an ellipsis when it was cut.

    Wide (CJK, emoji) characters count as two cells and are never split in half.
    """
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    if width == 1:
        return ELLIPSIS
    # set_cell_size pads with a space when a wide character does not fit: drop that too.
    return set_cell_size(text, width - 1).rstrip(" ") + ELLIPSIS


def fit(text: str, width: int, align: Align = "left") -> str:
    """`text` clipped and padded to exactly `width` cells."""
    clipped = clip(text, width)
    spare = max(width - cell_len(clipped), 0)
    if align == "right":
        return " " * spare + clipped
    if align == "center":
        return " " * (spare // 2) + clipped + " " * (spare - spare // 2)
    return clipped + " " * spare
