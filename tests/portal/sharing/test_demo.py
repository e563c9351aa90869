"""``insights demo`` finishes a project and shares its insights; no public page or download shows a count 1 to 9.

The crawl (``tests/portal/sharing/crawl.py``) starts at the landing page as a visitor, follows every link that
stays in the portal, and reads pages, feeds and downloads. A table's column of places (a map's "areas": how
many wards a group merges) counts places, not people, so it is left out; every other figure in a table must be
0, 10 or more, or a mark.
"""

from __future__ import annotations

import feedparser
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core.demo import load_demo
from community_insights.portal.ideas.models import NewsPost
from community_insights.portal.projects.models import Project
from community_insights.portal.sharing.models import BlogPost, InterestRegistration, Plenary, PublishedInsight
from tests.portal.sharing.crawl import PageText, crawl, small_counts, table_counts

PASSWORD = "a-long-and-unusual-passphrase"
#: The guide's pages are the programme's method in the guide's own words ("2–3 days a week", the phases'
#: numbers), not figures about people: they are crawled for their links, but their words are not counts.
GUIDE_PAGES = "/guide/"


@pytest.mark.django_db
def test_the_demo_finishes_a_project_and_shares_a_chart_a_map_and_a_table(client: Client) -> None:
    load_demo(password=PASSWORD)
    finished = Project.objects.get(closed_at__isnull=False)
    assert finished.phase == 4 and finished.closed_by is not None
    everywhere = PublishedInsight.objects.filter(status="published")
    insights = everywhere.filter(project=finished)  # Northmoor's, the first programme's
    assert {i.version.output.kind for i in insights} == {"chart", "map", "table"}
    # The second programme shares one chart of its own, so the hub shows both programmes.
    (riverdale,) = everywhere.exclude(project=finished)
    assert riverdale.project.programme.slug == "riverdale" and riverdale.version.output.kind == "chart"
    assert riverdale.version.output.safe_copy.dataset.project == riverdale.project
    post = BlogPost.objects.get()
    assert post.status == "published" and NewsPost.objects.filter(pk=post.news_post_id).exists()
    assert Plenary.objects.get().registrations.count() == InterestRegistration.objects.count() == 3

    news = feedparser.parse(client.get(reverse("ideas:news_feed")).content)
    assert post.title in [e.title for e in news.entries]
    feed = feedparser.parse(client.get(reverse("sharing:insight_feed")).content)
    assert {e.title for e in feed.entries} == {i.title for i in insights}
    # The hub has something to filter: every published insight has a topic and areas.
    assert {i.topic for i in insights} == {"older_people", "digital"} and all(i.areas for i in insights)
    by_topic = client.get(reverse("hub:hub"), {"topic": "older_people"}).content.decode()
    assert "Help sessions by age band" in by_topic and "Help sessions by ward" not in by_topic
    hub = client.get(reverse("hub:hub")).content.decode()
    assert all(i.title in hub for i in everywhere) and "Riverdale Community Insights" in hub

    load_demo(password=PASSWORD)
    assert PublishedInsight.objects.count() == 4 and BlogPost.objects.count() == 1  # nothing added twice
    assert Project.objects.filter(closed_at__isnull=False).count() == 1


