"""Thin views of the guide area: the guide as public pages, its history, and staff proposing and publishing changes."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

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
from community_insights.portal.programme import current
from community_insights.portal.programme.selectors import principles as guide_principles
from community_insights.portal.programme.selectors import programme_get_by_slug
from community_insights.portal.projects.phases import phases

GET_POST = require_http_methods(["GET", "POST"])

#: The guide's public pages, in the order of its side list: URL name, title.
PUBLIC_PAGES = (
    ("index", "Phases and steps"),
    ("roles", "Roles"),
    ("principles", "Ways of working"),
    ("history", "Versions and changes"),
)


def of_any_programme(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A public page of the guide that also answers at ``/guide/programmes/<short name>/...`` for that programme.

    Each programme keeps its own guide; a visitor reads the current programme's at
    ``/guide/``, and any programme's at its own path (linked from nowhere private:
    the guide is public), with that programme's header.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, programme: str | None = None) -> HttpResponse:
        if programme is None:
            return view(request)
        chosen = programme_get_by_slug(programme)
        with current.using(chosen):
            request.programme = chosen  # type: ignore[attr-defined]  # the header shows this programme's branding
            return view(request, programme=chosen.slug)

    return wrapper


def _public(request: HttpRequest, template: str, programme: str | None = None, **context: Any) -> HttpResponse:
    version = selectors.published_version()
    kwargs = {"programme": programme} if programme else {}
    pages = [
        (reverse(f"guide:{'programme_' if programme else ''}{name}", kwargs=kwargs), t) for name, t in PUBLIC_PAGES
    ]
    can_propose = programme is None and permissions.can_propose_change(request.user)
    return render(request, template, {"version": version, "can_propose": can_propose, "pages": pages, **context})


@require_GET
@of_any_programme
def index(request: HttpRequest, programme: str | None = None) -> HttpResponse:
    """The guide's phases as a step-by-step: each phase, its parts and steps, and what the team will have achieved."""
    return _public(request, "guide/index.html", programme, phases=phases())


@require_GET
@of_any_programme
def roles(request: HttpRequest, programme: str | None = None) -> HttpResponse:
    definitions = list(role_definitions().values())
    teams = [
        ("The core team", [r for r in definitions if r.team == "core"]),
        ("The complementary team", [r for r in definitions if r.team == "complementary"]),
    ]
    return _public(request, "guide/roles.html", programme, teams=teams)


@require_GET
@of_any_programme
def principles(request: HttpRequest, programme: str | None = None) -> HttpResponse:
    return _public(request, "guide/principles.html", programme, principles=guide_principles())


@require_GET
@of_any_programme
def history(request: HttpRequest, programme: str | None = None) -> HttpResponse:
    """Every published version of the programme's guide with its change note and the sections it changed."""
    versions = [(v, selectors.version_changes(v)) for v in selectors.version_list()]
    return _public(request, "guide/history.html", programme, versions=versions)


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
