"""Thin views of the guide area: the guide as public pages, its history, and staff proposing and publishing changes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community_insights.portal import guide
from community_insights.portal.core.viewtools import (
    call_service,
    call_service_with_message,
    deny_unless,
    posted,
    submit_form,
)
from community_insights.portal.guide import permissions, selectors, services
from community_insights.portal.guide.forms import ProposeForm, PublishForm
from community_insights.portal.people.roles import role_definitions
from community_insights.portal.programme.selectors import principles as guide_principles
from community_insights.portal.projects.phases import phases

GET_POST = require_http_methods(["GET", "POST"])


def _public(request: HttpRequest, template: str, **context: object) -> HttpResponse:
    version = selectors.published_version()
    return render(
        request, template, {"version": version, "can_propose": permissions.can_propose_change(request.user), **context}
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The guide's phases as a step-by-step: each phase, its parts and steps, and what the team will have achieved."""
    return _public(request, "guide/index.html", phases=phases())


@require_GET
def roles(request: HttpRequest) -> HttpResponse:
    definitions = list(role_definitions().values())
    teams = [
        ("The core team", [r for r in definitions if r.team == "core"]),
        ("The complementary team", [r for r in definitions if r.team == "complementary"]),
    ]
    return _public(request, "guide/roles.html", teams=teams)


@require_GET
def principles(request: HttpRequest) -> HttpResponse:
    return _public(request, "guide/principles.html", principles=guide_principles())


@require_GET
def history(request: HttpRequest) -> HttpResponse:
    """Every published version with its change note and the sections it changed, newest first."""
    versions = [(v, selectors.version_changes(v)) for v in selectors.version_list()]
    return _public(request, "guide/history.html", versions=versions)


@login_required
@require_GET
def propose_start(request: HttpRequest) -> HttpResponse:
    """Choose the section to change (from a retrospective card, the card is carried along)."""
    deny_unless(permissions.can_propose_change(request.user))
    card = selectors.prompting_card(card_id=request.GET.get("card"))
    context = {"sections": guide.SECTIONS, "card": card, "proposals": selectors.proposal_list()}
    return render(request, "guide/propose_start.html", context)


@login_required
@GET_POST
def propose(request: HttpRequest, section: str) -> HttpResponse:
    deny_unless(permissions.can_propose_change(request.user))
    if section not in guide.SECTION_NAMES:
        raise Http404("The guide has no such section.")
    card = selectors.prompting_card(card_id=request.GET.get("card"))
    form = ProposeForm(posted(request), initial={"text": selectors.section_text(guide.content(), section)})
    if form.is_valid():
        ok, proposal = call_service(
            form,
            services.guide_change_propose,
            actor=request.user,
            section=section,
            prompted_by=card,
            **form.cleaned_data,
        )
        if ok and proposal is not None:
            messages.success(request, "Your change is proposed. Check the difference before publishing it.")
            return redirect("guide:proposal", pk=proposal.pk)
    context = {"form": form, "section_title": selectors.section_title(section), "card": card}
    return render(request, "guide/propose.html", context)


@login_required
@GET_POST
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """A proposed change: its difference from the published guide, and publishing it with a change note."""
    deny_unless(permissions.can_view_proposals(request.user))
    change = selectors.proposal_get(pk=pk)
    form = PublishForm(posted(request), initial={"change_note": change.change_note})
    done = submit_form(
        request,
        form,
        services.guide_version_publish,
        "The new version of the guide is published.",
        "guide:history",
        proposal=change,
    )
    context = {
        "proposal": change,
        "form": form,
        "diff": selectors.proposal_diff(change),
        "section_title": selectors.section_title(change.section),
        "version": selectors.published_version(),
    }
    return done or render(request, "guide/proposal.html", context)


@login_required
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    deny_unless(permissions.can_publish_version(request.user))
    change = selectors.proposal_get(pk=pk)
    call_service_with_message(
        request,
        services.guide_change_discard,
        success="The proposed change is discarded.",
        actor=request.user,
        proposal=change,
    )
    return redirect(reverse("guide:propose_start"))
