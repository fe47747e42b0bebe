"""Crisis mode's rule (SPEC 10), kept free of database imports so the first queue
(services/first_queue.py, stdlib sqlite3 only) and the console can share it."""

from __future__ import annotations

CRISIS_FROM_LEVEL = 3  # SPEC 10: from GRIP 3 ICT action is required
