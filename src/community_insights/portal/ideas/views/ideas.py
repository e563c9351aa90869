"""Ideas from VCS colleagues (heard in office hours, Phase 1, Step 3; shaped into a question in
Phase 2, Part 1), and the facilitator's front page for the whole of Phases 1 and 2."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from community_insights.portal.core.viewtools import acting, call_service, deny_unless, posted, submit_form
from community_insights.portal.ideas import forms, permissions, selectors, services
from community_insights.portal.ideas.models import Idea
from community_insights.portal.ideas.views.common import GET_POST, facilitator_required


@facilitator_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    return render(request, "ideas/manage.html", selectors.facilitator_counts())


@login_required
@require_GET
def idea_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Idea.Status.values:
        status = ""
    return render(
        request,
        "ideas/idea_list.html",
        {
            "ideas": selectors.idea_list_for_user(user=request.user, status=status),
            "status": status,
            "statuses": Idea.Status.choices,
            "is_facilitator": permissions.is_facilitator(request.user),
        },
    )


@login_required
@GET_POST
def idea_create(request: HttpRequest) -> HttpResponse:
    form = forms.IdeaForm(posted(request))
    if form.is_valid():
        ok, idea = call_service(form, services.idea_submit, **acting(request), **form.cleaned_data)
        if ok and idea is not None:
            messages.success(request, "Thank you. The facilitator will be in touch to talk about your idea.")
            return redirect("ideas:idea_detail", pk=idea.pk)
    return render(request, "ideas/idea_form.html", {"form": form})


@login_required
@require_GET
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.idea_get_for_user(user=request.user, idea_id=pk)
    sessions = [
        {"session": s, "missing": selectors.session_missing_roles(s)}
        for s in idea.scoping_sessions.prefetch_related("attendees")
    ]
    return render(
        request,
        "ideas/idea_detail.html",
        {
            "idea": idea,
            "sessions": sessions,
            "can_manage": permissions.can_shape_idea(request.user),
            "statuses": Idea.Status.choices,
        },
    )


@login_required
@GET_POST
def idea_shape(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.idea_get_for_user(user=request.user, idea_id=pk)
    deny_unless(permissions.can_shape_idea(request.user))
    form = forms.IdeaShapeForm(posted(request), initial={"title": idea.title, "question": idea.question})
    then = reverse("ideas:idea_detail", args=[idea.pk])
    done = submit_form(request, form, services.idea_shape, "Question saved.", then, idea=idea)
    return done or render(request, "ideas/idea_shape.html", {"form": form, "idea": idea})


@login_required
@GET_POST
def idea_status(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.idea_get_for_user(user=request.user, idea_id=pk)
    deny_unless(permissions.can_change_idea_status(request.user))
    choices = [(s, Idea.Status(s).label) for s in services.STATUS_MOVES.get(idea.status, ())]
    form = forms.IdeaStatusForm(posted(request), choices=choices)
    if form.is_valid():
        ok, _ = call_service(form, services.idea_change_status, **acting(request, idea=idea), **form.cleaned_data)
        if ok:
            messages.success(
                request, f"The idea is now {idea.get_status_display().lower()}. The proposer has been emailed."
            )
            return redirect("ideas:idea_detail", pk=idea.pk)
    return render(request, "ideas/idea_status.html", {"form": form, "idea": idea, "choices": choices})
