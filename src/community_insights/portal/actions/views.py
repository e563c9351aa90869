"""Thin views of the insights to actions area: the step's page, the meeting, invitations and the packet."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from community_insights.portal.actions import permissions, selectors, services
from community_insights.portal.actions.forms import AttendeeForm, MeetingForm, PacketForm
from community_insights.portal.core.notifications import absolute_link
from community_insights.portal.core.viewtools import acting, call_service, deny_unless, posted, submit_form

GET_POST = require_http_methods(["GET", "POST"])


@login_required
@require_GET
def project(request: HttpRequest, slug: str) -> HttpResponse:
    the_project = selectors.project_get(user=request.user, slug=slug)
    context = {
        "project": the_project,
        "meetings": selectors.meetings(project=the_project),
        "packet": selectors.packet_words(the_project),
        "can_host": permissions.can_host_actions(request.user, the_project),
    }
    return render(request, "actions/project.html", context)


def _form_page(request: HttpRequest, project: object, form: object, title: str, back: str) -> HttpResponse:
    return render(request, "actions/form_page.html", {"project": project, "form": form, "title": title, "back": back})


@login_required
@GET_POST
def meeting_plan(request: HttpRequest, slug: str) -> HttpResponse:
    the_project = selectors.project_get(user=request.user, slug=slug)
    deny_unless(permissions.can_host_actions(request.user, the_project))
    back = reverse("actions:project", args=[the_project.slug])
    form = MeetingForm(posted(request))
    if form.is_valid():
        ok, _ = call_service(
            form,
            services.meeting_plan,
            actor=request.user,
            project=the_project,
            **form.meeting(),
            error_fields={"ends_at": "end_time"},
        )
        if ok:
            messages.success(request, "The meeting is planned. Now invite the people who want to act.")
            return redirect(back)
    return _form_page(request, the_project, form, "Plan the insights to actions meeting", back)


@login_required
@GET_POST
def attendee_invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    deny_unless(permissions.can_host_actions(request.user, meeting.project))
    back = reverse("actions:project", args=[meeting.project.slug])
    form = AttendeeForm(posted(request))
    if form.is_valid():
        ok, _ = call_service(form, services.attendee_invite, **acting(request, meeting=meeting), **form.cleaned_data)
        if ok:
            messages.success(request, "The invitation is on its way, with a calendar file.")
            return redirect(back)
    return _form_page(request, meeting.project, form, "Invite someone to the meeting", back)


@login_required
@require_GET
def attendee_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """One attendee's invitation (.ics), for the host to send again by other means."""
    attendee = selectors.attendee_get(user=request.user, pk=pk)
    path = reverse("actions:project", args=[attendee.meeting.project.slug])
    url = absolute_link(path, request.build_absolute_uri("/"))
    response = HttpResponse(services.attendee_calendar(attendee, url=url), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="invite-{slugify(attendee.name)}.ics"'
    return response


@login_required
@GET_POST
def packet_edit(request: HttpRequest, slug: str) -> HttpResponse:
    the_project = selectors.project_get(user=request.user, slug=slug)
    deny_unless(permissions.can_host_actions(request.user, the_project))
    words = selectors.packet_words(the_project)
    initial = {"insight": words.insight, "caveats": words.caveats} if words else {"insight": the_project.summary}
    form = PacketForm(posted(request), initial=initial)
    then = reverse("actions:packet", args=[the_project.slug])
    done = submit_form(request, form, services.packet_save, "The packet is saved.", then, project=the_project)
    back = reverse("actions:project", args=[the_project.slug])
    return done or _form_page(request, the_project, form, "Write the packet", back)


@login_required
@require_GET
def packet(request: HttpRequest, slug: str) -> HttpResponse:
    the_project = selectors.project_get(user=request.user, slug=slug)
    document = selectors.packet(the_project)
    if document is None:
        raise Http404("The packet has not been written yet.")
    return render(request, "actions/packet.html", {"project": the_project, "doc": document})


@login_required
@require_GET
def packet_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    the_project = selectors.project_get(user=request.user, slug=slug)
    if selectors.packet_words(the_project) is None:
        raise Http404("The packet has not been written yet.")
    response = HttpResponse(
        services.packet_download(actor=request.user, project=the_project), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="insights-to-actions-{the_project.slug}.pdf"'
    return response
