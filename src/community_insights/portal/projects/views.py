"""Project pages: thin views that ask a permission rule, bind a form and call one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from community_insights.portal.core.forms import ConfirmForm
from community_insights.portal.core.viewtools import call_service, posted, submit_form
from community_insights.portal.people.roles import role_definitions
from community_insights.portal.projects import gates, membership, selectors, services
from community_insights.portal.projects import phases as phase_data
from community_insights.portal.projects.forms import (
    AdvancePhaseForm,
    ChecklistItemForm,
    LoopBackForm,
    PlannedDaysForm,
    ProjectEditForm,
    ProjectForm,
    RoleAssignForm,
)
from community_insights.portal.projects.permissions import (
    can_advance_phase,
    can_create_project,
    can_edit_project,
    can_manage_team,
    can_tick_checklist,
)


def _abilities(request: HttpRequest, project: object) -> dict[str, bool]:
    user = request.user
    return {
        "can_edit": can_edit_project(user, project),
        "can_manage_team": can_manage_team(user, project),
        "can_advance": can_advance_phase(user, project),
        "can_tick": can_tick_checklist(user, project),
    }


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    projects = membership.project_list_for_user(user=request.user)
    return render(
        request,
        "projects/project_list.html",
        {"projects": projects, "can_create": can_create_project(request.user), "phases": phase_data.phases()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    if not can_create_project(request.user):
        raise PermissionDenied
    form = ProjectForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ok, project = call_service(
            form,
            services.project_create,
            actor=request.user,
            title=form.cleaned_data["title"],
            question=form.cleaned_data["question"],
            summary=form.cleaned_data["summary"],
            lead_organisation=form.cleaned_data["lead_organisation"],
            creator_role=form.cleaned_data["creator_role"] or None,
        )
        if ok and project is not None:
            messages.success(request, f"You have started the project “{project.title}”.")
            return redirect("projects:project_detail", slug=project.slug)
    return render(request, "projects/form_page.html", {"form": form, "title": "Start a project"})


@login_required
@require_GET
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = membership.project_get_for_user(user=request.user, slug=slug)
    checklists = selectors.project_checklists(project=project)
    current = next(c for c in checklists if c.phase.number == project.phase)
    team = selectors.project_team(project=project)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "phases": phase_data.phases(),
            "checklist": current,
            "team_warnings": team.warnings,
            "loop_back": selectors.last_loop_back(project=project),
            "finish": selectors.finish_state(project=project),
            **_abilities(request, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    project = membership.project_get_for_user(user=request.user, slug=slug)
    if not can_edit_project(request.user, project):
        raise PermissionDenied
    initial = {
        "title": project.title,
        "question": project.question,
        "summary": project.summary,
        "lead_organisation": project.lead_organisation,
        "is_public": project.is_public,
        "is_selected": project.is_selected,
    }
    form = ProjectEditForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _ = call_service(form, services.project_update, actor=request.user, project=project, **form.cleaned_data)
        if ok:
            messages.success(request, "The project's details have been saved.")
            return redirect("projects:project_detail", slug=project.slug)
    return render(
        request, "projects/form_page.html", {"form": form, "project": project, "title": "Change the project's details"}
    )


@login_required
@require_GET
def project_phases(request: HttpRequest, slug: str) -> HttpResponse:
    project = membership.project_get_for_user(user=request.user, slug=slug)
    return render(
        request,
        "projects/project_phases.html",
        {
            "project": project,
            "checklists": selectors.project_checklists(project=project),
            **_abilities(request, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def checklist_item(request: HttpRequest, slug: str, item_key: str) -> HttpResponse:
    project = membership.project_get_for_user(user=request.user, slug=slug)
    try:
        item = phase_data.checklist_item(item_key)
    except KeyError:
        raise Http404("No such checklist item.") from None
    tick = selectors.checklist_ticks(project=project).get(item_key)
    may_tick = can_tick_checklist(request.user, project) and item.phase <= project.phase
    form: ChecklistItemForm | ConfirmForm
    form = ConfirmForm(posted(request), button="Mark as not done") if tick else ChecklistItemForm(posted(request))
    if request.method == "POST":
        if not may_tick:
            raise PermissionDenied
        if form.is_valid():
            if tick:
                ok, _ = call_service(
                    form, services.checklist_item_untick, actor=request.user, project=project, item_key=item_key
                )
                message = "The item is marked as not done."
            else:
                ok, _ = call_service(
                    form,
                    services.checklist_item_tick,
                    actor=request.user,
                    project=project,
                    item_key=item_key,
                    note=form.cleaned_data.get("note", ""),
                )
                message = "The item is marked as done."
            if ok:
                messages.success(request, message)
                return redirect("projects:project_phases", slug=project.slug)
    return render(
        request,
        "projects/checklist_item.html",
        {
            "project": project,
            "item": item,
            "phase": phase_data.phase(item.phase),
            "tick": tick,
            "form": form,
            "may_tick": may_tick,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def phase_advance(request: HttpRequest, slug: str) -> HttpResponse:
    project = membership.project_get_for_user(user=request.user, slug=slug)
    if not can_advance_phase(request.user, project):
        raise PermissionDenied
    last = project.phase >= phase_data.phases()[-1].number
    left = [] if last else selectors.unticked_items(project=project, phase=project.phase)
    blocked = [] if last else gates.reasons_to_stay(project)
    form = AdvancePhaseForm(posted(request), incomplete=bool(left))
    if request.method == "POST" and not last and not blocked and form.is_valid():
        ok, advanced = call_service(
            form,
            services.project_advance_phase,
            actor=request.user,
            project=project,
            confirm_incomplete=form.cleaned_data.get("confirm_incomplete", False),
        )
        if ok and advanced is not None:
            messages.success(request, f"The project is now in phase {phase_data.phase(advanced.phase).label}.")
            return redirect("projects:project_detail", slug=project.slug)
    return render(
        request,
        "projects/phase_advance.html",
        {
            "project": project,
            "form": form,
            "left": left,
            "blocked": blocked,
            "last": last,
            "current": phase_data.phase(project.phase),
            "next": None if last else phase_data.phase(project.phase + 1),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_close(request: HttpRequest, slug: str) -> HttpResponse:
    """Close a project at the end of Phase 4: the checklist's state and one button."""
    project = membership.project_get_for_user(user=request.user, slug=slug)
    if not can_advance_phase(request.user, project):
        raise PermissionDenied
    finish = selectors.finish_state(project=project)
    form = ConfirmForm(posted(request), button="Close the project")
    if request.method == "POST" and form.is_valid():
        ok, _ = call_service(form, services.project_close, actor=request.user, project=project)
        if ok:
            messages.success(request, "The project is closed. The landing page counts it among the projects finished.")
            return redirect("projects:project_detail", slug=project.slug)
    return render(request, "projects/project_close.html", {"project": project, "form": form, "finish": finish})


