"""Publishing an insight: the gate (approval, governance, final checks), the public page, withdrawal and feed."""

from __future__ import annotations

import csv
import io
from typing import Any

import feedparser
import pytest
from django.test import Client
from django.urls import reverse

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.outputs import services as output_services
from community_insights.portal.projects.models import ChecklistTick
from community_insights.portal.sharing import selectors, services
from community_insights.portal.sharing.models import PublishedInsight
from tests.portal.access import World
from tests.portal.sharing.conftest import allow_publishing, pass_final_checks, publish_overview

pytestmark = pytest.mark.django_db

WORDS = {
    "title": "Small households use the food bank most",
    "findings": "Most visits come from households of one or two people.",
    "caveats": "Counts of visits, not of people. Not for funding applications.",
    "method": "A chart of visits by ward and household size.",
    "data_sources": "Food bank visits (Northmoor Food Partnership).",
}


def _publish(world: World, version: Any, persona: str = "facilitator") -> PublishedInsight:
    return services.insight_publish(actor=world.user(persona), version=version, **WORDS)


def test_publishing_needs_the_approval_the_governance_gate_and_the_final_checks(
    world: World, chart: Any, approved_copy: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with pytest.raises(ApplicationError, match="DPIA has not been approved"):
        _publish(world, chart)
    allow_publishing(world, approved_copy)
    with pytest.raises(ApplicationError, match="final checks of this version have not all passed"):
        _publish(world, chart)
    pass_final_checks(world, chart, django_capture_on_commit_callbacks)
    assert selectors.publish_problems(chart) == []
    with pytest.raises(NotPermitted):
        _publish(world, chart, persona="data_analyst")

    insight = _publish(world, chart)
    assert (insight.kind, insight.status, insight.version, insight.question) == (
        "insight", "published", chart, world.project.question,
    )  # fmt: skip
    organisations = {"Northmoor Borough Council", "Northmoor Food Partnership", "Open Data Co-operative"}
    assert {member["organisation"] for member in insight.team} == organisations
    assert all(set(member) == {"organisation", "roles"} for member in insight.team)
    assert not any(u.email in str(insight.team) for u in world.users.values())  # no private details
    entry = AuditEntry.objects.get(action="sharing.insight_publish")
    assert entry.changes == {"kind": "insight", "output_version": chart.pk, "version": chart.number}
    tick = ChecklistTick.objects.get(project=world.project, item_key="insights_delivered")
    assert tick.ticked_by == world.user("facilitator") and "Published an insight" in tick.note
    with pytest.raises(ApplicationError, match="already published"):
        _publish(world, chart)


def test_an_insight_page_shows_the_figure_its_table_and_downloads_for_everyone(
    world: World, publishable: Any, django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    pass_final_checks(world, publishable, django_capture_on_commit_callbacks)
    insight = _publish(world, publishable)
    page = client.get(reverse("sharing:insight_detail", args=[insight.slug])).content.decode()
    assert "<svg" in page and publishable.alt_text in page
    assert '<table class="govuk-table">' in page and "[c]" in page
    for heading in ("The question", "What we found", "What it can and cannot be used for", "How we did it",
                    "Where the data came from", "Who did the work", "Download"):  # fmt: skip
        assert heading in page
    for fmt in ("csv", "xlsx", "pdf", "png", "svg"):
        assert reverse("sharing:insight_download", args=[insight.slug, fmt]) in page
    response = client.get(reverse("sharing:insight_download", args=[insight.slug, "csv"]))
    assert response.status_code == 200
    data, _, _ = output_services.approved_file(version=publishable, fmt="csv")
    assert response.content == data  # the approved file itself, not a copy made again
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0][0] == "ward"
    audited = AuditEntry.objects.filter(project_id=world.project.pk).values_list("action", flat=True)
    assert {"sharing.insight_view", "sharing.insight_download"} <= set(audited)


def test_withdrawing_takes_it_off_the_feed_and_the_landing_page_and_keeps_a_notice(
    world: World, client: Client
) -> None:
    insight = publish_overview(world)
    feed = feedparser.parse(client.get(reverse("sharing:insight_feed")).content)
    assert [e.title for e in feed.entries] == [insight.title]
    assert insight.title in client.get(reverse("programme:landing")).content.decode()

    with pytest.raises(NotPermitted):
        services.insight_withdraw(actor=world.user("data_analyst"), insight=insight, notice="x")
    with pytest.raises(ApplicationError, match="Say why"):
        services.insight_withdraw(actor=world.user("facilitator"), insight=insight, notice=" ")
    services.insight_withdraw(
        actor=world.user("staff"), insight=insight, notice="Replaced by the spring figures, published soon."
    )
    assert feedparser.parse(client.get(reverse("sharing:insight_feed")).content).entries == []
    assert insight.title not in client.get(reverse("programme:landing")).content.decode()
    page = client.get(reverse("sharing:insight_detail", args=[insight.slug]))
    text = page.content.decode()
    assert page.status_code == 200 and "Withdrawn" in text and "Replaced by the spring figures" in text
    assert insight.findings not in text

    services.insight_republish(actor=world.user("delivery_lead"), insight=insight)
    assert [e.title for e in feedparser.parse(client.get(reverse("sharing:insight_feed")).content).entries] == [
        insight.title
    ]
    actions = list(AuditEntry.objects.filter(action__startswith="sharing.insight_").values_list("action", flat=True))
    assert {"sharing.insight_publish", "sharing.insight_withdraw", "sharing.insight_republish"} <= set(actions)


def test_an_overview_gives_no_numbers(world: World) -> None:
    with pytest.raises(ApplicationError, match="no numbers") as refused:
        publish_overview(world, findings="About 40 families a week miss the opening hours.")
    assert refused.value.field == "findings"


def test_the_landing_page_links_both_feeds_in_its_head(world: World, client: Client) -> None:
    html = client.get(reverse("programme:landing")).content.decode()
    head = html.split("</head>")[0]
    assert (
        f'type="application/atom+xml" title="Community Insights Projects: news" href="{reverse("ideas:news_feed")}"'
        in head
    )
    assert f'href="{reverse("sharing:insight_feed")}"' in head


def test_a_list_of_people_is_never_published(world: World) -> None:
    from tests.portal.sharing.factories import make_version

    version = make_version(world)
    version.output.kind = "person_level"
    version.output.save(update_fields=["kind"])
    assert selectors.publish_problems(version) == [
        "A list of people is shared only with the organisations its agreements name, never published."
    ]
    with pytest.raises(ApplicationError, match="never published"):
        _publish(world, version)
