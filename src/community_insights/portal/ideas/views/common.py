"""What every view module of the ideas app shares: the facilitator gate and the base of email links."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from community_insights.portal.core.viewtools import call_service
from community_insights.portal.ideas import permissions, spam
from community_insights.portal.ideas.forms import SpamProtectedForm

GET_POST = require_http_methods(["GET", "POST"])


def facilitator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in first, then the facilitator rule; others get 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not permissions.is_facilitator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def public_form(
    request: HttpRequest,
    form: SpamProtectedForm,
    service: Callable[..., Any],
    *,
    done: str,
    template: str,
    context: dict[str, Any] | None = None,
    **kwargs: Any,
) -> HttpResponse:
    """A public form (no account): quiet to robots, counted per sender, a fresh token after an error.

    A robot that filled the honeypot is sent to ``done`` as if it had worked and nothing is saved.
    The service counts the submission against the sender's hourly limit (``sender=``) and refuses
    with a sentence when it is over; that sentence goes into the form's error summary.
    """
    if form.is_valid():
        if form.is_spam:
            return redirect(done)  # say nothing to a robot
        sender = spam.client_hash(request)
        base_url = request.build_absolute_uri("/")
        ok, _ = call_service(form, service, base_url=base_url, sender=sender, **form.own_data(), **kwargs)
        if ok:
            return redirect(done)
    if form.is_bound:
        form.fresh_token()
    return render(request, template, {"form": form, **(context or {})})
