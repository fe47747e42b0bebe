"""desk: a keyboard-driven servicedesk console with exact SLA time."""

__version__ = "0.1.0"