@login_required
@require_http_methods(["GET", "POST"])
def phase_loop_back(request: HttpRequest, slug: str) -> HttpResponse:
    """Back to the previous phase with a reason (the guide: "we loop back to the previous stage")."""
    project = membership.project_get_for_user(user=request.user, slug=slug)
    if not can_advance_phase(request.user, project) or project.phase <= 1:
        raise PermissionDenied
    form = LoopBackForm(posted(request))
    done = submit_form(
        request,
        form,
        services.project_loop_back,
        f"The project is back in phase {project.phase - 1}. The team has been emailed why.",
        reverse("projects:project_detail", args=[project.slug]),
        project=project,
    )
    title = f"Go back to phase {phase_data.phase(project.phase - 1).label}"
    return done or render(request, "projects/form_page.html", {"project": project, "form": form, "title": title})


@login_required
@require_GET
def project_team(request: HttpRequest, slug: str) -> HttpResponse:
    project = membership.project_get_for_user(user=request.user, slug=slug)
    return render(
        request,
        "projects/project_team.html",
        {"project": project, "team": selectors.project_team(project=project), **_abilities(request, project)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def role_assign(request: HttpRequest, slug: str) -> HttpResponse:
    project = membership.project_get_for_user(user=request.user, slug=slug)
    if not can_manage_team(request.user, project):
        raise PermissionDenied
    form = RoleAssignForm(posted(request), initial={"role": request.GET.get("role", "")})
    if request.method == "POST" and form.is_valid():
        ok, project_role = call_service(
            form,
            services.project_role_assign,
            actor=request.user,
            project=project,
            user=form.cleaned_data["user"],
            role=form.cleaned_data["role"],
            planned_days=form.cleaned_data["planned_days"],
        )
        if ok and project_role is not None:
            messages.success(
                request,
                f"{project_role.user.get_full_name()} is now {role_definitions()[project_role.role].name.lower()} "
                "on this project.",
            )
            return redirect("projects:project_team", slug=project.slug)
    return render(
        request,
        "projects/form_page.html",
        {"form": form, "project": project, "title": "Add someone to the team", "roles": role_definitions().values()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def role_edit(request: HttpRequest, slug: str, role_id: int) -> HttpResponse:
    project = membership.project_get_for_user(user=request.user, slug=slug)
    if not can_manage_team(request.user, project):
        raise PermissionDenied
    project_role = selectors.project_role_get(project=project, role_id=role_id)
    form = PlannedDaysForm(posted(request), initial={"planned_days": project_role.planned_days})
    if request.method == "POST" and form.is_valid():
        ok, _ = call_service(
            form,
            services.project_role_update,
            actor=request.user,
            project_role=project_role,
            planned_days=form.cleaned_data["planned_days"],
        )
        if ok:
            messages.success(request, "The planned days have been saved.")
            return redirect("projects:project_team", slug=project.slug)
    definition = role_definitions().get(project_role.role)
    return render(
        request,
        "projects/role_edit.html",
        {"form": form, "project": project, "project_role": project_role, "definition": definition},
    )


@login_required
@require_http_methods(["GET", "POST"])
def role_remove(request: HttpRequest, slug: str, role_id: int) -> HttpResponse:
    project = membership.project_get_for_user(user=request.user, slug=slug)
    if not can_manage_team(request.user, project):
        raise PermissionDenied
    project_role = selectors.project_role_get(project=project, role_id=role_id)
    form = ConfirmForm(posted(request), button="Take off the team")
    if request.method == "POST" and form.is_valid():
        ok, _ = call_service(form, services.project_role_remove, actor=request.user, project_role=project_role)
        if ok:
            messages.success(request, f"{project_role.user.get_full_name()} is no longer on the team in that role.")
            return redirect("projects:project_team", slug=project.slug)
    return render(
        request, "projects/role_remove.html", {"form": form, "project": project, "project_role": project_role}
    )
