"""Translations: the committed catalogue is current and covers every message the UI shows."""

import ast
import gettext
import string
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


# -- what the services say: refusals are translated in the console --------------------------
SERVICE_PACKAGES = (UI_PACKAGE.parent / "services", UI_PACKAGE.parent / "store")


def _service_trees() -> list[ast.Module]:
    return [ast.parse(path.read_text(encoding="utf-8"))
            for package in SERVICE_PACKAGES for path in sorted(package.rglob("*.py"))]


def _error_classes(trees: list[ast.Module]) -> set[str]:
    """ServiceError and every class derived from it, however deep."""
    names = {"ServiceError"}
    while True:
        more = {node.name for tree in trees for node in ast.walk(tree)
                if isinstance(node, ast.ClassDef)
                and any(getattr(base, "id", getattr(base, "attr", None)) in names
                        for base in node.bases)}
        if more <= names:
            return names
        names |= more


def service_messages() -> tuple[set[str], list[str]]:
    """Every message template the services and the store give a refusal (the first
    argument of a ServiceError class, the second of InvalidInput) or a Phrase, and the
    ones written as an f-string or joined at run time (which cannot be translated)."""
    trees = _service_trees()
    classes = _error_classes(trees) | {"Phrase"}
    found: set[str] = set()
    built: list[str] = []
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            index = 1 if name == "InvalidInput" else 0
            if name not in classes or len(node.args) <= index:
                continue
            message = node.args[index]
            if isinstance(message, ast.Constant) and isinstance(message.value, str):
                found.add(message.value)
            elif isinstance(message, (ast.JoinedStr, ast.BinOp)):
                built.append(f"{name}({ast.unparse(message)[:60]}…)")
    return found, built


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_service_message_has_a_dutch_translation_with_the_same_placeholders():
    catalogue = {key.decode(): value.decode()
                 for key, value in parse_po(DUTCH_PO.read_text(encoding="utf-8")).items()}
    messages, built = service_messages()
    assert len(messages) > 150  # the collector still finds them
    assert built == [], "a message is a template with named params, not an f-string"
    assert sorted(messages - set(catalogue)) == []
    assert [message for message in sorted(messages)
            if placeholders(message) != placeholders(catalogue[message])] == []


def test_a_refusal_reads_dutch_with_its_params_and_the_operators_text_as_typed():
    from desk_tui.services.errors import InvalidInput, NotFound, Phrase, Refused

    refused = Refused("{action} refused: {reason}", action="call.take",
                      reason=Phrase("operator account is not active"))
    assert str(refused) == "call.take refused: operator account is not active"
    assert i18n.error_text(refused) == (
        "call.take geweigerd: het account van de medewerker is niet actief")
    typed = InvalidInput("email", "“{address}” is not a mail address", address="[bold]x[/]")
    assert typed.field == "email"
    assert str(typed) == "'[bold]x[/]' is not a mail address"  # the CLI's words, as before
    assert i18n.error_text(typed) == "“[bold]x[/]” is geen e-mailadres"
    too_long = InvalidInput("subject", "{field} is {length:,} characters long; at most"
                            " {limit:,} fit", field=Phrase("subject"), length=20_001,
                            limit=200)
    assert str(too_long) == "subject is 20,001 characters long; at most 200 fit"
    assert i18n.error_text(too_long) == (
        "onderwerp is 20.001 tekens lang; er passen er hoogstens 200 in")
    # A control character the operator typed is shown, never run; the CLI escapes it.
    odd = NotFound("no organisation with code “{code}”", code="X\x1b[2J")
    assert str(odd) == r"no organisation with code 'X\x1b[2J'"
    assert i18n.error_text(odd) == "geen organisatie met code “X␛[2J”"
    i18n.set_language("en")
    assert i18n.error_text(refused) == str(refused)
    assert i18n.error_text(typed) == "“[bold]x[/]” is not a mail address"


def test_what_is_not_a_refusal_is_shown_as_it_is():
    from desk_tui.services.errors import NotFound

    assert i18n.error_text(OSError("disk full")) == "disk full"
    assert i18n.error_text(None) == ""
    assert i18n.error_text(NotFound("a {plain} message")) == "a {plain} message"
    assert i18n.phrase_text("not a Phrase") == "not a Phrase"
