"""The public landing pages (each programme's own), the programme switcher and the staff pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community_insights.portal.core.viewtools import call_service, deny_unless, posted, submit_form
from community_insights.portal.programme import current, selectors, services
from community_insights.portal.programme import landing as landing_sections
from community_insights.portal.programme.forms import BrandingForm, MemberAddForm, ProgrammeCreateForm, ProgrammeForm
from community_insights.portal.programme.models import Programme
from community_insights.portal.programme.permissions import can_create_programme, can_edit_programme


def _render_landing(request: HttpRequest, programme: Programme) -> HttpResponse:
    with current.using(programme):
        context = selectors.landing_page_context()
        context["sections"] = landing_sections.render_sections(request, context)
        context["can_edit"] = can_edit_programme(request.user)
        request.programme = programme  # type: ignore[attr-defined]  # the header shows this programme's branding
        return render(request, "programme/landing.html", context)


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    """``/``: the current programme's page; a visitor to an installation of several sees the list."""
    if (
        not request.user.is_authenticated
        and not current.served_by_domain(request)
        and selectors.programme_list().count() > 1
    ):
        return programme_list(request)
    return _render_landing(request, selectors.programme_get())


@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "programme/programme_list.html", {"programmes": selectors.programme_list()})


@require_GET
def programme_landing(request: HttpRequest, slug: str) -> HttpResponse:
    """A programme's own page, at its own path: public, like the single landing page always was."""
    return _render_landing(request, selectors.programme_get_by_slug(slug))


@require_GET
def programme_logo(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme's logo: the PNG the service re-drew, never the bytes that were uploaded."""
    programme = selectors.programme_get_by_slug(slug)
    if not programme.logo_type:
        raise Http404("No logo.")
    response = HttpResponse(bytes(programme.logo), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_required
@require_POST
def programme_switch(request: HttpRequest) -> HttpResponse:
    """Work in another of one's programmes: kept in the session until switched again."""
    programme = Programme.objects.filter(slug=request.POST.get("programme", "")).first()
    if programme is None or not current.choose(request, programme):
        raise Http404("No such programme.")
    current.switched(request, programme)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("programme:landing")


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest) -> HttpResponse:
    if not can_edit_programme(request.user):
        raise PermissionDenied
    programme = selectors.programme_get()
    form = ProgrammeForm(posted(request), initial={f: getattr(programme, f) for f in services.EDITABLE})
    if request.method == "POST" and form.is_valid():
        ok, _ = call_service(form, services.programme_update, actor=request.user, **form.cleaned_data)
        if ok:
            messages.success(request, "The landing page has been updated.")
            return redirect("programme:landing")
    return render(request, "programme/programme_edit.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    deny_unless(can_create_programme(request.user))
    form = ProgrammeCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ok, programme = call_service(form, services.programme_create, actor=request.user, **form.cleaned_data)
        if ok and programme is not None:
            current.choose(request, programme)
            messages.success(request, f"{programme.name} is set up, and you are now working in it.")
            return redirect("programme:landing")
    return render(request, "form_page.html", {"form": form, "title": "Set up a programme"})


@login_required
@require_http_methods(["GET", "POST"])
def branding_edit(request: HttpRequest) -> HttpResponse:
    deny_unless(can_edit_programme(request.user))
    programme = selectors.programme_get()
    form = BrandingForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        initial={"council_name": programme.council_name, "brand_colour": programme.brand_colour},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.pop("logo")
        ok, _ = call_service(
            form,
            services.programme_branding_update,
            actor=request.user,
            logo=upload.read() if upload else None,
            **form.cleaned_data,
        )
        if ok:
            messages.success(request, "The programme's branding has been updated.")
            return redirect("programme:landing")
    return render(request, "programme/branding_edit.html", {"form": form, "title": "Change the programme's branding"})


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest) -> HttpResponse:
    deny_unless(can_edit_programme(request.user))
    form = MemberAddForm(posted(request))
    done = submit_form(request, form, services.programme_member_add, "They have been added.", "programme:landing")
    return done or render(request, "form_page.html", {"form": form, "title": "Add someone to the programme"})
