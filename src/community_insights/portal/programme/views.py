"""The public landing page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from community_insights.portal.programme import selectors


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "programme/landing.html", selectors.landing_page_context())
