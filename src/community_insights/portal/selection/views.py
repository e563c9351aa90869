"""Thin views of the selection app: Phase 2, Parts 2 and 3 of the guide.

Part 2 (evaluate for data safety and skills: the skills report, the shared evaluation) and Part 3
(the panel's scores, the decision, the next steps). Each view checks permission, binds a form with
``posted(request)`` and calls one service through ``call_service``; none catches errors by hand.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community_insights.portal.core.viewtools import (
    acting,
    call_service,
    call_service_with_message,
    posted,
    remove_if_there,
    submit_form,
)
from community_insights.portal.people.selectors import user_list
from community_insights.portal.selection import forms, guide, permissions, selectors, services

GET_POST = require_http_methods(["GET", "POST"])


def _users() -> Any:
    """Everyone who could join the panel or bring a skill: active accounts, by name."""
    return user_list(include_inactive=False)


def _check(allowed: bool) -> None:
    """A 403 when the named permission rule says no (the service checks again)."""
    if not allowed:
        raise PermissionDenied


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Candidates ranked by the panel's scores, with each one's decision."""
    _check(permissions.can_view_selection(request.user))
    return render(
        request,
        "selection/overview.html",
        {
            "rows": selectors.ranking(),
            "max_total": selectors.max_total(),
            "panel": selectors.panel_members(),
            "criteria": guide.criteria(),
            "is_panel_member": permissions.is_panel_member(request.user),
            "is_facilitator": permissions.can_decide(request.user),
        },
    )


@login_required
@GET_POST
def panel(request: HttpRequest) -> HttpResponse:
    _check(permissions.can_manage_panel(request.user))
    form = forms.PanelMemberForm(posted(request), users=_users())
    done = submit_form(request, form, services.panel_member_add, "Added to the panel.", "selection:panel")
    context = {"form": form, "added": selectors.panel_added(), "panel": selectors.panel_members()}
    return done or render(request, "selection/panel.html", context)


@login_required
@require_POST
def panel_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _check(permissions.can_manage_panel(request.user))
    member = selectors.panel_added().filter(pk=pk).first()
    remove_if_there(request, services.panel_member_remove, "Removed from the panel.", member=member)
    return redirect("selection:panel")


