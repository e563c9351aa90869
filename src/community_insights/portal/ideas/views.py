"""Thin views: check permission, bind the form, call one service or selector, redirect or render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.viewtools import posted
from community_insights.portal.ideas import forms, guide, permissions, selectors, services, spam
from community_insights.portal.ideas.models import Idea, NewsPost, OfficeHourBooking

GET_POST = require_http_methods(["GET", "POST"])


def facilitator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in first, then the facilitator rule; others get 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not permissions.is_facilitator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _form_error(form: Form, error: ApplicationError) -> None:
    """Show a service's refusal in the form's GOV.UK error summary, on its field when it names one."""
    if isinstance(error, NotPermitted):
        raise PermissionDenied(error.message)
    field = error.extra.get("field")
    form.add_error(field if field in form.fields else None, error.message)


# --------------------------------------------------------------------------- news (public)


@require_GET
def news_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ideas/news_list.html", {"posts": selectors.news_post_list()})


@require_GET
def news_detail(request: HttpRequest, slug: str) -> HttpResponse:
    post = selectors.news_post_get_for_user(user=request.user, slug=slug)
    return render(request, "ideas/news_detail.html", {"post": post})


class NewsFeed(Feed):
    """The programme's news as an Atom feed, for newsletters and feed readers."""

    feed_type = Atom1Feed
    title = "Community Insights news"
    subtitle = "Updates about the Community Insights programme: office hours, ideas and selected projects."
    description = subtitle

    def link(self) -> str:
        return reverse("ideas:news_list")

    def items(self) -> Any:
        return selectors.news_post_list()[:50]

    def item_title(self, item: NewsPost) -> str:
        return item.title

    def item_description(self, item: NewsPost) -> str:
        return item.summary

    def item_link(self, item: NewsPost) -> str:
        return reverse("ideas:news_detail", args=[item.slug])

    def item_pubdate(self, item: NewsPost) -> Any:
        return item.published_at

    def item_updateddate(self, item: NewsPost) -> Any:
        return item.updated_at

    def item_author_name(self, item: NewsPost) -> str:
        return item.author.get_full_name() if item.author else "Community Insights"


news_feed = NewsFeed()


# --------------------------------------------------------------------------- take part (public)


@GET_POST
def interest(request: HttpRequest) -> HttpResponse:
    form = forms.InterestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_spam:
            return redirect("ideas:interest_thanks")  # say nothing to a robot
        if spam.over_rate_limit(request, forms.InterestForm.FORM_NAME):
            form.add_error(None, "You have sent this form several times in the last hour. Try again later.")
        else:
            spam.count_submission(request, forms.InterestForm.FORM_NAME)
            services.lead_create(
                name=form.cleaned_data["name"],
                organisation_name=form.cleaned_data["organisation_name"],
                email=form.cleaned_data["email"],
                interest=form.cleaned_data["interest"],
                wants_office_hours=form.cleaned_data["wants_office_hours"],
                base_url=_base_url(request),
            )
            return redirect("ideas:interest_thanks")
    if form.is_bound:
        form.fresh_token()
    return render(request, "ideas/interest.html", {"form": form})


@require_GET
def interest_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "ideas/interest_thanks.html")


# --------------------------------------------------------------------------- office hours (public)


@require_GET
def office_hours(request: HttpRequest) -> HttpResponse:
    return render(request, "ideas/office_hours.html", {"slots": selectors.slot_list_open()})


