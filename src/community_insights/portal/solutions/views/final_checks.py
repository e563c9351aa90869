"""Part 2, Step 3 of Phase 3: the final checks of each output version before it is shared more widely.

Outputs are the project team's alone until shared, so these pages are the
team's (programme staff outside the team and outsiders get 404, as in the
outputs area). Every page that shows a version's checks is audited.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from community_insights.portal.core.viewtools import call_service_with_message, deny_unless, posted
from community_insights.portal.projects import membership
from community_insights.portal.projects.models import Project
from community_insights.portal.solutions import final_checks, forms, permissions, selectors, services
from community_insights.portal.solutions.views.common import GET_POST, form_page, show, url


def _project(request: HttpRequest, slug: str) -> Project:
    return membership.project_get_for_user(user=request.user, slug=slug, rule=permissions.can_view_final_checks)


@login_required
@require_GET
def final_checks_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Each output's latest built version, and whether it has passed its final checks."""
    project = _project(request, slug)
    return show(request, project, "final_checks", rows=selectors.final_check_versions(project))


@login_required
@require_GET
def final_check_detail(request: HttpRequest, slug: str, version_id: int) -> HttpResponse:
    project = _project(request, slug)
    version = selectors.final_check_version_get(project=project, version_id=version_id)
    services.final_checks_view_record(actor=request.user, version=version)
    return show(
        request,
        project,
        "final_check_detail",
        checks=selectors.final_checks_of(version),
        runs=version.final_check_runs.order_by("-created_at", "-pk"),
        can_run=permissions.can_run_final_checks(request.user, project),
    )


@login_required
@require_POST
def final_checks_run(request: HttpRequest, slug: str, version_id: int) -> HttpResponse:
    project = _project(request, slug)
    deny_unless(permissions.can_run_final_checks(request.user, project))
    version = selectors.final_check_version_get(project=project, version_id=version_id)
    call_service_with_message(
        request,
        services.final_checks_run,
        success="The final checks have run; each one is below.",
        actor=request.user,
        version=version,
    )
    return redirect(url("final_check_detail", project, version.pk))


@login_required
@GET_POST
def final_check_answer(request: HttpRequest, slug: str, version_id: int, key: str) -> HttpResponse:
    project = _project(request, slug)
    deny_unless(permissions.can_run_final_checks(request.user, project))
    version = selectors.final_check_version_get(project=project, version_id=version_id)
    question = next((q for q in final_checks.QUESTIONS if q.key == key), None)
    if question is None:
        raise Http404("No such final check.")
    return form_page(
        request,
        forms.FinalCheckAnswerForm(posted(request), question=question),
        on=project,
        service=services.final_check_answer,
        success="Your answer is saved.",
        back=("final_check_detail", f"{version.title}, version {version.number}"),
        back_args=(version.pk,),
        version=version,
        key=key,
    )
