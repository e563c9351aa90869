"""Changing and removing Part 1's records: similar work, solution options and research sessions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from community_insights.portal.core.forms import ConfirmForm
from community_insights.portal.core.viewtools import posted, submit_form
from community_insights.portal.projects.models import Project
from community_insights.portal.solutions import forms, permissions, selectors, services
from community_insights.portal.solutions.views.common import GET_POST, form_page, project_for, url

SIMILAR_FIELDS = ("title", "organisation", "url", "notes", "reusable")
OPTION_FIELDS = ("title", "audience", "narrative", "action", "datasets_used", "gaps", "caveats", "kinds")


def _confirm(
    request: HttpRequest, project: Project, *, what: str, consequence: str, back: tuple[str, str], **call: Any
) -> HttpResponse:
    """The "Remove …?" page: one button; the service removes, and the person lands on ``back``."""
    form = ConfirmForm(posted(request), button="Remove")
    done = submit_form(request, form, call.pop("service"), f"Removed {what}.", back[0], **call)
    context = {"form": form, "project": project, "what": what, "consequence": consequence}
    return done or render(
        request, "solutions/confirm_remove.html", {**context, "back_url": back[0], "back_label": back[1]}
    )


@login_required
@GET_POST
def similar_work_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = project_for(request, slug, permissions.can_contribute)
    work = selectors.similar_work_get(project=project, pk=pk)
    return form_page(
        request,
        forms.SimilarWorkEditForm(posted(request), initial={f: getattr(work, f) for f in SIMILAR_FIELDS}),
        on=project,
        service=services.similar_work_edit,
        success="Changes saved.",
        back=("similar_work", "Similar work"),
        work=work,
    )


@login_required
@GET_POST
def similar_work_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = project_for(request, slug, permissions.can_contribute)
    work = selectors.similar_work_get(project=project, pk=pk)
    return _confirm(
        request, project, what=f"“{work.title}”", consequence="The note and what the team could reuse are deleted.",
        back=(url("similar_work", project), "Similar work"), service=services.similar_work_remove, work=work,
    )  # fmt: skip


@login_required
@GET_POST
def option_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = project_for(request, slug, permissions.can_contribute)
    option = selectors.option_get(project=project, pk=pk)
    return form_page(
        request,
        forms.OptionEditForm(posted(request), initial={f: getattr(option, f) for f in OPTION_FIELDS}),
        on=project,
        service=services.option_edit,
        success="Changes saved.",
        back=("option_detail", option.title),
        back_args=(option.pk,),
        option=option,
    )


@login_required
@GET_POST
def option_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = project_for(request, slug, permissions.can_contribute)
    option = selectors.option_get(project=project, pk=pk)
    return _confirm(
        request, project, what=f"“{option.title}”",
        consequence="Its scores, its estimates of days and its sketch are deleted with it.",
        back=(url("options", project), "Solution options"), service=services.option_remove, option=option,
    )  # fmt: skip


@login_required
@GET_POST
def session_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = project_for(request, slug, permissions.can_log_research)
    session = selectors.session_get(project=project, pk=pk)
    return _confirm(
        request, project, what=f"the session of {session.held_on.day} {session.held_on:%B %Y}",
        consequence="Its sealed notes, its themes and quotes, and its consent records are deleted for good.",
        back=(url("research", project), "Qualitative research"), service=services.session_remove, session=session,
    )  # fmt: skip
