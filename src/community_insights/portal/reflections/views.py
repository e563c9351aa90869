"""Thin views of the reflections area: the summary and board, the survey, a new card."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from community_insights.portal.core.viewtools import deny_unless, posted, submit_form
from community_insights.portal.guide.permissions import can_propose_change
from community_insights.portal.reflections import permissions, selectors, services
from community_insights.portal.reflections.forms import CardForm, SurveyForm

GET_POST = require_http_methods(["GET", "POST"])


@login_required
@require_GET
def summary(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_get(user=request.user, slug=slug)
    context = {
        "project": project,
        "summary": selectors.survey_summary(project=project),
        "board": selectors.board(project=project),
        "can_answer": permissions.can_answer_survey(request.user, project)
        and not selectors.has_answered(user=request.user, project=project),
        "can_add_card": permissions.can_add_card(request.user, project),
        "can_propose_guide_change": can_propose_change(request.user),
    }
    return render(request, "reflections/summary.html", context)


@login_required
@GET_POST
def survey(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_get(user=request.user, slug=slug)
    deny_unless(permissions.can_answer_survey(request.user, project))
    back = reverse("reflections:summary", args=[project.slug])
    form = SurveyForm(posted(request))
    done = submit_form(request, form, services.survey_answer, "Thank you: your answers are in.", back, project=project)
    context = {"project": project, "form": form, "title": "Reflections survey", "back": back}
    return done or render(request, "reflections/form_page.html", context)


@login_required
@GET_POST
def card_add(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_get(user=request.user, slug=slug)
    deny_unless(permissions.can_add_card(request.user, project))
    back = reverse("reflections:summary", args=[project.slug])
    form = CardForm(posted(request))
    done = submit_form(request, form, services.card_add, "The card is on the board.", back, project=project)
    context = {"project": project, "form": form, "title": "Add a card to the board", "back": back}
    return done or render(request, "reflections/form_page.html", context)