@login_required
@require_GET
def skills(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    report = selectors.skills_for_project(project)
    return render(
        request,
        "selection/skills.html",
        {
            "project": project,
            "report": report,
            "all_types": guide.data_types(),
            "can_edit": permissions.can_edit_evaluation(request.user),
        },
    )


@login_required
@GET_POST
def data_types(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    _check(permissions.can_edit_evaluation(request.user))
    keys, _ = selectors.project_data_type_keys(project)
    form = forms.DataTypesForm(posted(request), initial={"data_types": keys})
    if form.is_valid():
        keys = form.cleaned_data["data_types"]
        ok, _ = call_service(form, services.project_data_types_set, actor=request.user, project=project, keys=keys)
        if ok:
            messages.success(request, "Types of data saved.")
            return redirect("selection:skills", slug=project.slug)
    return render(request, "selection/form_page.html", {"form": form, "project": project, "title": "Types of data"})


@login_required
@GET_POST
def skill_cover(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    _check(permissions.can_edit_evaluation(request.user))
    report = selectors.skills_for_project(project)
    choices = [(r.skill.key, r.skill.name) for r in report.rows] or [(s.key, s.name) for s in guide.skills()]
    initial = {"skill_key": request.GET.get("skill", "")}
    form = forms.SkillCoverForm(posted(request), users=_users(), skills=choices, initial=initial)
    then = reverse("selection:skills", args=[project.slug])
    success = "Saved who brings the skill."
    done = submit_form(request, form, services.skill_cover_add, success, then, project=project)
    return done or render(
        request, "selection/form_page.html", {"form": form, "project": project, "title": "Who brings a skill"}
    )


@login_required
@require_POST
def skill_cover_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    _check(permissions.can_edit_evaluation(request.user))
    cover = project.skill_covers.filter(pk=pk).first()
    remove_if_there(request, services.skill_cover_remove, "Removed.", cover=cover)
    return redirect("selection:skills", slug=project.slug)


@login_required
@require_GET
def evaluation(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    summary = selectors.evaluation_summary(project)
    return render(
        request,
        "selection/evaluation.html",
        {
            "s": summary,
            "project": project,
            "is_candidate": selectors.is_candidate(project),
            "can_edit": permissions.can_edit_evaluation(request.user),
            "can_score": permissions.can_score(request.user),
            "can_decide": permissions.can_decide(request.user),
            "can_next_steps": permissions.can_manage_next_steps(request.user, project),
        },
    )


@login_required
@require_GET
def evaluation_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    from community_insights.portal.selection.pdf import evaluation_pdf as render_pdf

    project = selectors.project_get_for_user(user=request.user, slug=slug)
    pdf = render_pdf(selectors.evaluation_summary(project))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="evaluation-{slugify(project.slug)}.pdf"'
    return response


@login_required
@GET_POST
def evaluation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    _check(permissions.can_edit_evaluation(request.user))
    summary = selectors.evaluation_summary(project)
    ev = summary.evaluation
    initial: dict[str, Any] = {}
    if ev is not None:
        initial = {f: getattr(ev, f) for f in ("existing_work", "data_safety_findings", "skills_notes", "risks")}
    elif summary.skills.gaps:
        initial = {"skills_notes": "Gaps: " + "; ".join(r.skill.name for r in summary.skills.gaps) + "."}
    form = forms.EvaluationForm(posted(request), initial=initial)
    if form.is_valid():
        ok, _ = call_service(form, services.evaluation_save, **acting(request, project=project), **form.cleaned_data)
        if ok:
            messages.success(
                request,
                "Evaluation shared with the panel and the team." if form.cleaned_data["share"] else "Evaluation saved.",
            )
            return redirect("selection:evaluation", slug=project.slug)
    return render(request, "selection/evaluation_edit.html", {"form": form, "project": project, "s": summary})


@login_required
@GET_POST
def score(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    _check(permissions.can_score(request.user))
    mine = selectors.scores_by(project=project, user=request.user)
    initial: dict[str, Any] = {}
    for key, s in mine.items():
        initial[f"score_{key}"] = str(s.score)
        initial[f"comment_{key}"] = s.comment
    form = forms.ScoreForm(posted(request), initial=initial)
    if form.is_valid():
        ok, _ = call_service(form, services.scores_save, actor=request.user, project=project, scores=form.scores())
        if ok:
            messages.success(request, f"Your scores for {project.title} are saved.")
            return redirect("selection:overview")
    return render(request, "selection/score.html", {"form": form, "project": project, "has_scored": bool(mine)})


@login_required
@GET_POST
def decision(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    _check(permissions.can_decide(request.user))
    rows = [r for r in selectors.ranking() if r.project.pk == project.pk]
    form = forms.DecisionForm(posted(request))
    then = reverse("selection:evaluation", args=[project.slug])
    success = "Decision recorded. The proposer has been emailed."
    base_url = request.build_absolute_uri("/")
    done = submit_form(request, form, services.decision_record, success, then, project=project, base_url=base_url)
    return done or render(
        request,
        "selection/decision.html",
        {"form": form, "project": project, "row": rows[0] if rows else None, "max_total": selectors.max_total()},
    )


@login_required
@GET_POST
def next_steps(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    can_edit = permissions.can_manage_next_steps(request.user, project)
    form = forms.NextStepForm(posted(request))
    if request.method == "POST":
        _check(can_edit)
        if form.is_valid():
            call_service_with_message(
                request,
                services.next_step_set,
                success="Checklist updated.",
                actor=request.user,
                project=project,
                **form.cleaned_data,
            )
            return redirect("selection:next_steps", slug=project.slug)
        messages.error(request, "Choose a step of the checklist.")
    return render(
        request,
        "selection/next_steps.html",
        {"project": project, "checklists": selectors.next_steps_for_project(project), "can_edit": can_edit},
    )
