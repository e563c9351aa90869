"""``insights demo`` shares a finished project's insights, and no public page or download shows a count 1 to 9.

The crawl starts at the landing page as a visitor (no account), follows every link that stays in the
portal and is not a sign-in page, and reads each page's visible text, each HTML table and each CSV it can
download. A table's column of places (a map's "areas": how many wards a group merges) counts places, not
people, so it is left out; every other figure in a table must be 0, 10 or more, or a mark.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import feedparser
import pytest
from django.test import Client
from django.urls import reverse

from community_insights.portal.core.demo import load_demo
from community_insights.portal.ideas.models import NewsPost
from community_insights.portal.sharing.models import BlogPost, InterestRegistration, Plenary, PublishedInsight

#: Numbers that are not counts of anything: dates, times, versions, steps and phases of the guide.
NOT_COUNTS = [
    r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December)( \d{4})?\b",
    r"\b\d{1,2}(:\d{2})? ?(am|pm)\b",
    r"\b\d{1,2}:\d{2}\b",
    r"\b(version|phase|step|part|room|stage) \d+\b",
    r"\b\d+ (to|and) \d+\b(?= ?(days|years|minutes|hours))",
    r"\b\d+ (to \d+ |and over)",  # age bands like "65 to 74" and "85 and over" are category labels
    r"\b\d{4}\b",  # years
    r"\b\d+ areas\b",  # places on a map, not people
    r"\b\d+ of (its )?\d+ figures\b",  # how many cells of a table are hidden, not people
    r"\b\d+ times you can book\b",  # office hours the facilitator offers, not people
]
#: The guide's pages are the programme's method in the guide's own words ("2–3 days a week", the phases'
#: numbers), not figures about people: they are crawled for their links, but their words are not counts.
GUIDE_PAGES = "/guide/"
#: Columns of a published table that count places, not people (a map's merged groups).
PLACE_COLUMNS = {"areas"}
SMALL_COUNT = re.compile(r"(?<![\w.,£%/-])([1-9])(?![\w.,%:/-])")


class _Text(HTMLParser):
    """The text a visitor reads (no scripts, styles or drawn axes: the figures are in the data table) and the links."""

    SKIP = {"script", "style", "svg", "head", "template"}

    def __init__(self) -> None:
        super().__init__()
        self.skipping = 0
        self.text: list[str] = []
        self.links: list[str] = []
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        if tag in ("td", "th") and self.cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append(" ".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.text.append(data)


def small_counts(text: str) -> list[str]:
    cleaned = text
    for pattern in NOT_COUNTS:
        cleaned = re.sub(pattern, " ", cleaned, flags=re.IGNORECASE)
    return [
        m.group(0) + " in «" + cleaned[max(0, m.start() - 40) : m.end() + 40].strip() + "»"
        for m in SMALL_COUNT.finditer(cleaned)
    ]


def table_counts(rows: list[list[str]]) -> list[str]:
    """Figures 1 to 9 in a table's columns of people (the header row names the columns)."""
    if not rows:
        return []
    header = [h.strip().lower() for h in rows[0]]
    found = []
    for row in rows[1:]:
        for name, value in zip(header, row, strict=False):
            if name not in PLACE_COLUMNS and re.fullmatch(r"'?[1-9]", value.strip()):
                found.append(f"{value} under {name!r} in row {row}")
    return found


def _crawl(client: Client) -> dict[str, str]:
    """Every page a visitor can reach from the landing page: path -> visible text (CSV files: their figures)."""
    seen: dict[str, str] = {}
    queue = [reverse("programme:landing")]
    while queue:
        path = queue.pop()
        if path in seen or path.startswith(("/accounts/", "/django-admin/", "/static/")):
            continue
        response = client.get(path)
        if response.status_code != 200:
            seen[path] = ""
            continue
        kind = response.get("Content-Type", "")
        if "text/csv" in kind:
            text = response.content.decode("utf-8").split("\n\n")[0]  # the figures, before the notes
            seen[path] = "\n".join(table_counts(list(csv.reader(io.StringIO(text)))))
            continue
        if "text/html" not in kind:
            seen[path] = ""
            continue
        parser = _Text()
        parser.feed(response.content.decode("utf-8"))
        seen[path] = " ".join(parser.text) + "\n" + "\n".join(c for t in parser.tables for c in table_counts(t))
        for href in parser.links:
            url = urlparse(urljoin(path, href))
            if url.netloc in ("", "testserver") and url.path not in seen:
                queue.append(url.path)
    return seen


@pytest.mark.django_db
def test_the_demo_publishes_a_chart_a_map_and_a_table_and_no_page_shows_a_small_count(client: Client) -> None:
    load_demo(password="a-long-and-unusual-passphrase")
    insights = PublishedInsight.objects.filter(status="published")
    assert {i.version.output.kind for i in insights} == {"chart", "map", "table"}
    post = BlogPost.objects.get()
    assert post.status == "published" and NewsPost.objects.filter(pk=post.news_post_id).exists()
    assert Plenary.objects.get().registrations.count() == InterestRegistration.objects.count() == 3

    pages = _crawl(client)
    for insight in insights:
        assert reverse("sharing:insight_detail", args=[insight.slug]) in pages
    assert any(path.endswith("/download/csv/") for path in pages)
    assert reverse("sharing:plenary_public", args=[Plenary.objects.get().pk]) in pages
    assert reverse("guide:index") in pages
    found = {
        path: small_counts(text)
        for path, text in pages.items()
        if not path.startswith(GUIDE_PAGES) and small_counts(text)
    }
    assert not found, f"Counts between 1 and 9 on public pages: {found}"
    landing = client.get(reverse("programme:landing")).content.decode()
    figures = re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)</th><td[^>]*>([^<]+)</td>', landing)
    assert dict(figures)["Registrations of interest"] == "[c]"  # three registrations: hidden
    assert dict(figures)["Insights published"] == "[c]"  # three insights: hidden too

    news = feedparser.parse(client.get(reverse("ideas:news_feed")).content)
    assert post.title in [e.title for e in news.entries]
    feed = feedparser.parse(client.get(reverse("sharing:insight_feed")).content)
    assert {e.title for e in feed.entries} == {i.title for i in insights}

    load_demo(password="a-long-and-unusual-passphrase")
    assert PublishedInsight.objects.count() == 3 and BlogPost.objects.count() == 1  # nothing added twice


def test_the_crawl_sees_a_small_count_but_not_a_date_or_a_version() -> None:
    assert small_counts("Published 6 December 2026, version 2 of the output.") == []
    assert small_counts("Registrations of interest 3") != []
    assert small_counts("Projects finished [c]. Insights published 12.") == []
    assert small_counts("Bar chart of count by ward. 9 of 15 figures are hidden to protect people.") == []
    assert table_counts([["ward", "areas", "people"], ["Abbey", "1", "84"], ["Harbour and Castle", "2", "[c]"]]) == []
    assert table_counts([["ward", "people"], ["Abbey", "7"]]) != []


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
