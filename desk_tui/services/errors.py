"""What a service says when it will not do what was asked."""

from __future__ import annotations

__all__ = ["Conflict", "InvalidInput", "NotFound", "Refused", "ServiceError", "WrongState"]


class ServiceError(Exception):
    """Base of the refusals a user is shown; the message is meant for the operator."""


class Refused(ServiceError, PermissionError):
    """The actor's roles do not grant the action; the message says which rule refused it."""


class InvalidInput(ServiceError, ValueError):
    """A field the operator filled in cannot be saved as it is."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class NotFound(ServiceError, LookupError):
    """The record asked for does not exist (or is not visible to this operator)."""


class WrongState(ServiceError):
    """The call is not in a status that allows this step (e.g. closing an open call)."""


class Conflict(ServiceError):
    """Another operator changed the record since it was read; nothing was overwritten."""
