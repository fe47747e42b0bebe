"""An option list for pick lists: typing jumps to a match, arriving highlights the first."""

from __future__ import annotations

import time

from textual import events
from textual.widgets import OptionList


class TypeAheadList(OptionList):
    """Typing the first letters of a choice (or of a word in it) jumps to it."""

    RESET_SECONDS = 1.0

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._typed = ""
        self._typed_at = 0.0

    def on_focus(self) -> None:
        """Arriving at the list, the first option is ready for Enter."""
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        return character is not None and character.isprintable() and character != " "

    def on_key(self, event: events.Key) -> None:
        character = event.character
        if character is None or not character.isprintable() or character == " ":
            return
        event.stop()
        event.prevent_default()
        now = time.monotonic()
        fresh = now - self._typed_at > self.RESET_SECONDS
        self._typed = (character if fresh else self._typed + character).casefold()
        self._typed_at = now
        index = self.match(self._typed)
        if index is not None:
            self.highlighted = index

    def match(self, typed: str) -> int | None:
        """The first choice that starts with `typed`, else one with a word that does (a
        word in brackets counts: "Gemeente Enkhuizen (ENK)" is found by typing "enk")."""
        labels = [
            str(self.get_option_at_index(index).prompt).casefold()
            for index in range(self.option_count)
        ]
        for index, label in enumerate(labels):
            if label.startswith(typed):
                return index
        for index, label in enumerate(labels):
            if any(word.lstrip("([").startswith(typed) for word in label.split()):
                return index
        return None
