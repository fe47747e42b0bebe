"""What a service says when it will not do what was asked.

A refusal keeps its message as an English template with named params, e.g.
`NotFound("call {call_id} does not exist", call_id=...)`: `str(error)` is the English text
(the CLI, the logs, the audit trail); the console translates the template and fills in
the params (desk_tui.ui.i18n.error_text). A param that is itself words to translate is a
`Phrase`; any other param (a reference, a name, what the operator typed) is shown as is.
Services import nothing of the UI: the template is the message id.

What the operator typed is quoted in the template as “{name}”. The console shows it so;
str() writes it as Python's repr ('XYZ'), as these messages always did on the command
line: a control character in it is then an escape (\\x1b), never run by the terminal.
"""

from __future__ import annotations

import re

__all__ = [
    "Conflict", "InvalidInput", "NotFound", "Phrase", "Refused", "ServiceError", "WrongState",
    "render",
]  # fmt: skip

_QUOTED = re.compile(r"“\{(\w+)\}”")


def render(template: str, params: dict[str, object]) -> str:
    """The template with its params filled in, in English (see above: a quoted param as
    its repr, a control character in any other as its escape); without params the
    template as it is (a plain message may hold braces)."""
    if not params:
        return template
    quoted = set(_QUOTED.findall(template))
    values = {name: value if name in quoted else _escaped(value)
              for name, value in params.items()}
    return _QUOTED.sub(r"{\1!r}", template).format(**values)


def _escaped(value: object) -> object:
    if not isinstance(value, str) or isinstance(value, Phrase) or value.isprintable():
        return value
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in value)


class Phrase(str):
    """Words for the operator that the console translates: a template and its named
    params, like a ServiceError's message. As a str it is the English text, so it can be
    passed, logged and stored wherever a str is."""

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, /, **params: object) -> Phrase:
        phrase = super().__new__(cls, render(template, params))
        phrase.template = template
        phrase.params = params
        return phrase


class ServiceError(Exception):
    """Base of the refusals a user is shown; the message is meant for the operator.

    `ServiceError(template, **params)`: `template` is the English message with `{name}`
    placeholders, `params` their values; str(error) is the message filled in. A Phrase
    given without params is taken apart into its template and params."""

    def __init__(self, template: str = "", /, **params: object) -> None:
        if isinstance(template, Phrase) and not params:
            template, params = template.template, template.params
        super().__init__(render(template, params))
        self.template = template
        self.params = params


class Refused(ServiceError, PermissionError):
    """The actor's roles do not grant the action; the message says which rule refused it."""


class InvalidInput(ServiceError, ValueError):
    """A field the operator filled in cannot be saved as it is."""

    def __init__(self, field: str, template: str, /, **params: object) -> None:
        super().__init__(template, **params)
        self.field = field


class NotFound(ServiceError, LookupError):
    """The record asked for does not exist (or is not visible to this operator)."""


class WrongState(ServiceError):
    """The call is not in a status that allows this step (e.g. closing an open call)."""


class Conflict(ServiceError):
    """Another operator changed the record since it was read; nothing was overwritten."""
