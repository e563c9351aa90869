"""The UK-wide hub: every programme's published insights, never a withdrawn one, searchable and filterable."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import feedparser
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core.exceptions import ApplicationError
from community_insights.portal.programme.models import Programme
from community_insights.portal.projects.models import Project
from community_insights.portal.sharing import forms, selectors, services
from community_insights.portal.sharing.models import PublishedInsight
from community_insights.portal.sharing.selectors import HubFilters
from tests.portal.access import World
from tests.portal.sharing.conftest import publish_overview


def _insight(project: Project, slug: str, **over: Any) -> PublishedInsight:
    fields = {
        "kind": PublishedInsight.Kind.OVERVIEW, "title": slug.replace("-", " ").capitalize(),
        "question": project.question, "findings": "Families miss the opening hours.", "caveats": "An overview.",
        "method": "Interviews.", "data_sources": "Conversations.", "published_at": timezone.now(), **over,
    }  # fmt: skip
    return PublishedInsight.objects.create(project=project, slug=slug, **fields)


@pytest.fixture
def two_programmes(world: World) -> dict[str, PublishedInsight]:
    """Northmoor's project and Riverdale's, each with published insights, and one withdrawn at Riverdale."""
    riverdale = Programme.objects.create(slug="riverdale", name="Riverdale Community Insights")
    theirs = Project.objects.create(programme=riverdale, title="Carers' breaks", slug="carers-breaks", question="?")
    long_ago = timezone.now() - timedelta(days=400)
    return {
        "food": _insight(world.project, "food-bank-hours", topic="food", areas="Northgate and Abbey wards"),
        "homes": _insight(
            world.project,
            "damp-homes",
            topic="housing",
            areas="Eastfield ward",
            published_at=long_ago,
            findings="Damp is worst in private rented homes.",
        ),
        "carers": _insight(theirs, "carers-breaks", topic="health", areas="Riverdale town centre"),
        "withdrawn": _insight(
            theirs,
            "old-carers-figures",
            topic="health",
            areas="Riverdale town centre",
            status=PublishedInsight.Status.WITHDRAWN,
            withdrawal_notice="Replaced.",
        ),
    }


def _slugs(filters: HubFilters | None = None) -> set[str]:
    return {i.slug for i in selectors.hub_insights(filters)}


def test_the_hub_lists_every_programmes_published_insights_and_never_a_withdrawn_one(two_programmes: Any) -> None:
    assert _slugs() == {"food-bank-hours", "damp-homes", "carers-breaks"}
    # Whatever the filters, the withdrawn one never comes back.
    assert _slugs(HubFilters(words="carers", topic="health", area="Riverdale")) == {"carers-breaks"}


def test_the_hub_filters_by_topic_area_and_date(two_programmes: Any) -> None:
    assert _slugs(HubFilters(topic="housing")) == {"damp-homes"}
    assert _slugs(HubFilters(area="northgate")) == {"food-bank-hours"}
    assert _slugs(HubFilters(area="Northgate", topic="housing")) == set()
    last_year = timezone.localdate() - timedelta(days=200)
    assert _slugs(HubFilters(published_from=last_year)) == {"food-bank-hours", "carers-breaks"}
    assert _slugs(HubFilters(published_to=last_year)) == {"damp-homes"}


def test_the_hub_search_needs_every_word_somewhere(two_programmes: Any) -> None:
    assert _slugs(HubFilters(words="damp")) == {"damp-homes"}
    assert _slugs(HubFilters(words="DAMP rented")) == {"damp-homes"}
    assert _slugs(HubFilters(words="damp carers")) == set()
    assert _slugs(HubFilters(words="riverdale")) == {"carers-breaks"}  # the programme's name counts
    assert _slugs(HubFilters(words="opening")) == {"food-bank-hours", "carers-breaks"}


def test_the_hub_page_links_each_insight_to_its_page_and_its_programme(two_programmes: Any, client: Client) -> None:
    page = client.get(reverse("hub:hub")).content.decode()
    assert f'href="{reverse("hub:feed")}"' in page and 'type="application/atom+xml"' in page
    assert reverse("sharing:insight_detail", args=["carers-breaks"]) in page
    assert reverse("programme:programme_landing", args=["riverdale"]) in page
    assert "old-carers-figures" not in page
    filtered = client.get(reverse("hub:hub"), {"topic": "housing", "area": "", "q": ""}).content.decode()
    assert "Damp homes" in filtered and "Food bank hours" not in filtered and "Clear filters" in filtered


def test_an_insights_own_page_links_back_to_its_programme(two_programmes: Any, client: Client) -> None:
    page = client.get(reverse("sharing:insight_detail", args=["carers-breaks"])).content.decode()
    assert f'href="{reverse("programme:programme_landing", args=["riverdale"])}">Riverdale Community Insights' in page
    assert "Topic: Health and wellbeing." in page and "Areas: Riverdale town centre." in page


def test_a_date_that_is_not_one_is_explained_and_the_other_filters_still_apply(
    two_programmes: Any, client: Client
) -> None:
    response = client.get(reverse("hub:hub"), {"topic": "food", "published_from": "31/31/2026"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem with the filters" in page and "like 27/3/2026" in page
    assert "Food bank hours" in page and "Damp homes" not in page


def test_the_hub_form_reads_dates_as_people_write_them() -> None:
    form = forms.HubFilterForm({"published_from": "1/3/2026", "published_to": "2 April 2026", "topic": "nonsense"})
    assert form.filters()["published_from"] == date(2026, 3, 1)
    assert form.filters()["published_to"] == date(2026, 4, 2)
    assert form.filters()["topic"] == ""  # not one of the topics: left out


def test_the_hub_feed_has_every_programmes_insights_with_links_to_each_page_and_programme(
    two_programmes: Any, client: Client
) -> None:
    response = client.get(reverse("hub:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    by_title = {entry.title: entry for entry in feed.entries}
    assert set(by_title) == {"Food bank hours", "Damp homes", "Carers breaks"}
    carers = by_title["Carers breaks"]
    assert carers.link.endswith(reverse("sharing:insight_detail", args=["carers-breaks"]))
    related = [link.href for link in carers.links if link.rel == "related"]
    assert related == [f"http://testserver{reverse('programme:programme_landing', args=['riverdale'])}"]
    assert [tag.term for tag in carers.tags] == ["Health and wellbeing"]


def test_a_topic_and_areas_are_set_when_publishing(world: World) -> None:
    insight = publish_overview(world, topic="food", areas="  Northgate ward ")
    assert (insight.topic, insight.areas) == ("food", "Northgate ward")
    assert selectors.hub_insights(HubFilters(topic="food")).get() == insight
    with pytest.raises(ApplicationError):
        services.overview_publish(
            actor=world.user("facilitator"), project=world.project, title="Another", findings="Words.",
            caveats="Words.", method="Words.", data_sources="Words.", topic="not-a-topic",
        )  # fmt: skip


def test_the_publish_form_asks_for_the_topic_and_areas(world: World) -> None:
    form = forms.OverviewForm(
        {"title": "T", "findings": "F", "caveats": "C", "method": "M", "data_sources": "D", "topic": "housing"}
    )
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["topic"], form.cleaned_data["areas"]) == ("housing", "")
    assert not forms.OverviewForm({"title": "T", "findings": "F", "caveats": "C", "method": "M",
                                   "data_sources": "D", "topic": "nonsense"}).is_valid()  # fmt: skip


def test_the_footer_and_the_programme_list_link_to_the_hub(world: World, client: Client) -> None:
    hub = f'href="{reverse("hub:hub")}"'
    assert hub in client.get(reverse("programme:programme_list")).content.decode().split("<footer")[0]
    assert hub in client.get(reverse("core:accessibility")).content.decode().split("<footer")[1]
