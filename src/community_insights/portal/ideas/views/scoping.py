"""Phase 2, Part 1 of the guide: plan a scoping session and its people (Step 1), then hold it
(Step 3): notes on each agenda item and data scoping, with the public catalogue as a starting point."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from community_insights.portal.core.viewtools import (
    acting,
    call_service,
    call_service_with_message,
    deny_unless,
    posted,
    remove_if_there,
    submit_form,
)
from community_insights.portal.ideas import forms, guide, permissions, selectors, services
from community_insights.portal.ideas.models import Idea, ScopingSession
from community_insights.portal.ideas.views.common import GET_POST
from community_insights.portal.people.selectors import user_list

DATA_ANCHOR = "#data-we-might-need"


def _session_url(session: ScopingSession, anchor: str = "") -> str:
    return reverse("ideas:session_detail", args=[session.pk]) + anchor


def _session_to_plan(request: HttpRequest, pk: int) -> ScopingSession:
    """The session, for someone who may plan it (its people); 404 if unseen, 403 if not theirs to plan."""
    session = selectors.session_get_for_user(user=request.user, session_id=pk)
    deny_unless(permissions.can_plan_scoping(request.user))
    return session


def _session_to_note(request: HttpRequest, pk: int) -> ScopingSession:
    """The session, for someone who may take its notes (agenda, data we might need)."""
    session = selectors.session_get_for_user(user=request.user, session_id=pk)
    deny_unless(permissions.can_take_scoping_notes(request.user, session))
    return session


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """The guide's appendix of public data sources, searchable: where data scoping starts."""
    query = request.GET.get("q", "")[:200]
    return render(
        request,
        "ideas/catalogue.html",
        {"query": query, "datasets": guide.search_public_datasets(query), "total": len(guide.public_datasets())},
    )


@login_required
@GET_POST
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.idea_get_for_user(user=request.user, idea_id=pk)
    deny_unless(permissions.can_plan_scoping(request.user))
    form = forms.ScopingSessionForm(posted(request))
    if form.is_valid():
        when_where = {key: form.cleaned_data[key] for key in ("starts_at", "ends_at", "location")}
        ok, session = call_service(form, services.scoping_session_create, **acting(request, idea=idea), **when_where)
        if ok and session is not None:
            messages.success(request, "Scoping session planned. Now add the people who will take part.")
            return redirect(_session_url(session))
    return render(request, "ideas/session_form.html", {"form": form, "idea": idea})


def _session_context(request: HttpRequest, session: ScopingSession) -> dict[str, Any]:
    return {
        "session": session,
        "idea": session.idea,
        "coverage": selectors.session_role_coverage(session),
        "missing": selectors.session_missing_roles(session),
        "agenda": selectors.session_agenda(session),
        "data_groups": selectors.session_data_needs(session),
        "catalogue": guide.public_datasets(),
        "catalogue_names": {d.key: d for d in guide.public_datasets()},
        "can_plan": permissions.can_plan_scoping(request.user),
        "can_note": permissions.can_take_scoping_notes(request.user, session),
        "data_need_form": forms.DataNeedForm(),
        "inventory_url": _inventory_url(session.idea),
    }


def _inventory_url(idea: Idea) -> str:
    """The datasets area's inventory for the candidate project, when that page exists."""
    if not idea.project_id:
        return ""
    assert idea.project is not None
    for name, kwargs in (
        ("datasets:inventory", {"slug": idea.project.slug}),
        ("datasets:dataset_list", {"slug": idea.project.slug}),
    ):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return ""


@login_required
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, session_id=pk)
    return render(request, "ideas/session_detail.html", _session_context(request, session))


@login_required
@GET_POST
def attendee_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_to_plan(request, pk)
    form = forms.AttendeeForm(posted(request), users=user_list(include_inactive=False))
    then = _session_url(session)
    here = request.build_absolute_uri("/")  # where the invitation's links point
    added = "Added to the session."
    done = submit_form(request, form, services.scoping_attendee_add, added, then, session=session, base_url=here)
    return done or render(request, "ideas/attendee_form.html", {"form": form, "session": session})


@login_required
@require_POST
def attendee_remove(request: HttpRequest, pk: int, attendee_id: int) -> HttpResponse:
    session = _session_to_plan(request, pk)
    attendee = session.attendees.filter(pk=attendee_id).first()
    here = request.build_absolute_uri("/")
    removed = "Removed from the session."
    remove_if_there(request, services.scoping_attendee_remove, removed, attendee=attendee, base_url=here)
    return redirect(_session_url(session))


@login_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel the session: everyone invited gets a cancellation for their calendar; the notes stay."""
    session = _session_to_plan(request, pk)
    done = "The session is cancelled. Everyone who was invited has been sent a cancellation for their calendar."
    kwargs = acting(request, session=session)
    call_service_with_message(request, services.scoping_session_cancel, success=done, **kwargs)
    return redirect(_session_url(session))


@login_required
@GET_POST
def agenda_note(request: HttpRequest, pk: int, item_key: str) -> HttpResponse:
    session = _session_to_note(request, pk)
    try:
        item = guide.agenda_item(item_key)
    except KeyError:
        raise Http404("No such agenda item.") from None
    existing = session.agenda_notes.filter(item_key=item_key).first()
    initial = {"notes": existing.notes if existing else "", "is_done": existing.is_done if existing else False}
    form = forms.AgendaNoteForm(posted(request), initial=initial)
    then = _session_url(session, f"#agenda-{item_key}")
    success = f"Notes saved: {item.title}"
    done = submit_form(request, form, services.agenda_note_save, success, then, session=session, item_key=item_key)
    return done or render(request, "ideas/agenda_note_form.html", {"form": form, "session": session, "item": item})


@login_required
@GET_POST
def data_need_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_to_note(request, pk)
    entry = guide.public_dataset(request.GET.get("catalogue", ""))
    initial = {"source_category": "public", "catalogue_key": entry.key, "description": entry.name} if entry else {}
    form = forms.DataNeedForm(posted(request), initial=initial)
    then = _session_url(session, DATA_ANCHOR)
    done = submit_form(request, form, services.data_need_add, "Data source added.", then, session=session)
    return done or render(request, "ideas/data_need_form.html", {"form": form, "session": session})


@login_required
@require_POST
def data_need_remove(request: HttpRequest, pk: int, need_id: int) -> HttpResponse:
    session = _session_to_note(request, pk)
    need = session.data_needs.filter(pk=need_id).first()
    remove_if_there(request, services.data_need_remove, "Data source removed.", need=need)
    return redirect(_session_url(session, DATA_ANCHOR))