@pytest.mark.django_db
def test_a_visitor_crawling_the_demo_meets_no_small_count_and_no_broken_link(client: Client) -> None:
    load_demo(password=PASSWORD)
    insights = list(PublishedInsight.objects.filter(status="published").select_related("version__output"))
    # The demo has two programmes, so a visitor's "/" lists them: the crawl starts at Northmoor's own page.
    northmoor = reverse("programme:programme_landing", args=["community-insights"])
    result = crawl(client, northmoor)
    assert not result.broken, f"Links a visitor meets that fail: {result.broken}"

    landing = result.answers[northmoor].page
    assert landing is not None
    assert ("application/atom+xml", reverse("ideas:news_feed")) in landing.feeds
    assert ("application/atom+xml", reverse("sharing:insight_feed")) in landing.feeds
    kinds = {a.kind for a in result.answers.values()}
    assert {"html", "feed", "csv", "xlsx", "pdf", "png", "svg"} <= kinds, kinds
    assert reverse("sharing:plenary_public", args=[Plenary.objects.get().pk]) in result.answers
    assert reverse("guide:index") in result.answers
    for insight in insights:
        page = result.answers[reverse("sharing:insight_detail", args=[insight.slug])].page
        assert page is not None, insight.title
        if insight.version.output.kind != "table":  # a chart or a map, with its alternative text
            assert any(s["role"] == "img" and s["desc"].strip() for s in page.svgs), insight.title
        assert any(len(t) > 2 for t in page.tables), f"{insight.title} has no data table"
        downloads = {p.rsplit("/", 2)[-2] for p in page.links if "/download/" in p}
        # Every insight offers its figures as CSV; a table and a chart as XLSX too; a chart or a map as a
        # picture (PNG, SVG) and a PDF.
        kind = insight.version.output.kind
        expected = (
            {"csv"} | ({"xlsx"} if kind != "map" else set()) | ({"pdf", "png", "svg"} if kind != "table" else set())
        )
        assert expected <= downloads, (insight.title, downloads)
        for fmt in downloads:
            assert reverse("sharing:insight_download", args=[insight.slug, fmt]) in result.answers

    found = {path: counts for path, counts in result.small_counts().items() if not path.startswith(GUIDE_PAGES)}
    assert not found, f"Counts between 1 and 9 a visitor can read: {found}"
    figures = {row[0]: row[1] for table in landing.tables for row in table if len(row) == 2}
    assert figures["Registrations of interest"] == "[c]"  # three registrations: hidden
    assert figures["Insights published"] == "[c]" and figures["Projects finished"] == "[c]"


@pytest.mark.django_db
def test_the_crawl_finds_a_small_count_in_a_news_post_and_its_feed(client: Client) -> None:
    """The crawl really reaches news and its feed: a planted small count is found in both."""
    NewsPost.objects.create(
        title="Warm spaces open", slug="warm-spaces", summary="Only 4 residents came on the first day.",
        body="We opened the warm spaces.", published_at=timezone.now(),
    )  # fmt: skip
    found = crawl(client, reverse("programme:landing")).small_counts()
    assert any(path == reverse("ideas:news_feed") for path in found), found
    assert any("4" in c for counts in found.values() for c in counts)


def test_the_crawl_sees_a_small_count_but_not_a_date_or_a_version() -> None:
    assert small_counts("Published 6 December 2026, version 2 of the output.") == []
    assert small_counts("Registrations of interest 3") != []
    assert small_counts("Projects finished [c]. Insights published 12.") == []
    assert small_counts("Bar chart of count by ward. 9 of 15 figures are hidden to protect people.") == []
    assert table_counts([["ward", "areas", "people"], ["Abbey", "1", "84"], ["Harbour and Castle", "2", "[c]"]]) == []
    assert table_counts([["ward", "people"], ["Abbey", "7"]]) != []
    assert small_counts("Registrations of interest: 3.") != [] and small_counts("3, then 12") != []
    assert small_counts("2.5% of 1,200 at 10:30, 1/4") == []
    assert small_counts("Be guided by them. 1. Purpose around a common goal") == []
    assert small_counts("We saw 3. Then we left.") != []


def test_the_crawl_reads_a_chart_but_not_its_axis_ticks() -> None:
    page = PageText()
    page.feed(
        '<body><svg role="img"><title>Sessions</title><desc>Highest: Abbey (3)</desc>'
        '<g class="mark-group role-axis"><text>5</text></g><g class="mark-text role-mark"><text>12</text></g></svg>'
        "<p hidden>7</p><br><p>Seen</p></body>"
    )
    text = " ".join(page.text)
    assert page.svgs == [{"role": "img", "title": "Sessions", "desc": "Highest: Abbey (3)"}]
    assert "12" in text and "Seen" in text and "5" not in text.split() and "7" not in text.split()
    assert small_counts(text) != []  # the description's 3


@pytest.mark.django_db
def test_the_final_checks_ask_the_portal_with_a_host_it_answers_to(world) -> None:  # type: ignore[no-untyped-def]
    """Outside the tests "testserver" is not an allowed host: the demo's final checks failed on it."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import override_settings

    from community_insights.portal.solutions import final_checks
    from tests.portal.sharing.factories import make_version

    version = make_version(world)
    url = reverse("outputs:output_detail", args=[version.output_id])
    with override_settings(ALLOWED_HOSTS=["insights.example.gov.uk"]):
        assert final_checks._refuses(url, AnonymousUser())  # a sign-in redirect, not DisallowedHost
