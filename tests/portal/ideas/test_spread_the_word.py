"""Spread the word: news posts and their Atom feed, and the take-part form that creates a lead."""

from __future__ import annotations

from unittest.mock import patch

import feedparser
import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core.exceptions import NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.ideas import services, spam
from community_insights.portal.ideas.models import InterestLead, NewsPost
from tests.portal.ideas.factories import make_post


def aged_token(form_name: str, seconds: int = 10) -> str:
    """A token issued ``seconds`` ago, as if a person had taken the time to fill in the form."""
    with patch("time.time", return_value=timezone.now().timestamp() - seconds):
        return signing.TimestampSigner(salt=spam.TOKEN_SALT).sign(form_name)


@pytest.mark.django_db
def test_facilitator_publishes_news_that_the_atom_feed_carries(world, client: Client) -> None:
    facilitator = world.user("facilitator")
    with pytest.raises(NotPermitted):
        services.news_post_create(actor=world.user("vcs_member_lead"), title="x", summary="x", body="x", publish=True)
    staff = Client()
    staff.force_login(facilitator)
    response = staff.post(
        reverse("ideas:news_create"),
        {
            "title": "Office hours start in May",
            "summary": "Book a chat with the facilitator.",
            "body": "Every Tuesday.",
            "publish": "on",
        },
    )
    assert response.status_code == 302
    services.news_post_create(actor=facilitator, title="Draft plans", summary="Not yet.", body="Secret.", publish=False)

    listing = client.get(reverse("ideas:news_list")).content.decode()
    assert "Office hours start in May" in listing and "Draft plans" not in listing

    feed_response = client.get(reverse("ideas:news_feed"))
    assert feed_response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(feed_response.content)
    assert feed.bozo == 0
    assert feed.version == "atom10"
    assert feed.feed.title == "Community Insights news"
    assert [e.title for e in feed.entries] == ["Office hours start in May"]
    entry = feed.entries[0]
    assert entry.summary == "Book a chat with the facilitator."
    post = NewsPost.objects.get(title="Office hours start in May")
    assert entry.link.endswith(reverse("ideas:news_detail", args=[post.slug]))
    assert entry.author == facilitator.get_full_name()
    assert client.get(reverse("ideas:news_detail", args=[post.slug])).status_code == 200
    assert client.get(reverse("ideas:news_detail", args=["draft-plans"])).status_code == 404

    # Unpublishing takes it out of the feed.
    services.news_post_update(
        actor=facilitator, post=post, title=post.title, summary=post.summary, body=post.body, publish=False
    )
    assert feedparser.parse(client.get(reverse("ideas:news_feed")).content).entries == []


@pytest.mark.django_db
def test_news_slugs_stay_unique(world) -> None:
    a = services.news_post_create(actor=world.user("staff"), title="Update", summary="s", body="b", publish=True)
    b = services.news_post_create(actor=world.user("staff"), title="Update", summary="s", body="b", publish=True)
    assert (a.slug, b.slug) == ("update", "update-2")


def _interest(**over: str) -> dict[str, str]:
    data = {
        "name": "Tom Price",
        "organisation_name": "Riverside Youth",
        "email": "tom@youth.example.org",
        "interest": "How many young people we support are young carers.",
        "wants_office_hours": "on",
        "website": "",
        "form_token": aged_token("interest"),
    }
    data.update(over)
    return data


@pytest.mark.django_db
def test_take_part_form_creates_a_lead_and_tells_the_facilitator(world, client: Client, committed) -> None:
    page = client.get(reverse("ideas:interest")).content.decode()
    assert 'name="website"' in page and 'tabindex="-1"' in page and 'aria-hidden="true"' in page
    with committed():
        response = client.post(reverse("ideas:interest"), _interest())
    assert response.status_code == 302 and response["Location"] == reverse("ideas:interest_thanks")
    lead = InterestLead.objects.get()
    assert (lead.organisation_name, lead.wants_office_hours, lead.status) == ("Riverside Youth", True, "new")
    facilitators = {world.user("facilitator").email, world.user("staff").email}
    to_facilitators = [m for m in mail.outbox if m.to[0] in facilitators]
    assert sorted(m.to for m in to_facilitators) == sorted([f] for f in facilitators), "one email each"
    assert all("Riverside Youth" in m.subject for m in to_facilitators)
    assert reverse("ideas:lead_detail", args=[lead.pk]) in to_facilitators[0].body
    thanks = next(m for m in mail.outbox if m.to == ["tom@youth.example.org"])
    assert reverse("ideas:office_hours") in thanks.body
    assert "Tom" not in str(AuditEntry.objects.get(action="ideas.lead_create").changes)

    facilitator = Client()
    facilitator.force_login(world.user("facilitator"))
    assert "Riverside Youth" in facilitator.get(reverse("ideas:lead_list")).content.decode()
    facilitator.post(reverse("ideas:lead_detail", args=[lead.pk]), {"status": "contacted", "notes": "Called on Monday"})
    lead.refresh_from_db()
    assert (lead.status, lead.notes) == ("contacted", "Called on Monday")


@pytest.mark.django_db
def test_programme_contact_address_receives_leads_when_set(world, committed) -> None:
    from community_insights.portal.programme.selectors import programme_get

    programme = programme_get()
    programme.contact_email = "insights@northmoor.example.gov.uk"
    programme.save()
    with committed():
        services.lead_create(
            name="A", organisation_name="B", email="a@example.org", interest="c", wants_office_hours=False
        )
    assert ["insights@northmoor.example.gov.uk"] in [m.to for m in mail.outbox]


@pytest.mark.django_db
def test_take_part_spam_protection(world, client: Client, committed) -> None:
    url = reverse("ideas:interest")
    with committed():
        honeypot = client.post(url, _interest(website="buy now"))
    assert honeypot.status_code == 302 and not InterestLead.objects.exists() and not mail.outbox
    fast = client.post(url, _interest(form_token=spam.issue_token("interest"))).content.decode()
    assert "govuk-error-summary" in fast and "too quickly" in fast
    # The page gives a fresh token, so the person can simply send again.
    assert 'name="form_token"' in fast
    stale = client.post(url, _interest(form_token=aged_token("interest", seconds=2 * 24 * 3600))).content.decode()
    assert "open for too long" in stale
    for _ in range(spam.RATE_LIMIT_PER_HOUR):
        assert client.post(url, _interest()).status_code == 302
    limited = client.post(url, _interest()).content.decode()
    assert "govuk-error-summary" in limited and "several times in the last hour" in limited
    assert InterestLead.objects.count() == spam.RATE_LIMIT_PER_HOUR


@pytest.mark.django_db
def test_news_item_helpers() -> None:
    post = make_post()
    assert post.is_published and str(post) == "Office hours are open"
