"""The one view idiom: ``call_service`` puts a service's refusal where the person will see it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django import forms
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core.exceptions import ApplicationError
from community_insights.portal.core.viewtools import call_service, call_service_with_message
from community_insights.portal.datasets.engine import EngineError
from community_insights.portal.ideas import services
from tests.portal.ideas.factories import make_slot


class _TimesForm(forms.Form):
    """A form that names the end time differently from the service, as the office hours form does."""

    date = forms.CharField(required=False)
    end_time = forms.CharField(required=False)
    ends_at = forms.CharField(required=False)


def _slot_times(hours_from_now: int, minutes: int) -> dict[str, object]:
    start = timezone.now() + timedelta(hours=hours_from_now)
    return {"starts_at": start, "ends_at": start + timedelta(minutes=minutes), "mode": "online", "location": "x"}


def _bound() -> _TimesForm:
    form = _TimesForm({})
    assert form.is_valid()
    return form


@pytest.mark.django_db
def test_an_error_naming_a_field_goes_on_that_field(world) -> None:
    form = _bound()
    ok, slot = call_service(form, services.slot_create, actor=world.user("facilitator"), **_slot_times(24, -30))
    assert (ok, slot) == (False, None)
    assert form.errors == {"ends_at": ["The end time must be after the start time."]}


def _create_slot(world, form: _TimesForm, error_fields: dict[str, str], **times: object) -> bool:
    ok, _ = call_service(
        form, services.slot_create, error_fields=error_fields, actor=world.user("facilitator"), **times
    )
    return ok


@pytest.mark.django_db
def test_error_fields_maps_the_services_name_to_the_forms(world) -> None:
    form = _bound()
    assert not _create_slot(world, form, {"ends_at": "end_time", "starts_at": "date"}, **_slot_times(-24, 30))
    assert form.errors == {"date": ["The start time must be in the future."]}


@pytest.mark.django_db
def test_a_field_the_form_lacks_goes_to_the_top_of_the_summary(world) -> None:
    form = _bound()
    assert not _create_slot(world, form, {"ends_at": "no_such_field"}, **_slot_times(24, -30))
    assert form.non_field_errors() == ["The end time must be after the start time."]


@pytest.mark.django_db
def test_success_returns_the_services_result_and_not_permitted_is_a_403(world) -> None:
    ok, slot = call_service(_bound(), services.slot_create, actor=world.user("facilitator"), **_slot_times(24, 30))
    assert ok and slot is not None and slot.pk
    with pytest.raises(PermissionDenied):
        call_service(_bound(), services.slot_create, actor=world.user("vcs_member_lead"), **_slot_times(24, 30))


def test_the_older_extra_spelling_still_names_the_field() -> None:
    assert ApplicationError("x", extra={"field": "status"}).field == "status"
    assert ApplicationError("x", field="reason").field == "reason"
    assert ApplicationError("x").field is None


@pytest.mark.django_db
def test_a_refused_one_click_action_is_shown_as_a_message(world) -> None:
    client = Client()
    client.force_login(world.user("facilitator"))
    slot = make_slot(world)
    url = reverse("ideas:slot_withdraw", args=[slot.pk])
    first = client.post(url, follow=True).content.decode()
    assert "The time has been withdrawn." in first
    again = client.post(url, follow=True).content.decode()
    assert "This time has already been withdrawn." in again


@pytest.mark.django_db
def test_a_remove_button_clicked_twice_removes_once(world) -> None:
    from community_insights.portal.core.models import AuditEntry
    from tests.portal.ideas.factories import make_session

    session = make_session(world)
    attendee = session.attendees.get(role="proposer")
    client = Client()
    client.force_login(world.user("facilitator"))
    url = reverse("ideas:attendee_remove", args=[session.pk, attendee.pk])
    first = client.post(url, follow=True).content.decode()
    assert "Removed from the session." in first
    again = client.post(url, follow=True)
    assert again.status_code == 200 and "Removed from the session." not in again.content.decode()
    assert AuditEntry.objects.filter(action="ideas.scoping_attendee_remove").count() == 1
    assert not session.attendees.filter(pk=attendee.pk).exists()


def _engine_refuses(**_: object) -> None:
    raise EngineError("The plan names a column the file does not have.")


def _request_with_messages() -> object:
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def test_a_named_other_refusal_is_shown_as_a_message_and_others_still_raise() -> None:
    from django.contrib.messages import get_messages

    request = _request_with_messages()
    assert not call_service_with_message(request, _engine_refuses, success="Done.", also_refused=(EngineError,))
    assert [str(m) for m in get_messages(request)] == ["The plan names a column the file does not have."]
    with pytest.raises(EngineError):
        call_service_with_message(_request_with_messages(), _engine_refuses, success="Done.")
