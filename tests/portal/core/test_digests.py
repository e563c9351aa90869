"""Digests: each person chooses, per kind of email, straight away or a daily or weekly digest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core import digests
from community_insights.portal.core.exceptions import ApplicationError
from community_insights.portal.core.models import AuditEntry, Digest, HeldNotification
from community_insights.portal.core.notification_kinds import KINDS, kind_of
from community_insights.portal.core.tasks import send_digests_task
from community_insights.portal.ideas import services as ideas_services
from community_insights.portal.projects import services as project_services
from tests.portal.access import World

pytestmark = pytest.mark.django_db


def _move_on(world: World, capture) -> None:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        project_services.project_advance_phase(
            actor=world.user("delivery_lead"), project=world.project, confirm_incomplete=True
        )


def _to(person: object) -> list[object]:
    return [m for m in mail.outbox if m.to == [getattr(person, "email", "")]]


def test_every_kind_names_only_templates_the_portal_has() -> None:
    from django.template.loader import get_template

    for kind in KINDS:
        for template in kind.templates:
            get_template(f"{template}.txt")
            assert kind_of(template) == kind.key
    assert kind_of("people/email/invitation") is None, "an invitation to join always goes at once"


def test_a_digest_kind_is_held_and_the_other_kinds_and_people_still_go_at_once(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    facilitator, analyst = world.user("facilitator"), world.user("data_analyst")
    digests.preferences_save(actor=facilitator, project_changes="daily")
    _move_on(world, django_capture_on_commit_callbacks)
    assert not _to(facilitator), "the facilitator gets project changes in a daily digest"
    assert len(_to(analyst)) == 1 and "moved to phase 2" in _to(analyst)[0].subject, "others still at once"
    held = HeldNotification.objects.get(user=facilitator)
    assert held.kind == "project_changes" and held.digest is None
    project_page = reverse("projects:project_detail", kwargs={"slug": world.project.slug})
    assert held.link.endswith(f"{project_page}?programme={world.project.programme.slug}"), "it opens in its programme"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ideas_services.idea_submit(
            actor=world.user("vcs_member_lead"),
            title="Lunch clubs",
            problem="Older people eat alone.",
            who_is_affected="Older people",
            decision_informed="Where to fund lunch clubs",
        )
    assert any("New idea: Lunch clubs" in m.subject for m in _to(facilitator)), "another kind: still at once"


def test_one_daily_email_per_person_lists_what_changed_with_links_and_is_sent_once(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    facilitator, analyst = world.user("facilitator"), world.user("data_analyst")
    digests.preferences_save(actor=facilitator, project_changes="daily")
    digests.preferences_save(actor=analyst, project_changes="weekly")
    _move_on(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        project_services.project_loop_back(
            actor=world.user("delivery_lead"), project=world.project, reason="The data was not there."
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.digests_send(frequency="daily") == 1
    assert len(mail.outbox) == 1, "one email for the one person with a daily digest"
    email = mail.outbox[0]
    assert email.to == [facilitator.email] and email.subject == "Community Insights: your daily digest of 2 changes"
    link = reverse("projects:project_detail", kwargs={"slug": world.project.slug})
    assert "Changes to projects you work on" in email.body
    assert "Food insecurity in Northmoor has moved to phase 2" in email.body
    assert "Food insecurity in Northmoor has gone back to phase 1" in email.body
    assert email.body.count(link) == 2 and reverse("core:notification_preferences") in email.body
    assert not HeldNotification.objects.filter(user=facilitator, digest__isnull=True).exists()
    entry = AuditEntry.objects.get(action="core.digest_send")
    assert entry.changes["items"] == 2 and entry.actor_label == digests.DIGEST_ACTOR
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.digests_send(frequency="daily") == 0, "running twice sends nothing twice"
        assert digests.digests_send(frequency="weekly") == 1
    assert [m.to for m in mail.outbox[1:]] == [[analyst.email]]
    assert "weekly digest of 2 changes" in mail.outbox[1].subject and "moved to phase 2" in mail.outbox[1].body
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.digests_send(frequency="weekly") == 0
    assert len(mail.outbox) == 2


def test_one_digest_per_period_what_comes_later_waits_for_the_next(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    facilitator = world.user("facilitator")
    digests.preferences_save(actor=facilitator, project_changes="daily")
    _move_on(world, django_capture_on_commit_callbacks)
    now = timezone.now()
    assert digests.digests_send(frequency="daily", now=now) == 1
    with django_capture_on_commit_callbacks(execute=True):
        project_services.project_loop_back(actor=world.user("delivery_lead"), project=world.project, reason="Again.")
    assert digests.digests_send(frequency="daily", now=now) == 0, "the day's digest has gone"
    assert HeldNotification.objects.filter(user=facilitator, digest__isnull=True).count() == 1
    assert digests.digests_send(frequency="daily", now=now + dt.timedelta(days=1)) == 1
    assert Digest.objects.filter(user=facilitator).count() == 2


def test_no_email_when_nothing_changed(world: World, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    digests.preferences_save(actor=world.user("facilitator"), project_changes="daily", decisions="weekly")
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.digests_send(frequency="daily") == 0
        assert digests.digests_send(frequency="weekly") == 0
    assert mail.outbox == [] and not Digest.objects.exists()


def test_going_back_to_straight_away_still_delivers_what_was_held(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    facilitator = world.user("facilitator")
    digests.preferences_save(actor=facilitator, project_changes="weekly")
    _move_on(world, django_capture_on_commit_callbacks)
    digests.preferences_save(actor=facilitator, project_changes="immediate")
    assert digests.digests_send(frequency="weekly") == 0
    assert digests.digests_send(frequency="daily") == 1


def test_preferences_are_checked_and_audited(world: World) -> None:
    analyst = world.user("data_analyst")
    with pytest.raises(ApplicationError):
        digests.preferences_save(actor=analyst, project_changes="hourly")
    with pytest.raises(ApplicationError):
        digests.preferences_save(actor=analyst, no_such_kind="daily")
    digests.preferences_save(actor=analyst, project_changes="weekly", decisions="immediate")
    entry = AuditEntry.objects.get(action="core.notification_preferences_change")
    assert entry.changes == {"project_changes": "weekly"}, "only what changed"
    assert digests.preferences_of(user=analyst)["project_changes"] == "weekly"


def test_the_preferences_page_is_linked_from_the_account_and_saves(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client: Client = client_for("information_rights")
    account = client.get(reverse("people:account")).content.decode()
    url = reverse("core:notification_preferences")
    assert url in account
    page = client.get(url).content.decode()
    assert 'type="radio"' in page and "Things waiting for your decision" in page and "govuk-radios" in page
    choices = {kind.key: "immediate" for kind in KINDS} | {"waiting_for_you": "daily"}
    response = client.post(url, choices)
    assert response.status_code == 302 and response["Location"] == reverse("people:account")
    assert digests.preferences_of(user=world.user("information_rights"))["waiting_for_you"] == "daily"
    missing = client.post(url, {}).content.decode()
    assert "govuk-error-summary" in missing and "Choose how you get emails about" in missing


def test_the_command_and_the_task_send_the_digests(world: World, django_capture_on_commit_callbacks, capsys) -> None:  # type: ignore[no-untyped-def]
    digests.preferences_save(actor=world.user("facilitator"), project_changes="daily")
    digests.preferences_save(actor=world.user("data_analyst"), project_changes="weekly")
    _move_on(world, django_capture_on_commit_callbacks)
    call_command("send_digests", "daily")
    call_command("send_digests", "daily")
    assert capsys.readouterr().out.splitlines() == ["Sent 1 daily digest.", "Sent 0 daily digests."]
    assert send_digests_task.enqueue("weekly").return_value == 1
    assert Digest.objects.filter(frequency="weekly", user=world.user("data_analyst")).count() == 1


def test_a_change_rolled_back_holds_nothing(world: World) -> None:
    from django.db import transaction

    digests.preferences_save(actor=world.user("facilitator"), project_changes="daily")
    with pytest.raises(RuntimeError), transaction.atomic():
        project_services.project_advance_phase(
            actor=world.user("delivery_lead"), project=world.project, confirm_incomplete=True
        )
        raise RuntimeError("the change fails after the notification was queued")
    assert not HeldNotification.objects.exists()
