"""Interface language: Dutch by default (the SLA's own terms), English available.

Message ids are English; `locale/nl/LC_MESSAGES/desk.po` holds the Dutch and its compiled
`desk.mo` is committed (a test keeps the two in step; `python -m desk_tui.ui.msgfmt`
rebuilds it). The catalogue is read on first use, never at import.
"""

from __future__ import annotations

import gettext
import string
from pathlib import Path

DOMAIN = "desk"
LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"


def locale_dir() -> Path:
    return Path(__file__).with_name("locale")


class _Catalogue:
    """The active language and its translations, loaded lazily."""

    def __init__(self) -> None:
        self.language = DEFAULT_LANGUAGE
        self.translations: gettext.NullTranslations | None = None

    def load(self) -> gettext.NullTranslations:
        if self.translations is None:
            self.translations = gettext.translation(
                DOMAIN, localedir=locale_dir(), languages=[self.language], fallback=True
            )
        return self.translations


_catalogue = _Catalogue()


def set_language(language: str) -> None:
    """Switch the interface language ("nl" or "en"); widgets pick it up when they redraw."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r} (one of: {', '.join(LANGUAGES)})")
    if language != _catalogue.language:
        _catalogue.language = language
        _catalogue.translations = None


def language() -> str:
    return _catalogue.language


def _(message: str) -> str:
    """The message in the active language."""
    return _catalogue.load().gettext(message)


def N_(message: str) -> str:
    """Mark a message for translation without translating it yet (class-level constants)."""
    return message


def phrase_text(text: str) -> str:
    """A service's Phrase in the active language (its template translated, its params
    filled in); any other text as it is."""
    from desk_tui.services.errors import Phrase

    if isinstance(text, Phrase):
        return _filled(text.template, text.params)
    return text


def error_text(error: BaseException | None) -> str:
    """What the console shows for a failure: a service's refusal (ServiceError) in the
    interface language, any other exception its own text."""
    from desk_tui.services.errors import ServiceError

    if isinstance(error, ServiceError):
        return _filled(error.template, error.params)
    return "" if error is None else str(error)


def _filled(template: str, params: dict[str, object]) -> str:
    """The template translated, with the params: a Phrase translated too, other text (what
    the operator typed, a name, a reference) exactly as it is, less its control
    characters (shown as stand-ins: the terminal must not run them)."""
    from desk_tui.services.errors import Phrase, render
    from desk_tui.ui.text import visible

    if not template:
        return template  # gettext("") is the catalogue's header
    if not params:
        return _(template)
    values = {
        name: (_filled(value.template, value.params) if isinstance(value, Phrase)
               else visible(value) if isinstance(value, str) else value)
        for name, value in params.items()
    }
    try:
        return _Formatter().format(_(template), **values)
    except (KeyError, IndexError, ValueError):  # a broken translation: say it in English
        return render(template, values)


class _Formatter(string.Formatter):
    """str.format, with a number grouped by `{n:,}` written the Dutch way in Dutch
    (20.000, not 20,000)."""

    def format_field(self, value: object, format_spec: str) -> str:
        text = super().format_field(value, format_spec)
        if "," in format_spec and language() == "nl":
            return text.translate(_DUTCH_DIGITS)
        return text


_DUTCH_DIGITS = str.maketrans(",.", ".,")
