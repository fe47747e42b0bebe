"""An option list for pick lists: typing jumps to a match, arriving highlights the first."""

from __future__ import annotations

from textual import events
from textual.widgets import OptionList


class TypeAheadList(OptionList):
    """An option list where typing a few letters jumps to the first matching option."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._typed = ""
        self._typed_at = 0.0

    def on_focus(self) -> None:
        """Arriving at the list, the first option is ready for Enter."""
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def on_key(self, event: events.Key) -> None:
        character = event.character
        if not character or not character.isprintable() or character == " ":
            return
        now = event.time
        self._typed = (self._typed if now - self._typed_at < 1.0 else "") + character.lower()
        self._typed_at = now
        for index in range(self.option_count):
            prompt = str(self.get_option_at_index(index).prompt).lower()
            if prompt.startswith(self._typed):
                self.highlighted = index
                event.stop()
                return
