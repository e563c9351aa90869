"""People pages: account, organisations, invitations and (for staff) managing accounts."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from community_insights.portal.core.forms import ConfirmForm
from community_insights.portal.core.viewtools import call_service, posted
from community_insights.portal.people import selectors, services
from community_insights.portal.people.forms import (
    AcceptInvitationForm,
    AccountForm,
    DeactivateForm,
    InvitationForm,
    OrganisationForm,
    PeopleSearchForm,
)
from community_insights.portal.people.permissions import (
    can_deactivate,
    can_invite,
    can_manage_organisations,
    can_see_people,
)


@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "people/account.html",
        {"person": request.user, "project_roles": selectors.user_projects(user=request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = AccountForm(posted(request), initial={"full_name": user.full_name, "job_title": user.job_title})  # type: ignore[union-attr]
    if request.method == "POST" and form.is_valid():
        ok, _ = call_service(form, services.account_update, actor=user, **form.cleaned_data)
        if ok:
            messages.success(request, "Your details have been saved.")
            return redirect("people:account")
    return render(
        request, "people/form_page.html", {"form": form, "title": "Change your details", "back": "people:account"}
    )


@login_required
@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "people/organisation_list.html",
        {"organisations": selectors.organisation_list(), "can_add": can_manage_organisations(request.user)},
    )


@login_required
@require_GET
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    org = selectors.organisation_get(organisation_id=organisation_id)
    return render(
        request,
        "people/organisation_detail.html",
        {"organisation": org, "members": selectors.organisation_members(organisation=org)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    if not can_manage_organisations(request.user):
        raise PermissionDenied
    form = OrganisationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ok, org = call_service(form, services.organisation_create, actor=request.user, **form.cleaned_data)
        if ok and org is not None:
            messages.success(request, f"{org.name} has been added.")
            return redirect("people:organisation_detail", organisation_id=org.pk)
    return render(
        request,
        "people/form_page.html",
        {"form": form, "title": "Add an organisation", "back": "people:organisation_list"},
    )


@login_required
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    if not can_see_people(request.user):
        raise PermissionDenied
    search = PeopleSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    page = Paginator(selectors.user_list(query=query), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "people/person_list.html",
        {
            "page": page,
            "search": search,
            "query": query,
            "query_string": urlencode({"q": query}) if query else "",
            "invitations": selectors.invitation_pending_list(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest) -> HttpResponse:
    if not can_invite(request.user):
        raise PermissionDenied
    form = InvitationForm(posted(request), initial=selectors.invitation_initial(request.GET))
    back = _safe_next(request) or reverse(
        "people:person_list" if can_see_people(request.user) else "projects:project_list"
    )
    if request.method == "POST" and form.is_valid():
        ok, result = call_service(
            form,
            services.invitation_create,
            actor=request.user,
            site_url=request.build_absolute_uri("/"),
            **form.cleaned_data,
        )
        if ok and result is not None:
            messages.success(request, f"An invitation has been sent to {result[0].email}.")
            return redirect(back)
    return render(request, "people/form_page.html", {"form": form, "title": "Invite someone", "back_url": back})


def _safe_next(request: HttpRequest) -> str | None:
    """Where the invitation was started from (an office hours booking, a take-part form), if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if target and ok else None


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation email: the invited person chooses a password (no sign-in needed)."""
    invitation = selectors.invitation_get_by_token(token=token)
    if invitation is None:
        return render(request, "people/invitation_invalid.html", status=404)
    if request.user.is_authenticated:
        return render(request, "people/invitation_signed_in.html", {"invitation": invitation})
    form = AcceptInvitationForm(posted(request), initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        ok, user = call_service(
            form,
            services.invitation_accept,
            token=token,
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password"],
        )
        if ok and user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {user.get_short_name()}. Your password is set and you are signed in.")
            return redirect("projects:project_list")
    return render(request, "people/invitation_accept.html", {"form": form, "invitation": invitation})


@login_required
@require_http_methods(["GET", "POST"])
def person_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    person = selectors.user_get(user_id=user_id)
    if not can_deactivate(request.user, person):
        raise PermissionDenied
    form = DeactivateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ok, _ = call_service(form, services.user_deactivate, actor=request.user, user=person, **form.cleaned_data)
        if ok:
            messages.success(request, f"{person.get_full_name()}'s account is deactivated. They can no longer sign in.")
            return redirect("people:person_list")
    return render(request, "people/person_deactivate.html", {"form": form, "person": person})


@login_required
@require_http_methods(["GET", "POST"])
def person_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    person = selectors.user_get(user_id=user_id)
    if not can_deactivate(request.user, person):
        raise PermissionDenied
    form = ConfirmForm(posted(request), button="Reactivate account")
    if request.method == "POST" and form.is_valid():
        ok, _ = call_service(form, services.user_reactivate, actor=request.user, user=person)
        if ok:
            messages.success(request, f"{person.get_full_name()} can sign in again.")
            return redirect("people:person_list")
    return render(request, "people/person_reactivate.html", {"form": form, "person": person})
