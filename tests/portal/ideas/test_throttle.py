"""The public forms' hourly limit is counted by the services, inside their transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community_insights.portal.core.exceptions import ApplicationError
from community_insights.portal.ideas import services, spam
from community_insights.portal.ideas.models import InterestLead, SubmissionThrottle
from tests.portal.ideas.factories import make_booking, make_slot

SENDER = "a" * 64


def _lead(sender: str | None = SENDER) -> InterestLead:
    return services.lead_create(
        name="A", organisation_name="B", email="a@example.org", interest="c", wants_office_hours=False, sender=sender
    )


def _book(slot_id: int) -> object:
    return services.booking_create(
        slot_id=slot_id, name="A", organisation_name="B", email="a@example.org", idea="c", sender=SENDER
    )


@pytest.mark.django_db
def test_lead_create_counts_the_sender_and_refuses_over_the_limit() -> None:
    for _ in range(spam.RATE_LIMIT_PER_HOUR):
        _lead()
    assert spam.submissions_in_last_hour(form_name=spam.INTEREST_FORM, sender=SENDER) == spam.RATE_LIMIT_PER_HOUR
    with pytest.raises(ApplicationError, match="several times in the last hour"):
        _lead()
    assert InterestLead.objects.count() == spam.RATE_LIMIT_PER_HOUR
    # Another sender, and callers with no sender (demo data), are not held back.
    _lead(sender="b" * 64)
    _lead(sender=None)
    assert InterestLead.objects.count() == spam.RATE_LIMIT_PER_HOUR + 2


@pytest.mark.django_db
def test_a_refused_booking_is_not_counted(world) -> None:
    taken = make_booking(world).slot
    with pytest.raises(ApplicationError, match="just booked"):
        _book(taken.pk)
    assert not SubmissionThrottle.objects.filter(client_hash=SENDER).exists()
    _book(make_slot(world).pk)
    assert SubmissionThrottle.objects.filter(client_hash=SENDER, form=spam.BOOKING_FORM).count() == 1


@pytest.mark.django_db
def test_counts_older_than_a_day_are_forgotten() -> None:
    old = SubmissionThrottle.objects.create(form=spam.INTEREST_FORM, client_hash=SENDER)
    SubmissionThrottle.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=2))
    _lead()
    assert list(SubmissionThrottle.objects.values_list("at", flat=True).filter(pk=old.pk)) == []
