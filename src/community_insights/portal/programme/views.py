"""The public landing page, and the staff page that changes its words."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from community_insights.portal.core.viewtools import call_service, posted
from community_insights.portal.programme import landing as landing_sections
from community_insights.portal.programme import selectors, services
from community_insights.portal.programme.forms import ProgrammeForm
from community_insights.portal.programme.permissions import can_edit_programme


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    context = selectors.landing_page_context()
    context["sections"] = landing_sections.render_sections(request, context)
    context["can_edit"] = can_edit_programme(request.user)
    return render(request, "programme/landing.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest) -> HttpResponse:
    if not can_edit_programme(request.user):
        raise PermissionDenied
    programme = selectors.programme_get()
    form = ProgrammeForm(posted(request), initial={f: getattr(programme, f) for f in services.EDITABLE})
    if request.method == "POST" and form.is_valid():
        ok, _ = call_service(form, services.programme_update, actor=request.user, **form.cleaned_data)
        if ok:
            messages.success(request, "The landing page has been updated.")
            return redirect("programme:landing")
    return render(request, "programme/programme_edit.html", {"form": form})
