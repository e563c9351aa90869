"""Changing and removing Phase 3's records: similar work, options and research sessions; each audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.solutions import services
from community_insights.portal.solutions.models import ParticipantConsent, ResearchSession, SimilarWork, SolutionOption
from tests.portal.access import World
from tests.portal.forms import assert_error_summary, post_as
from tests.portal.solutions.factories import in_phase_three, make_option, make_session

pytestmark = pytest.mark.django_db


def _work(world: World) -> SimilarWork:
    in_phase_three(world)
    return services.similar_work_add(
        actor=world.user("vcs_member_lead"), project=world.project, title="Index", organisation="A borough"
    )


def test_similar_work_is_changed_and_removed(world: World) -> None:
    work = _work(world)
    lead = world.user("vcs_member_lead")
    services.similar_work_edit(actor=lead, work=work, title="Risk index", organisation="A borough", reusable="Map")
    work.refresh_from_db()
    assert (work.title, work.reusable) == ("Risk index", "Map")
    with pytest.raises(NotPermitted):
        services.similar_work_remove(actor=world.user("information_rights"), work=work)
    services.similar_work_remove(actor=lead, work=work)
    assert not SimilarWork.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="solutions.similar_work").values_list("action", flat=True)
    )
    assert {"solutions.similar_work_edit", "solutions.similar_work_remove"} <= set(actions)


def test_an_option_is_changed_its_unneeded_estimates_dropped_and_the_chosen_one_kept(world: World) -> None:
    option = make_option(world, kinds=("infographic",))
    lead = world.user("delivery_lead")
    services.estimates_save(actor=lead, option=option, days={"visual_design": Decimal(2)})
    fields = {f: getattr(option, f) for f in ("title", "audience", "narrative", "action", "datasets_used")}
    services.option_edit(actor=lead, option=option, **{**fields, "title": "Ward chart"}, kinds=["statistical_claims"])
    option.refresh_from_db()
    assert option.title == "Ward chart" and not option.estimates.exists()
    services.option_choose(actor=lead, project=world.project, option=option, reasons="Only one.")
    with pytest.raises(ApplicationError, match="cannot be removed"):
        services.option_remove(actor=lead, option=option)
    other = make_option(world, title="Briefing")
    services.option_remove(actor=lead, option=other)
    assert list(SolutionOption.objects.values_list("title", flat=True)) == ["Ward chart"]


def test_removing_a_session_deletes_its_sealed_notes_and_consent(world: World) -> None:
    session = make_session(world)
    services.consent_record(actor=world.user("data_analyst"), session=session, given=[1, 2])
    with pytest.raises(NotPermitted):
        services.session_remove(actor=world.user("vcs_member_lead"), session=session)
    services.session_remove(actor=world.user("facilitator"), session=session)
    assert not ResearchSession.objects.exists() and not ParticipantConsent.objects.exists()
    assert AuditEntry.objects.filter(action="solutions.research_session_remove").exists()


def test_the_pages_change_and_remove(world: World) -> None:
    work = _work(world)
    client = Client()
    client.force_login(world.user("vcs_member_lead"))
    edit = reverse("solutions:similar_work_edit", args=[world.project.slug, work.pk])
    assert 'value="Index"' in client.get(edit).content.decode()
    assert_error_summary(
        post_as(world, "vcs_member_lead", edit, {"title": "", "organisation": "x"}), "Enter the title", "id_title"
    )
    response = client.post(reverse("solutions:similar_work_remove", args=[world.project.slug, work.pk]))
    assert response.status_code == 302 and not SimilarWork.objects.exists()


def test_the_option_edit_form_puts_a_missing_answer_in_the_error_summary(world: World) -> None:
    option = make_option(world)
    url = reverse("solutions:option_edit", args=[world.project.slug, option.pk])
    data = {"title": "t", "audience": "", "narrative": "n", "action": "a", "datasets_used": "d"}
    assert_error_summary(post_as(world, "vcs_member_lead", url, data), "Enter the audience", "id_audience")
