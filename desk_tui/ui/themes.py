"""desk's themes: Textual `Theme`s defined as data, one TOML file each in `themes/`.

Domain colours are theme variables (`$priority-1`, `$sla-breached`, …) so widgets never
hard-code a colour and every theme, high contrast included, styles every widget. The
folder ships in the wheel as `desk_tui/_data/themes`; a source checkout has `repo/themes`.
"""

from __future__ import annotations

import tomllib
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from textual.theme import Theme

from desk_tui.ui.i18n import N_

if TYPE_CHECKING:
    from textual.app import App

THEME_NAMES: tuple[str, ...] = ("desk-dark", "desk-light", "desk-high-contrast")
DEFAULT_THEME = "desk-dark"
# What an operator reads when F2 switches (msgids; translated where shown).
THEME_LABELS: dict[str, str] = {
    "desk-dark": N_("Dark"), "desk-light": N_("Light"), "desk-high-contrast": N_("High contrast"),
}
STYLESHEET = "desk.tcss"
# The desk_tui folder, found from this file: importlib.resources.files would import
# zipfile and its readers (~4 ms before the first frame), and desk never runs from a zip.
PACKAGE = Path(__file__).parent.parent

# Every desk theme defines these; widgets' DEFAULT_CSS may rely on them.
DOMAIN_VARIABLES: tuple[str, ...] = (
    "priority-1", "priority-2", "priority-3", "priority-4", "priority-5",
    "priority-1-text-style",
    "sla-ok", "sla-warning", "sla-breached", "sla-paused", "sla-breached-text-style",
    "desk-muted", "desk-header-background",
    "desk-cursor-background", "desk-cursor-foreground", "desk-cursor-text-style",
    "desk-cursor-blurred-background", "desk-cursor-blurred-foreground",
    "desk-cursor-blurred-text-style",
)  # fmt: skip

_THEME_FIELDS = frozenset(field.name for field in fields(Theme))


def candidate_dirs(package: Path) -> tuple[Path, ...]:
    """Where `themes/` may be, given the `desk_tui` package folder, installed layout first."""
    return (package / "_data" / "themes", package.parent / "themes")


def themes_dir() -> Path:
    """The folder with the theme files and the app stylesheet."""
    package = PACKAGE
    for candidate in candidate_dirs(package):
        if (candidate / STYLESHEET).is_file():
            return candidate
    raise FileNotFoundError(
        f"desk's themes folder (with {STYLESHEET}) is missing near {package}; reinstall desk"
    )


def stylesheet_path() -> Path:
    """The shared app stylesheet; pass it as `App(css_path=...)`."""
    return themes_dir() / STYLESHEET


def parse_theme(table: dict[str, object], source: str = "<theme>") -> Theme:
    """A `Theme` from a parsed theme file; unknown keys or missing domain variables fail."""
    unknown = set(table) - _THEME_FIELDS
    if unknown:
        raise ValueError(f"{source}: unknown theme key(s): {', '.join(sorted(unknown))}")
    variables = table.get("variables", {})
    if not isinstance(variables, dict):
        raise ValueError(f"{source}: [variables] must be a table")
    missing = [name for name in DOMAIN_VARIABLES if name not in variables]
    if missing:
        raise ValueError(f"{source}: missing variable(s): {', '.join(missing)}")
    values = {**table, "variables": {str(key): str(value) for key, value in variables.items()}}
    return Theme(**values)  # type: ignore[arg-type]


def load_theme(path: Path) -> Theme:
    with path.open("rb") as file:
        return parse_theme(tomllib.load(file), source=str(path))


@cache
def load_themes(directory: Path | None = None) -> dict[str, Theme]:
    """desk's themes by name, read once per folder (the shipped folder by default)."""
    folder = directory or themes_dir()
    themes = {theme.name: theme for theme in map(load_theme, sorted(folder.glob("*.toml")))}
    missing = [name for name in THEME_NAMES if name not in themes]
    if missing:
        raise FileNotFoundError(f"{folder}: theme(s) missing: {', '.join(missing)}")
    return themes


def register_themes(app: App[object]) -> tuple[str, ...]:
    """Register every desk theme with `app` (call before setting `app.theme`)."""
    themes = load_themes()
    for theme in themes.values():
        app.register_theme(theme)
    return tuple(themes)


def theme_variable_defaults(*, dark: bool = True) -> dict[str, str]:
    """Fallbacks for a non-desk theme (Textual's own, a user's), so desk's CSS still parses.

    Return this from `App.get_theme_variable_defaults(dark=self.current_theme.dark)`.
    """
    variables = load_themes()["desk-dark" if dark else "desk-light"].variables
    return {name: variables[name] for name in DOMAIN_VARIABLES}


def resolve_theme_name(app: App[object], wanted: str | None) -> str:
    """`wanted` if the app knows that theme, else desk's default (a stale config is no error)."""
    if wanted and wanted in app.available_themes:
        return wanted
    return DEFAULT_THEME
