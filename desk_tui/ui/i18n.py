"""Interface language: Dutch by default (the SLA's own terms), English available.

Message ids are English; `locale/nl/LC_MESSAGES/desk.po` holds the Dutch and its compiled
`desk.mo` is committed (a test keeps the two in step; `python -m desk_tui.ui.msgfmt`
rebuilds it). The catalogue is read on first use, never at import.
"""

from __future__ import annotations

import gettext
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
