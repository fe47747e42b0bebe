"""Synthetic demo data: `desk demo` fills an empty database with believable records.

Nothing is imported here: the builder pulls in the tables and the SLA engine, which the
console's start-up should not pay for (see `desk_tui.demo.build`).
"""
