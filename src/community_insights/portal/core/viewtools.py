"""Small helpers that keep views thin: call a service and turn its errors into page feedback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted

T = TypeVar("T")


def call_service(form: forms.Form | None, service: Callable[..., T], **kwargs: Any) -> tuple[bool, T | None]:
    """Run ``service``; a broken rule becomes an error on ``form`` (shown in the error summary).

    ``NotPermitted`` becomes a 403. Returns ``(ok, result)``.
    """
    try:
        return True, service(**kwargs)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        if form is None:
            raise
        form.add_error(None, exc.message)
    except ValidationError as exc:
        if form is None:
            raise
        for message in exc.messages:
            form.add_error(None, message)
    return False, None


def posted(request: Any) -> Any:
    """The POST data when the page was submitted (even with no fields), else ``None`` (an unbound form)."""
    return request.POST if request.method == "POST" else None


def deny_unless(allowed: Any) -> None:
    """Answer 403 unless the rule allowed it (for a person who may see the object but not do this)."""
    if not allowed:
        raise PermissionDenied
