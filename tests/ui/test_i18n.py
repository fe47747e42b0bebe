"""Translations: the committed catalogue is current and covers every message the UI shows."""

import ast
import gettext
import subprocess
import sys
from datetime import UTC
from pathlib import Path

import pytest

from desk_tui.ui import i18n
from desk_tui.ui.formats import short_datetime, work_time
from desk_tui.ui.msgfmt import compile_mo, compile_po_file, parse_po
from tests.ui.conftest import ams

UI_PACKAGE = Path(i18n.__file__).parent
OWN_MODULES = (
    "text", "i18n", "msgfmt", "formats", "themes",
    "widgets.priority_picker", "widgets.call_queue",
)  # fmt: skip
DUTCH_PO = i18n.locale_dir() / "nl" / "LC_MESSAGES" / "desk.po"


def test_the_committed_mo_matches_the_po():
    assert DUTCH_PO.with_suffix(".mo").read_bytes() == compile_po_file(DUTCH_PO), (
        "desk.po changed: run `python -m desk_tui.ui.msgfmt` and commit desk.mo"
    )


def ui_message_ids() -> set[str]:
    """Every string literal passed to _() or N_() in desk_tui/ui, and every binding's
    description and tooltip (translated per instance when a screen is made)."""
    found: set[str] = set()
    for path in UI_PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None)
            if (
                name in ("_", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
            if name == "Binding":
                texts = [node.args[2]] if len(node.args) >= 3 else []
                texts += [k.value for k in node.keywords if k.arg in ("description", "tooltip")]
                found.update(
                    t.value for t in texts if isinstance(t, ast.Constant) and t.value
                )
    return found


def test_every_ui_message_has_a_dutch_translation():
    catalogue = {key.decode() for key in parse_po(DUTCH_PO.read_text(encoding="utf-8"))}
    assert ui_message_ids() - catalogue == set()


def test_the_sla_terms_are_dutch_by_default():
    terms = ("Priority", "Impact", "Urgency", "low", "medium", "high", "Reaction", "Resolution")
    assert [i18n._(term) for term in terms] == [
        "Prioriteit", "Impact", "Urgentie", "laag", "midden", "hoog", "Reactie", "Oplossing",
    ]  # fmt: skip


def test_english_is_available():
    i18n.set_language("en")
    assert i18n.language() == "en"
    assert i18n._("Priority") == "Priority"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language"):
        i18n.set_language("de")


def test_due_times_read_in_amsterdam_time_in_either_language():
    due = ams("2026-11-30 08:05")
    assert short_datetime(due) == "ma 30 nov 08:05"
    assert short_datetime(due.astimezone(UTC)) == "ma 30 nov 08:05"
    i18n.set_language("en")
    assert short_datetime(ams("2026-05-05 16:00")) == "Tue 5 May 16:00"


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "0:00"), (1, "0:01"), (59, "0:01"), (60, "0:01"), (3600, "1:00"), (83 * 60, "1:23"),
     (80 * 3600, "80:00"), (-720, "-0:12"), (-0.2, "-0:01")],
)  # fmt: skip
def test_work_time_is_hours_and_minutes_rounded_up(seconds, shown):
    assert work_time(seconds) == shown


def test_msgfmt_skips_fuzzy_and_untranslated_entries_and_joins_lines():
    po = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\nmsgid "Draft"\nmsgstr "Concept"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        'msgctxt "menu"\nmsgid "Open"\nmsgstr "Openen"\n\n'
        'msgid ""\n"Long "\n"text"\nmsgstr "Lange "\n"tekst"\n'
    )
    messages = parse_po(po)
    assert b"Draft" not in messages and b"Empty" not in messages
    assert messages[b"menu\x04Open"] == b"Openen"
    assert messages[b"Long text"] == b"Lange tekst"


def test_a_compiled_catalogue_is_readable_by_gettext(tmp_path):
    mo = tmp_path / "x.mo"
    mo.write_bytes(compile_mo(parse_po(DUTCH_PO.read_text(encoding="utf-8"))))
    with mo.open("rb") as file:
        assert gettext.GNUTranslations(file).gettext("Caller") == "Melder"


def test_importing_the_ui_does_no_work():
    """No catalogue read, no theme file opened, no time zone looked up at import time."""
    modules = ", ".join(f"desk_tui.ui.{name}" for name in OWN_MODULES)
    code = (
        f"import {modules}\n"
        "from desk_tui.ui import i18n, themes, formats\n"
        "print(i18n._catalogue.translations is None,\n"
        "      themes.load_themes.cache_info().currsize == 0,\n"
        "      formats.amsterdam.cache_info().currsize == 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "True", "True"]