@GET_POST
def booking_create(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = selectors.slot_get_open(slot_id=slot_id)
    form = forms.BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_spam:
            return redirect("ideas:booking_done")
        if spam.over_rate_limit(request, forms.BookingForm.FORM_NAME):
            form.add_error(None, "You have made several bookings in the last hour. Try again later.")
        else:
            try:
                services.booking_create(
                    slot_id=slot.pk,
                    name=form.cleaned_data["name"],
                    organisation_name=form.cleaned_data["organisation_name"],
                    email=form.cleaned_data["email"],
                    idea=form.cleaned_data["idea"],
                    base_url=_base_url(request),
                )
            except ApplicationError as error:
                _form_error(form, error)
            else:
                spam.count_submission(request, forms.BookingForm.FORM_NAME)
                return redirect("ideas:booking_done")
    if form.is_bound:
        form.fresh_token()
    return render(request, "ideas/booking_form.html", {"form": form, "slot": slot})


@require_GET
def booking_done(request: HttpRequest) -> HttpResponse:
    return render(request, "ideas/booking_done.html")


@GET_POST
def booking_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the emails: anyone holding it may cancel (it is the booking's secret)."""
    booking = selectors.booking_get_by_token(token=token)
    form = forms.ConfirmForm(posted(request), button="Cancel this booking", warning=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_cancel(
                actor=request.user, booking=booking, by_facilitator=False, base_url=_base_url(request)
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            return render(request, "ideas/booking_cancelled.html", {"booking": booking})
    return render(request, "ideas/booking_cancel.html", {"booking": booking, "form": form})


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    return render(
        request,
        "ideas/catalogue.html",
        {"query": query, "datasets": guide.search_public_datasets(query), "total": len(guide.public_datasets())},
    )


# --------------------------------------------------------------------------- facilitator


@facilitator_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ideas/manage.html",
        {
            "new_leads": selectors.lead_list().filter(status="new").count(),
            "upcoming": selectors.booking_list()
            .filter(status=OfficeHourBooking.Status.BOOKED, slot__starts_at__gte=timezone.now())
            .count(),
            "submitted": Idea.objects.filter(status=Idea.Status.SUBMITTED).count(),
        },
    )


@facilitator_required
@require_GET
def news_manage(request: HttpRequest) -> HttpResponse:
    return render(request, "ideas/news_manage.html", {"posts": selectors.news_post_list(published_only=False)})


@facilitator_required
@GET_POST
def news_create(request: HttpRequest) -> HttpResponse:
    form = forms.NewsPostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        post = services.news_post_create(actor=request.user, **form.cleaned_data)
        messages.success(request, "News post published." if post.is_published else "Draft saved.")
        return redirect("ideas:news_manage")
    return render(request, "ideas/form_page.html", {"form": form, "title": "Write a news post"})


@facilitator_required
@GET_POST
def news_edit(request: HttpRequest, slug: str) -> HttpResponse:
    post = selectors.news_post_get_for_user(user=request.user, slug=slug)
    initial = {"title": post.title, "summary": post.summary, "body": post.body, "publish": post.is_published}
    form = forms.NewsPostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.news_post_update(actor=request.user, post=post, **form.cleaned_data)
        messages.success(request, "News post saved.")
        return redirect("ideas:news_manage")
    return render(request, "ideas/form_page.html", {"form": form, "title": f"Edit: {post.title}"})


@facilitator_required
@require_GET
def lead_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ideas/lead_list.html", {"leads": selectors.lead_list()})


@facilitator_required
@GET_POST
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = selectors.lead_get(lead_id=pk)
    form = forms.LeadUpdateForm(request.POST or None, initial={"status": lead.status, "notes": lead.notes})
    if request.method == "POST" and form.is_valid():
        services.lead_update(actor=request.user, lead=lead, **form.cleaned_data)
        messages.success(request, "Lead updated.")
        return redirect("ideas:lead_list")
    return render(request, "ideas/lead_detail.html", {"lead": lead, "form": form})


@facilitator_required
@require_GET
def office_hours_manage(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ideas/office_hours_manage.html",
        {"slots": selectors.slot_list_for_facilitator(), "bookings": selectors.booking_list()[:200]},
    )


@facilitator_required
@GET_POST
def slot_create(request: HttpRequest) -> HttpResponse:
    form = forms.SlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.slot_create(
                actor=request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                mode=data["mode"],
                location=data["location"],
            )
        except ApplicationError as error:
            if error.extra.get("field") == "ends_at":
                error.extra["field"] = "end_time"
            if error.extra.get("field") == "starts_at":
                error.extra["field"] = "date"
            _form_error(form, error)
        else:
            messages.success(request, "Office hours time published.")
            return redirect("ideas:office_hours_manage")
    return render(request, "ideas/form_page.html", {"form": form, "title": "Offer an office hours time"})


@facilitator_required
@require_POST
def slot_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    slot = selectors.slot_get(slot_id=pk)
    try:
        services.slot_withdraw(actor=request.user, slot=slot, base_url=_base_url(request))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The time has been withdrawn.")
    return redirect("ideas:office_hours_manage")


@facilitator_required
@GET_POST
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_get(booking_id=pk)
    form = forms.BookingNotesForm(request.POST or None, initial={"notes": booking.notes})
    if request.method == "POST" and form.is_valid():
        services.booking_update_notes(actor=request.user, booking=booking, notes=form.cleaned_data["notes"])
        messages.success(request, "Notes saved.")
        return redirect("ideas:booking_detail", pk=booking.pk)
    return render(request, "ideas/booking_detail.html", {"booking": booking, "form": form})


@facilitator_required
@require_POST
def booking_facilitator_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_get(booking_id=pk)
    try:
        services.booking_cancel(actor=request.user, booking=booking, by_facilitator=True, base_url=_base_url(request))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The booking has been cancelled and both of you have been emailed.")
    return redirect("ideas:booking_detail", pk=booking.pk)


# --------------------------------------------------------------------------- ideas


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
    form = forms.IdeaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_submit(actor=request.user, base_url=_base_url(request), **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
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
    if not permissions.can_shape_idea(request.user):
        raise PermissionDenied
    form = forms.IdeaShapeForm(request.POST or None, initial={"title": idea.title, "question": idea.question})
    if request.method == "POST" and form.is_valid():
        services.idea_shape(actor=request.user, idea=idea, **form.cleaned_data)
        messages.success(request, "Question saved.")
        return redirect("ideas:idea_detail", pk=idea.pk)
    return render(request, "ideas/idea_shape.html", {"form": form, "idea": idea})


@login_required
@GET_POST
def idea_status(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.idea_get_for_user(user=request.user, idea_id=pk)
    if not permissions.can_change_idea_status(request.user):
        raise PermissionDenied
    choices = [(s, Idea.Status(s).label) for s in services.STATUS_MOVES.get(idea.status, ())]
    form = forms.IdeaStatusForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_change_status(
                actor=request.user,
                idea=idea,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                base_url=_base_url(request),
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, f"The idea is now {idea.get_status_display().lower()}. The proposer has been emailed."
            )
            return redirect("ideas:idea_detail", pk=idea.pk)
    return render(request, "ideas/idea_status.html", {"form": form, "idea": idea, "choices": choices})


# --------------------------------------------------------------------------- scoping sessions


@login_required
@GET_POST
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.idea_get_for_user(user=request.user, idea_id=pk)
    if not permissions.can_plan_scoping(request.user):
        raise PermissionDenied
    form = forms.ScopingSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.scoping_session_create(
                actor=request.user,
                idea=idea,
                starts_at=form.cleaned_data["starts_at"],
                location=form.cleaned_data["location"],
                base_url=_base_url(request),
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Scoping session planned. Now add the people who will take part.")
            return redirect("ideas:session_detail", pk=session.pk)
    return render(request, "ideas/session_form.html", {"form": form, "idea": idea})


def _session_context(request: HttpRequest, session: Any) -> dict[str, Any]:
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
    from django.urls import NoReverseMatch

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
    from community_insights.portal.people.models import User

    session = selectors.session_get_for_user(user=request.user, session_id=pk)
    if not permissions.can_plan_scoping(request.user):
        raise PermissionDenied
    users = User.objects.filter(is_active=True).select_related("organisation").order_by("full_name", "email")
    form = forms.AttendeeForm(request.POST or None, users=users)
    if request.method == "POST" and form.is_valid():
        try:
            services.scoping_attendee_add(
                actor=request.user,
                session=session,
                role=form.cleaned_data["role"],
                user=form.cleaned_data["user"],
                name=form.cleaned_data["name"],
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Added to the session.")
            return redirect("ideas:session_detail", pk=session.pk)
    return render(request, "ideas/attendee_form.html", {"form": form, "session": session})


@login_required
@require_POST
def attendee_remove(request: HttpRequest, pk: int, attendee_id: int) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, session_id=pk)
    if not permissions.can_plan_scoping(request.user):
        raise PermissionDenied
    attendee = session.attendees.filter(pk=attendee_id).first()
    if attendee is not None:
        services.scoping_attendee_remove(actor=request.user, attendee=attendee)
        messages.success(request, "Removed from the session.")
    return redirect("ideas:session_detail", pk=session.pk)


@login_required
@GET_POST
def agenda_note(request: HttpRequest, pk: int, item_key: str) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, session_id=pk)
    if not permissions.can_take_scoping_notes(request.user, session):
        raise PermissionDenied
    try:
        item = guide.agenda_item(item_key)
    except KeyError:
        from django.http import Http404

        raise Http404("No such agenda item.") from None
    existing = session.agenda_notes.filter(item_key=item_key).first()
    initial = {"notes": existing.notes if existing else "", "is_done": existing.is_done if existing else False}
    form = forms.AgendaNoteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.agenda_note_save(actor=request.user, session=session, item_key=item_key, **form.cleaned_data)
        messages.success(request, f"Notes saved: {item.title}")
        return redirect(reverse("ideas:session_detail", args=[session.pk]) + f"#agenda-{item_key}")
    return render(request, "ideas/agenda_note_form.html", {"form": form, "session": session, "item": item})


@login_required
@GET_POST
def data_need_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, session_id=pk)
    if not permissions.can_take_scoping_notes(request.user, session):
        raise PermissionDenied
    initial = {}
    if request.GET.get("catalogue") and guide.public_dataset(request.GET["catalogue"]):
        entry = guide.public_dataset(request.GET["catalogue"])
        assert entry is not None
        initial = {"source_category": "public", "catalogue_key": entry.key, "description": entry.name}
    form = forms.DataNeedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.data_need_add(actor=request.user, session=session, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Data source added.")
            return redirect(reverse("ideas:session_detail", args=[session.pk]) + "#data-we-might-need")
    return render(request, "ideas/data_need_form.html", {"form": form, "session": session})


@login_required
@require_POST
def data_need_remove(request: HttpRequest, pk: int, need_id: int) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, session_id=pk)
    if not permissions.can_take_scoping_notes(request.user, session):
        raise PermissionDenied
    need = session.data_needs.filter(pk=need_id).first()
    if need is not None:
        services.data_need_remove(actor=request.user, need=need)
        messages.success(request, "Data source removed.")
    return redirect(reverse("ideas:session_detail", args=[session.pk]) + "#data-we-might-need")
