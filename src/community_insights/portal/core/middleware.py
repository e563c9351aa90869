"""Remember where each request came from, for the audit log."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from community_insights.portal.core.audit import set_request_ip
from community_insights.portal.core.clients import client_address


class AuditRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        set_request_ip(client_address(request))
        try:
            return self.get_response(request)
        finally:
            set_request_ip(None)
