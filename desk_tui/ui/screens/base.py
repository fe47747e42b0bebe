"""What every desk screen does: bindings in the interface language, and failed background
jobs reported through the app's one handler (Worker.StateChanged does not bubble)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.screen import ModalScreen, Screen, ScreenResultType
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from desk_tui.ui.app import DeskApp


class _DeskScreenMixin:
    def _desk_setup(self) -> None:
        from desk_tui.ui.app import translate_bindings

        translate_bindings(self)  # type: ignore[arg-type]

    @property
    def desk_app(self) -> DeskApp:
        return self.app  # type: ignore[attr-defined,no-any-return]

    def on_key(self, event: events.Key) -> None:
        """A key sent while nothing had focus (the screen was just opened) goes to the field
        that has focus by now, as if typed there: screens take focus in on_mount with
        set_focus, which holds before the keys queued behind the opening key are read."""
        focused = self.focused  # type: ignore[attr-defined]
        if getattr(event, "desk_unfocused", False) and focused is not None:
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))

    # A naming-convention handler: Textual registers @on only on MessagePump classes.
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.desk_app.report_worker_failure(event.worker)


class DeskScreen(_DeskScreenMixin, Screen[ScreenResultType]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._desk_setup()


class DeskModal(_DeskScreenMixin, ModalScreen[ScreenResultType]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._desk_setup()
