"""Proposing, reading and publishing a change to the guide; the loader reading the published version."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from community_insights.portal import guide
from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.guide import schema, selectors, services
from community_insights.portal.guide.models import GuideVersion
from community_insights.portal.programme.current import current_programme
from community_insights.portal.programme.models import Programme, ProgrammeMembership
from community_insights.portal.programme.selectors import principles
from community_insights.portal.projects import phases
from community_insights.portal.projects.services import project_create
from community_insights.portal.reflections.models import RetroCard
from tests.portal.access import World

pytestmark = pytest.mark.django_db

NEW_TITLE = "Purpose around a shared goal"


def _principles_text(title: str = NEW_TITLE) -> str:
    content = copy.deepcopy(selectors.published_version().content)  # type: ignore[union-attr]
    content["principles"]["principles"][0]["title"] = title
    return selectors.section_text(content, "principles")


def _propose(world: World, **extra: Any) -> GuideVersion:
    return services.guide_change_propose(
        actor=world.user("staff"),
        section="principles",
        text=_principles_text(),
        change_note="Say shared, as teams do.",
        **extra,
    )


def test_version_1_is_the_national_guide_and_the_loader_reads_it(world: World) -> None:
    version = selectors.published_version()
    assert version is not None and version.number == 1
    assert version.content == guide.national_content()
    assert guide.published().number == 1
    assert guide.read("principles") == guide.national("principles")


def test_only_programme_staff_propose_and_publish(world: World) -> None:
    with pytest.raises(NotPermitted):
        services.guide_change_propose(
            actor=world.user("facilitator"), section="principles", text=_principles_text(), change_note="x"
        )
    proposal = _propose(world)
    with pytest.raises(NotPermitted):
        services.guide_version_publish(actor=world.user("facilitator"), proposal=proposal, change_note="x")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("principles: [unclosed", "could not be read on line 1"),
        ("principles: &a [*a]", "references"),
        ("principles: []", "must not be empty"),
        ("principles:\n  - number: 1\n    title: Only one\n", "'text' is missing"),
    ],
)
def test_a_section_that_does_not_read_or_keep_the_structure_is_refused(world: World, text: str, message: str) -> None:
    with pytest.raises(ApplicationError, match=message):
        services.guide_change_propose(actor=world.user("staff"), section="principles", text=text, change_note="x")
    assert not GuideVersion.objects.filter(status=GuideVersion.Status.DRAFT).exists()


def test_an_unchanged_section_or_a_missing_note_is_refused(world: World) -> None:
    same = selectors.section_text(selectors.published_version().content, "principles")  # type: ignore[union-attr]
    with pytest.raises(ApplicationError, match="same as the published guide"):
        services.guide_change_propose(actor=world.user("staff"), section="principles", text=same, change_note="x")
    with pytest.raises(ApplicationError, match="what the change is"):
        services.guide_change_propose(
            actor=world.user("staff"), section="principles", text=_principles_text(), change_note=" "
        )


def test_a_proposal_shows_its_difference_and_changes_nothing_until_published(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    card = RetroCard.objects.create(
        project=world.project, column=RetroCard.Column.GUIDE, text="Say shared.", given_on="2026-12-01"
    )
    with django_capture_on_commit_callbacks(execute=True):
        proposal = _propose(world, prompted_by=card)
    assert proposal.status == "draft" and proposal.number is None and proposal.prompted_by == card
    diff = selectors.proposal_diff(proposal)
    assert [line.text for line in diff if line.kind == "removed"] == ["  title: Purpose around a common goal"]
    assert [line.text for line in diff if line.kind == "added"] == [f"  title: {NEW_TITLE}"]
    assert principles()[0]["title"] == "Purpose around a common goal"
    entry = AuditEntry.objects.get(action="guide.change_propose")
    assert entry.changes == {"section": "principles", "based_on": 1, "prompted_by_card": card.pk}
    assert mail.outbox == []  # the only staff member proposed it: nobody else to tell


def test_publishing_makes_the_next_version_and_every_reader_sees_it(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    proposal = _propose(world)
    before = principles()
    colleague = type(world.user("staff")).objects.create_user(email="colleague@example.org", password="x")
    ProgrammeMembership.objects.create(programme=current_programme(), user=colleague, role="staff")
    elsewhere = type(world.user("staff")).objects.create_user(email="elsewhere@example.org", password="x")
    riverdale = Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    ProgrammeMembership.objects.create(programme=riverdale, user=elsewhere, role="staff")  # another guide: not told
    with django_capture_on_commit_callbacks(execute=True):
        version = services.guide_version_publish(
            actor=world.user("staff"), proposal=proposal, change_note="Shared, not common."
        )
    assert (version.number, version.status, version.change_note) == (2, "published", "Shared, not common.")
    assert version.published_by == world.user("staff") and version.published_at is not None
    assert principles()[0]["title"] == NEW_TITLE and before[0]["title"] != NEW_TITLE
    assert guide.read("principles")["principles"][0]["title"] == NEW_TITLE
    assert selectors.version_changes(version) == ["Ways of working"]
    assert [m.to for m in mail.outbox] == [[colleague.email]]
    assert "Version 2 of the Community Insights guide is published" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="guide.version_publish")
    assert entry.changes == {"number": 2, "section": "principles"}
    with pytest.raises(ApplicationError, match="already published"):
        services.guide_version_publish(actor=world.user("staff"), proposal=version, change_note="again")


def test_a_proposal_made_before_another_was_published_must_be_made_again(world: World) -> None:
    first, second = _propose(world), _propose(world)
    services.guide_version_publish(actor=world.user("staff"), proposal=first, change_note="One.")
    with pytest.raises(ApplicationError, match="now at version 2"):
        services.guide_version_publish(actor=world.user("staff"), proposal=second, change_note="Two.")
    services.guide_change_discard(actor=world.user("staff"), proposal=second)
    assert not GuideVersion.objects.filter(pk=second.pk).exists()
    assert AuditEntry.objects.filter(action="guide.change_discard").count() == 1


def test_the_loader_looks_again_at_each_request_and_caches_per_version(world: World, client_for: Any) -> None:
    phases_v1 = phases.phases()
    assert phases.phases() is phases_v1  # cached while the version stays
    other = GuideVersion.objects.create(
        number=2,
        status="published",
        content={
            **guide.national_content(),
            "principles": {"principles": [{"number": 1, "title": "Only this", "text": "Written elsewhere."}]},
        },
        digest="d" * 64,
        published_at="2026-12-06T10:00:00Z",
    )  # as another worker process would publish it
    assert guide.published().number == 1  # this process has not looked again yet
    page = client_for("anonymous").get(reverse("guide:principles")).content.decode()  # a request starts
    assert "Only this" in page and "version 2" in page
    assert guide.published().number == other.number
    assert principles() == [{"number": 1, "title": "Only this", "text": "Written elsewhere."}]
    assert phases.phases() is not phases_v1


def test_a_project_records_the_version_it_started_under(world: World) -> None:
    services.guide_version_publish(actor=world.user("staff"), proposal=_propose(world), change_note="Two.")
    project = project_create(actor=world.user("staff"), title="Warm spaces", question="Who uses them?")
    assert project.guide_version is not None and project.guide_version.number == 2
    assert (
        AuditEntry.objects.get(action="projects.project_create", target_id=str(project.pk)).changes["guide_version"]
        == 2
    )


def test_the_history_and_the_project_page_show_the_version(world: World, client_for: Any) -> None:
    card = RetroCard.objects.create(
        project=world.project, column=RetroCard.Column.GUIDE, text="Say shared.", given_on="2026-12-01"
    )
    proposal = _propose(world, prompted_by=card)
    services.guide_version_publish(actor=world.user("staff"), proposal=proposal, change_note="Shared.")
    page = client_for("anonymous").get(reverse("guide:history")).content.decode()
    assert "Version 2" in page and "Shared." in page and "Changed: Ways of working" in page
    assert "a project team's reflections" in page and world.project.title not in page  # a private project
    world.project.is_public = True
    world.project.save(update_fields=["is_public"])
    assert world.project.title in client_for("anonymous").get(reverse("guide:history")).content.decode()
    index = client_for("anonymous").get(reverse("guide:index")).content.decode()
    assert "version 2" in index and phases.phase(1).items[0].text in index
    detail = client_for("facilitator").get(reverse("projects:project_detail", args=[world.project.slug]))
    assert "version" in detail.content.decode()


def test_a_retrospective_card_offers_staff_a_change_to_the_guide(world: World, client_for: Any) -> None:
    card = RetroCard.objects.create(
        project=world.project, column=RetroCard.Column.GUIDE, text="Say shared.", given_on="2026-12-01"
    )
    link = f"{reverse('guide:propose_start')}?card={card.pk}"
    summary = reverse("reflections:summary", args=[world.project.slug])
    assert link in client_for("staff").get(summary).content.decode()
    assert link not in client_for("facilitator").get(summary).content.decode()
    start = client_for("staff").get(link).content.decode()
    assert "Say shared." in start and f"?card={card.pk}" in start
    form = client_for("staff").get(reverse("guide:propose", args=["principles"]) + f"?card={card.pk}")
    assert "Purpose around a common goal" in form.content.decode()


def test_the_loader_refuses_a_version_that_breaks_the_schema(world: World) -> None:
    content = copy.deepcopy(guide.national_content())
    content["roles"]["core_team"].pop(0)  # the facilitator, whom code and records name
    GuideVersion.objects.create(
        number=2, status="published", content=content, digest="e" * 64, published_at="2026-12-06T10:00:00Z"
    )  # written past the services, which would refuse it
    guide.forget_published()
    with pytest.raises(schema.SchemaError, match="'facilitator' is missing"):
        guide.read("roles")
