"""Send anyone who must use two-step sign-in, and has not set it up, to set it up first.

A middleware rather than a check in each view: "before anything else" has to
hold for every page, including pages added later. The set-up pages themselves,
signing out and static files stay open, so the person can finish or leave.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from community_insights.portal.signin.two_step import must_set_up_two_step

OPEN_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/accounts/reauthenticate/")


class RequireTwoStepMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if (
            getattr(request, "user", None) is not None
            and request.user.is_authenticated
            and not path.startswith((*OPEN_PREFIXES, settings.STATIC_URL))
            and must_set_up_two_step(request.user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
