"""Part 2, Steps 1 and 2 of Phase 3: testing workshops, their feedback, and the safety check of Step 2.

The pages show output versions, so they are the project team's alone (404 for
programme staff outside the team and for outsiders, as in the outputs area).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from community_insights.portal.core.viewtools import call_service, deny_unless, posted
from community_insights.portal.projects import membership
from community_insights.portal.projects.models import Project
from community_insights.portal.solutions import forms, permissions, selectors, services
from community_insights.portal.solutions.views.common import GET_POST, form_page, show, url


def _project(request: HttpRequest, slug: str, rule: object = None) -> Project:
    project = membership.project_get_for_user(user=request.user, slug=slug, rule=permissions.can_view_testing)
    if rule is not None:
        deny_unless(rule(request.user, project))  # type: ignore[operator]
    return project


@login_required
@require_GET
def testing(request: HttpRequest, slug: str) -> HttpResponse:
    """The project's testing workshops, and how much of their feedback is still open."""
    project = _project(request, slug)
    return show(
        request,
        project,
        "testing",
        workshops=selectors.workshops(project),
        can_schedule=permissions.can_run_testing(request.user, project),
    )


@login_required
@GET_POST
def workshop_add(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug, permissions.can_run_testing)
    form = forms.WorkshopForm(
        posted(request), versions=selectors.showable_versions(project), team=selectors.team_people(project)
    )
    if form.is_valid():
        data = form.cleaned_data
        zone = timezone.get_current_timezone()
        ok, workshop = call_service(
            form, services.workshop_schedule, error_fields={"starts_at": "start_time", "ends_at": "end_time"},
            actor=request.user, project=project, title=data["title"], location=data["location"],
            starts_at=timezone.make_aware(datetime.combine(data["date"], data["start_time"]), zone),
            ends_at=timezone.make_aware(datetime.combine(data["date"], data["end_time"]), zone),
            versions=data["versions"], attendees=data["attendees"], guests=data["guests"],
            base_url=request.build_absolute_uri("/"),
        )  # fmt: skip
        if ok and workshop is not None:
            messages.success(request, "Workshop scheduled. Everyone invited has been emailed a calendar invitation.")
            return redirect(url("workshop_detail", project, workshop.pk))
    context = {"form": form, "project": project, "back_url": url("testing", project), "back_label": "Testing"}
    return render(request, "solutions/form_page.html", context)


@login_required
@require_GET
def workshop_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _project(request, slug)
    workshop = selectors.workshop_get(project=project, pk=pk)
    return show(
        request,
        project,
        "workshop_detail",
        workshop=workshop,
        items=workshop.feedback.select_related("version", "closed_by_version", "acknowledged_by"),
        can_record=permissions.can_record_feedback(request.user, project),
        can_close=permissions.can_close_feedback(request.user, project),
        can_acknowledge=permissions.is_information_rights(request.user, project),
    )


@login_required
@GET_POST
def feedback_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _project(request, slug, permissions.can_record_feedback)
    workshop = selectors.workshop_get(project=project, pk=pk)
    return form_page(
        request,
        forms.FeedbackForm(posted(request), versions=workshop.versions.all()),
        on=project,
        service=services.feedback_record,
        success="Feedback recorded.",
        back=("workshop_detail", workshop.title),
        back_args=(workshop.pk,),
        workshop=workshop,
        base_url=request.build_absolute_uri("/"),
    )


@login_required
@GET_POST
def feedback_close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _project(request, slug, permissions.can_close_feedback)
    item = selectors.feedback_get(project=project, pk=pk)
    return form_page(
        request,
        forms.FeedbackCloseForm(posted(request), newer=selectors.newer_versions(item)),
        on=project,
        service=services.feedback_close,
        success="Feedback closed.",
        back=("workshop_detail", item.workshop.title),
        back_args=(item.workshop_id,),
        item=item,
    )


@login_required
@GET_POST
def feedback_acknowledge(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _project(request, slug, permissions.is_information_rights)
    item = selectors.feedback_get(project=project, pk=pk)
    return form_page(
        request,
        forms.AcknowledgeForm(posted(request)),
        on=project,
        service=services.feedback_acknowledge,
        success="Acknowledged. The team can now close the feedback.",
        back=("workshop_detail", item.workshop.title),
        back_args=(item.workshop_id,),
        item=item,
    )
