"""What every page of the Phase 3 area shares: finding the project, the form page, rendering, links."""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from community_insights.portal.core.viewtools import deny_unless, submit_form
from community_insights.portal.projects import membership
from community_insights.portal.projects.models import Project

GET_POST = require_http_methods(["GET", "POST"])


def project_for(request: HttpRequest, slug: str, rule: Any = None) -> Project:
    """The project (404 for someone outside it), and 403 unless ``rule`` allows this person."""
    project = membership.project_get_for_user(user=request.user, slug=slug)
    if rule is not None:
        deny_unless(rule(request.user, project))
    return project


def form_page(
    request: HttpRequest,
    form: Form,
    *,
    on: Project,
    service: Any,
    success: str,
    back: tuple[str, str],
    back_args: tuple[Any, ...] = (),
    **args: Any,
) -> HttpResponse:
    """A form page of this area: ``submit_form``, or the form again with its error summary.

    ``on`` is the project the page belongs to; ``back`` names the page of this area the form
    returns to (with ``back_args`` after the project), and its label: the back link, and where the
    person sees ``success``.
    """
    back_url = url(back[0], on, *back_args)
    done = submit_form(request, form, service, success, back_url, **args)
    return done or render(
        request, "solutions/form_page.html", {"form": form, "project": on, "back_url": back_url, "back_label": back[1]}
    )


def show(request: HttpRequest, project: Project, page: str, **context: Any) -> HttpResponse:
    """Render one of this area's pages about ``project``."""
    return render(request, f"solutions/{page}.html", {"project": project, **context})


def url(name: str, project: Project, *args: Any) -> str:
    return reverse(f"solutions:{name}", args=[project.slug, *args])
