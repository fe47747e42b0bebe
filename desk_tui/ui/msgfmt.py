"""Compile gettext `.po` catalogues to `.mo`, byte for byte like CPython's Tools/i18n/msgfmt.py.

Kept in the package so a test can check that the committed `.mo` matches its `.po` without
depending on GNU gettext or babel. Run `python -m desk_tui.ui.msgfmt` after editing a `.po`.
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

MAGIC = 0x950412DE


def parse_po(text: str) -> dict[bytes, bytes]:
    """Translated, non-fuzzy entries of a `.po` file: msgid (with context) → msgstr."""
    messages: dict[bytes, bytes] = {}
    entry: dict[str, list[str]] = {}
    field = ""
    fuzzy = False

    def flush() -> None:
        nonlocal entry, fuzzy
        if "msgid" in entry:
            msgid = "".join(entry["msgid"])
            if "msgid_plural" in entry:
                msgid += "\0" + "".join(entry["msgid_plural"])
                plurals = sorted(
                    (key for key in entry if key.startswith("msgstr[")),
                    key=lambda key: int(key[7:-1]),
                )
                msgstr = "\0".join("".join(entry[key]) for key in plurals)
            else:
                msgstr = "".join(entry.get("msgstr", []))
            if "msgctxt" in entry:
                msgid = "".join(entry["msgctxt"]) + "\x04" + msgid
            if msgstr and not fuzzy:
                messages[msgid.encode()] = msgstr.encode()
        entry, fuzzy = {}, False

    def has_msgstr() -> bool:
        return any(key.startswith("msgstr") for key in entry)

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if has_msgstr():
                flush()  # comments open the next entry
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            continue
        if line.startswith('"'):
            if not field:
                raise ValueError(f"line {number}: string outside an entry")
            entry[field].append(_unquote(line, number))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword not in ("msgctxt", "msgid", "msgid_plural", "msgstr") and not (
            keyword.startswith("msgstr[") and keyword.endswith("]")
        ):
            raise ValueError(f"line {number}: unknown keyword {keyword!r}")
        if keyword in ("msgctxt", "msgid") and has_msgstr():
            flush()
        field = keyword
        entry[field] = [_unquote(rest.strip(), number)]
    flush()
    return messages


def _unquote(token: str, number: int) -> str:
    if not (len(token) >= 2 and token[0] == token[-1] == '"'):
        raise ValueError(f"line {number}: expected a quoted string, got {token!r}")
    value = ast.literal_eval(token)
    assert isinstance(value, str)
    return value


def compile_mo(messages: dict[bytes, bytes]) -> bytes:
    """The `.mo` bytes (little-endian, keys sorted, no hash table)."""
    keys = sorted(messages)
    ids = strs = b""
    offsets: list[tuple[int, int, int, int]] = []
    for key in keys:
        offsets.append((len(ids), len(key), len(strs), len(messages[key])))
        ids += key + b"\0"
        strs += messages[key] + b"\0"
    key_start = 7 * 4 + 16 * len(keys)
    value_start = key_start + len(ids)
    key_offsets: list[int] = []
    value_offsets: list[int] = []
    for id_offset, id_length, str_offset, str_length in offsets:
        key_offsets += [id_length, id_offset + key_start]
        value_offsets += [str_length, str_offset + value_start]
    table = key_offsets + value_offsets
    header = struct.pack("<Iiiiiii", MAGIC, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    return header + struct.pack(f"<{len(table)}i", *table) + ids + strs


def compile_po_file(po_path: Path) -> bytes:
    return compile_mo(parse_po(po_path.read_text(encoding="utf-8")))


def main(argv: list[str] | None = None) -> int:
    """Rebuild every `.mo` next to its `.po` under the package's locale folder."""
    from desk_tui.ui.i18n import locale_dir

    del argv
    for po_path in sorted(locale_dir().glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        mo_path.write_bytes(compile_po_file(po_path))
        print(f"{po_path} -> {mo_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
