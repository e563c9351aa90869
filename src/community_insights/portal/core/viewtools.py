"""Small helpers that keep views thin: call a service and turn its errors into page feedback.

Every area's views use the same idiom, so a refusal looks the same everywhere::

    form = SomeForm(posted(request))
    if form.is_valid():
        ok, thing = call_service(form, services.thing_create, actor=request.user, **form.cleaned_data)
        if ok:
            return redirect(...)
    return render(...)

``submit_form`` is that block when the form's fields are the service's arguments and success is a
message and a redirect. A view never catches ``ApplicationError`` itself and never writes: the
service does both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted

T = TypeVar("T")


def _error_field(form: forms.Form, field: str | None, error_fields: Mapping[str, str] | None) -> str | None:
    """The form field a service's error belongs to, or ``None`` for the top of the error summary.

    A service names its own argument (``ends_at``); ``error_fields`` maps it to the form's field when
    the form splits or renames it (``end_time``). A name the form does not have goes to the top.
    """
    if field is None:
        return None
    field = (error_fields or {}).get(field, field)
    return field if field in form.fields else None


def call_service(
    form: forms.Form | None,
    service: Callable[..., T],
    *,
    error_fields: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> tuple[bool, T | None]:
    """Run ``service``; a broken rule becomes an error on ``form`` (shown in the error summary).

    An ``ApplicationError`` naming a ``field`` goes on that field so the summary links to it.
    ``NotPermitted`` becomes a 403. Returns ``(ok, result)``.
    """
    try:
        return True, service(**kwargs)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        if form is None:
            raise
        form.add_error(_error_field(form, exc.field, error_fields), exc.message)
    except ValidationError as exc:
        if form is None:
            raise
        for message in exc.messages:
            form.add_error(None, message)
    return False, None


def call_service_with_message(
    request: Any,
    service: Callable[..., T],
    *,
    success: str,
    also_refused: tuple[type[Exception], ...] = (),
    **kwargs: Any,
) -> bool:
    """Run ``service`` for a button with no form: the outcome is a message on the next page.

    Used by one-click actions (withdraw, cancel, re-check) that redirect whatever happens;
    ``NotPermitted`` is still a 403. ``also_refused`` names other errors that carry a plain
    ``message`` for the person (the datasets area's engine errors), shown the same way.
    Returns whether the service succeeded.
    """
    refused: tuple[type[Exception], ...] = (ApplicationError, *also_refused)
    try:
        service(**kwargs)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except refused as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
        return False
    messages.success(request, success)
    return True


def submit_form(
    request: Any, form: forms.Form, service: Callable[..., Any], success: str, then: str, **kwargs: Any
) -> HttpResponse | None:
    """The end of most form pages: the signed-in person sends a valid form's fields to ``service``.

    The service gets ``actor=request.user``, ``kwargs`` and the form's cleaned fields. On success the
    person sees ``success`` on the page ``then`` (a URL or a URL name); ``None`` means show the form
    again (not sent, not valid, or refused: the refusal is on the form)::

        form = SomeForm(posted(request), initial=...)
        done = submit_form(request, form, services.thing_update, "Saved.", url, thing=thing)
        return done or render(request, "area/page.html", {"form": form})
    """
    if not form.is_valid():
        return None
    ok, _ = call_service(form, service, actor=request.user, **kwargs, **form.cleaned_data)
    if not ok:
        return None
    messages.success(request, success)
    return redirect(then)


def remove_if_there(request: Any, service: Callable[..., Any], success: str, **row: Any) -> None:
    """A remove button: remove the row if it is still there, as the signed-in person.

    A second click, or a page left open after someone else removed it, finds the row gone
    (``None``) and does nothing, rather than failing.
    """
    if None not in row.values():
        service(actor=request.user, **row)
        messages.success(request, success)


def acting(request: Any, **objects: Any) -> dict[str, Any]:
    """The arguments a service that sends email takes from the request: who acts, and where links point."""
    return {"actor": request.user, "base_url": request.build_absolute_uri("/"), **objects}


def posted(request: Any) -> Any:
    """The POST data when the page was submitted (even with no fields), else ``None`` (an unbound form)."""
    return request.POST if request.method == "POST" else None


def deny_unless(allowed: Any) -> None:
    """Answer 403 unless the rule allowed it (for a person who may see the object but not do this)."""
    if not allowed:
        raise PermissionDenied
