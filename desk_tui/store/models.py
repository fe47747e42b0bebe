"""The table classes in one import: `from desk_tui.store.models import Call, Person`."""

from desk_tui.store.tables import *  # noqa: F403
from desk_tui.store.tables import __all__  # noqa: F401
