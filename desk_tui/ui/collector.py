"""Python's cyclic garbage collector, held while the console starts.

A full collection over the freshly imported modules cost ~50 ms inside the first frame
and ~100 ms while the services load, and the imports before `App.run()` set off more.
The console holds the collector from `commands.console.prepare_textual()` (before
Textual is imported) until the desk has loaded, then freezes the heap built by then, so
later collections skip it. No Textual import here: this runs first.
"""

from __future__ import annotations

import gc

_held = False


def hold() -> None:
    """Stop cyclic collection until `release()`; a no-op if someone else stopped it."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """Freeze what start-up built and collect again (once; only what `hold()` stopped)."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()


def end() -> None:
    """The console is done: its start-up heap may be collected as usual again."""
    release()
    gc.unfreeze()
