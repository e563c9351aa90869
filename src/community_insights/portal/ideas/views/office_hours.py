"""Phase 1, Step 3 of the guide, "Office hours": the times on offer, booking and cancelling without an
account, and the facilitator's pages for offering times and keeping notes of each conversation."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from community_insights.portal.core.viewtools import (
    acting,
    call_service,
    call_service_with_message,
    posted,
    submit_form,
)
from community_insights.portal.ideas import forms, selectors, services
from community_insights.portal.ideas.views.common import GET_POST, facilitator_required, public_form

# The slot form asks for a date and two times; the service speaks of when it starts and ends.
SLOT_ERROR_FIELDS = {"starts_at": "date", "ends_at": "end_time"}

# --------------------------------------------------------------------------- public


@require_GET
def office_hours(request: HttpRequest) -> HttpResponse:
    return render(request, "ideas/office_hours.html", {"slots": selectors.slot_list_open()})


@GET_POST
def booking_create(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = selectors.slot_get_open(slot_id=slot_id)
    return public_form(
        request,
        forms.BookingForm(posted(request)),
        services.booking_create,
        done=reverse("ideas:booking_done"),
        template="ideas/booking_form.html",
        context={"slot": slot},
        slot_id=slot.pk,
    )


@require_GET
def booking_done(request: HttpRequest) -> HttpResponse:
    return render(request, "ideas/booking_done.html")


@GET_POST
def booking_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the emails: anyone holding it may cancel (it is the booking's secret)."""
    booking = selectors.booking_get_by_token(token=token)
    form = forms.ConfirmForm(posted(request), button="Cancel this booking", warning=True)
    if form.is_valid():
        ok, _ = call_service(form, services.booking_cancel, **acting(request, booking=booking), by_facilitator=False)
        if ok:
            return render(request, "ideas/booking_cancelled.html", {"booking": booking})
    return render(request, "ideas/booking_cancel.html", {"booking": booking, "form": form})


# --------------------------------------------------------------------------- facilitator


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
    form = forms.SlotForm(posted(request))
    if form.is_valid():
        slot = {key: form.cleaned_data[key] for key in ("starts_at", "ends_at", "mode", "location")}
        ok, _ = call_service(form, services.slot_create, error_fields=SLOT_ERROR_FIELDS, actor=request.user, **slot)
        if ok:
            messages.success(request, "Office hours time published.")
            return redirect("ideas:office_hours_manage")
    return render(request, "form_page.html", {"form": form, "title": "Offer an office hours time"})


@facilitator_required
@require_POST
def slot_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    slot = selectors.slot_get(slot_id=pk)
    done = "The time has been withdrawn."
    call_service_with_message(request, services.slot_withdraw, success=done, **acting(request, slot=slot))
    return redirect("ideas:office_hours_manage")


@facilitator_required
@GET_POST
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_get(booking_id=pk)
    form = forms.BookingNotesForm(posted(request), initial={"notes": booking.notes})
    then = reverse("ideas:booking_detail", args=[booking.pk])
    done = submit_form(request, form, services.booking_update_notes, "Notes saved.", then, booking=booking)
    return done or render(request, "ideas/booking_detail.html", {"booking": booking, "form": form})


@facilitator_required
@require_POST
def booking_facilitator_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_get(booking_id=pk)
    done = "The booking has been cancelled and both of you have been emailed."
    kwargs = acting(request, booking=booking, by_facilitator=True)
    call_service_with_message(request, services.booking_cancel, success=done, **kwargs)
    return redirect("ideas:booking_detail", pk=booking.pk)
