"""The one domain error services raise; views turn it into a message or a 403."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A rule of the programme was broken; ``message`` is shown to the person as it is.

    ``field`` names the form field the sentence is about, so the error summary can link to it (the
    view's ``call_service`` puts it there when the form has that field, else at the top).
    ``extra={"field": ...}`` is the older spelling and still works.
    """

    def __init__(self, message: str, *, field: str | None = None, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
        self.field: str | None = field or self.extra.get("field")


class NotPermitted(ApplicationError):
    """The acting person may not do this; views answer 403."""


def require(allowed: Any, message: str) -> None:
    """Refuse with ``message`` unless ``allowed``: the first line of every service that checks a rule."""
    if not allowed:
        raise NotPermitted(message)
