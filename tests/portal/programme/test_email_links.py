"""Links in emails and digests open in the programme they belong to (issue 22).

Someone in two programmes follows a link while working in either one. Every
link an email carries names its programme (``?programme=<short name>``); the
current programme's resolution switches a person who belongs to it, and
nobody else, so the page opens instead of answering 404.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core import digests
from community_insights.portal.core.models import HeldNotification, NotificationPreference
from community_insights.portal.core.notification_kinds import DAILY, KINDS
from community_insights.portal.core.notifications import Message, absolute_link, notify
from community_insights.portal.people.models import User
from community_insights.portal.programme.current import SESSION_KEY, current_programme, using
from community_insights.portal.programme.models import Programme, ProgrammeMembership
from community_insights.portal.projects.models import Project, ProjectRole
from tests.portal.access import World
from tests.portal.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PORTAL = Path(__file__).resolve().parents[3] / "src" / "community_insights" / "portal"


def _riverdale() -> tuple[Programme, Project]:
    riverdale = Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    project = Project.objects.create(
        programme=riverdale, title="Riverdale carers", slug="riverdale-carers", question="?"
    )
    return riverdale, project


def _emailed_link(programme: Programme, project: Project) -> str:
    """The link an email about ``project`` carries, made as a service working in its programme makes it."""
    with using(programme):
        return absolute_link(reverse("projects:project_detail", kwargs={"slug": project.slug}))


def _path(link: str) -> str:
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def test_a_person_in_both_follows_a_link_to_the_other_programme_and_is_switched_to_it(world: World) -> None:
    _, theirs = _riverdale()
    northmoor = current_programme()
    person = world.user("facilitator")  # facilitator of Northmoor's project
    ProjectRole.objects.create(project=theirs, user=person, role="facilitator")
    client = Client()
    client.force_login(person)
    client.post(reverse("programme:switch"), {"programme": "riverdale"})  # working in Riverdale
    link = _emailed_link(northmoor, world.project)
    assert parse_qs(urlsplit(link).query) == {"programme": [northmoor.slug]}
    assert client.get(urlsplit(link).path).status_code == 404, "the fault: without the link's programme"

    page = client.get(_path(link), follow=True)

    assert page.redirect_chain == [(urlsplit(link).path, 302)], "the link's programme leaves the address once read"
    assert page.status_code == 200 and world.project.title in page.content.decode()
    assert f"You are now working in {northmoor.name}." in page.content.decode()
    assert client.session[SESSION_KEY] == northmoor.pk, "they are now in Northmoor, as if switched"
    listing = client.get(reverse("projects:project_list")).content.decode()
    assert world.project.title in listing and theirs.title not in listing
    again = client.get(_path(link), follow=True).content.decode()
    assert "You are now working in" not in again, "told once, when the programme changes"


def test_someone_not_in_the_links_programme_gets_404_and_stays_where_they_were(world: World) -> None:
    riverdale, theirs = _riverdale()
    rita = User.objects.create_user("rita@riverdale.example", full_name="Rita Riverdale")
    ProgrammeMembership.objects.create(programme=riverdale, user=rita, role=ProgrammeMembership.Role.STAFF)
    northmoor = current_programme()
    client = Client()
    client.force_login(rita)
    link = _emailed_link(northmoor, world.project)
    page = client.get(_path(link), follow=True)
    assert page.status_code == 404
    text = page.content.decode()
    assert northmoor.name not in text and world.project.title not in text and "now working in" not in text
    assert client.session.get(SESSION_KEY) != northmoor.pk
    # Staff of Northmoor are nobody special in Riverdale: Riverdale's link is refused them alike.
    staff = Client()
    staff.force_login(world.user("staff"))
    assert staff.get(_path(_emailed_link(riverdale, theirs)), follow=True).status_code == 404


def test_a_visitor_signs_in_then_the_page_opens_in_the_links_programme(world: World) -> None:
    riverdale, theirs = _riverdale()
    person = world.user("vcs_member_lead")  # of Northmoor first (the older programme), Riverdale too
    ProjectRole.objects.create(project=theirs, user=person, role="vcs_member_lead")
    link = _emailed_link(riverdale, theirs)
    client = Client()
    to_sign_in = client.get(_path(link))
    assert to_sign_in.status_code == 302 and "/accounts/login/" in to_sign_in["Location"]
    next_url = parse_qs(urlsplit(to_sign_in["Location"]).query)["next"][0]
    assert next_url == _path(link), "the link's programme survives signing in"
    signed_in = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD, "next": next_url})
    assert signed_in.status_code == 302 and signed_in["Location"] == next_url
    page = client.get(signed_in["Location"], follow=True)
    assert page.status_code == 200 and theirs.title in page.content.decode()
    assert client.session[SESSION_KEY] == riverdale.pk


def test_a_post_or_a_domain_is_not_switched_by_the_parameter(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    riverdale, theirs = _riverdale()
    person = world.user("facilitator")
    ProjectRole.objects.create(project=theirs, user=person, role="facilitator")
    client = Client()
    client.force_login(person)
    client.post(f"{reverse('projects:project_list')}?programme=riverdale", {})
    assert client.session.get(SESSION_KEY) is None, "only following a link (GET) switches"
    settings.INSIGHTS_PROGRAMME_DOMAINS = {"northmoor.example": current_programme().slug}
    settings.ALLOWED_HOSTS = ["*"]
    page = client.get(_path(_emailed_link(riverdale, theirs)), HTTP_HOST="northmoor.example")
    assert page.status_code == 404, "a programme's own domain is that programme, whatever a link says"


def test_a_link_goes_to_its_programmes_own_domain_when_it_has_one(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    """A link made on Northmoor's domain (or by a scheduler) for a Riverdale page goes to Riverdale's domain."""
    riverdale, theirs = _riverdale()
    settings.INSIGHTS_PROGRAMME_DOMAINS = {"insights.riverdale.example": "riverdale", "northmoor.example": "x"}
    settings.ALLOWED_HOSTS = ["*"]
    path = reverse("projects:project_detail", kwargs={"slug": theirs.slug})
    with using(riverdale):
        link = absolute_link(path, "https://northmoor.example:8443/")
    assert link == f"https://insights.riverdale.example:8443{path}?programme=riverdale"
    with using(current_programme()):
        assert absolute_link(path, "https://northmoor.example/").startswith("https://northmoor.example/")
    person = world.user("facilitator")
    ProjectRole.objects.create(project=theirs, user=person, role="facilitator")
    client = Client()
    client.force_login(person)
    assert client.get(_path(link), HTTP_HOST="insights.riverdale.example").status_code == 200


def test_every_kind_of_email_held_for_a_digest_links_into_its_programme(
    world: World,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    """Over every template of every kind: the digest's line links to the programme the change happened in."""
    riverdale, theirs = _riverdale()
    person = world.user("data_analyst")
    ProjectRole.objects.create(project=theirs, user=person, role="data_analyst")
    for kind in KINDS:
        NotificationPreference.objects.create(user=person, kind=kind.key, frequency=DAILY)
    templates = [template for kind in KINDS for template in kind.templates]
    with using(riverdale):
        for template in templates:
            notify(Message(to=[person.email], subject=template, template=template, context={"project": theirs}))
    links = dict(HeldNotification.objects.filter(user=person).values_list("subject", "link"))
    assert sorted(links) == sorted(templates)
    wrong = {t: link for t, link in links.items() if parse_qs(urlsplit(link).query).get("programme") != ["riverdale"]}
    assert wrong == {}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.digests_send(frequency=DAILY) == 1
    (email,) = mail.outbox
    found = re.findall(r"https?://\S+", email.body)
    programme_links = [link for link in found if "/notifications/" not in link and "/account/" not in link]
    assert len(programme_links) == len(templates)
    assert all(link.endswith("?programme=riverdale") for link in programme_links)
    # The preferences page is the person's own, of no programme: following it switches nothing.
    assert [link for link in found if link not in programme_links and "programme=" in link] == []


def test_each_side_of_a_key_agreement_is_sent_a_link_into_its_own_programme(
    world: World,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    """Emails of another area, made for two programmes at once: each officer's link names the side they approve for."""
    from community_insights.portal.datasets.key_agreements import key_agreement_approve, key_agreement_propose

    riverdale, theirs = _riverdale()
    northmoor = current_programme()
    kofi = User.objects.create_user("kofi@riverdale.example", full_name="Kofi Rights")
    ProjectRole.objects.create(project=theirs, user=kofi, role="information_rights")
    officer = world.user("information_rights")
    ends_on = timezone.localdate() + timedelta(days=90)
    with django_capture_on_commit_callbacks(execute=True):
        agreement = key_agreement_propose(
            actor=officer, programme=northmoor, partner=riverdale, purpose="Match carers", ends_on=ends_on
        )
    (proposed,) = mail.outbox
    assert proposed.to == [kofi.email] and _programmes_named(proposed.body) == ["riverdale"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        key_agreement_approve(actor=officer, agreement=agreement, programme=northmoor)
        key_agreement_approve(actor=kofi, agreement=agreement, programme=riverdale)
    named = {tuple(m.to): _programmes_named(m.body) for m in mail.outbox}
    assert named == {(officer.email,): [northmoor.slug], (kofi.email,): ["riverdale"]}, "one email each, own side"


def _programmes_named(body: str) -> list[str]:
    return [parse_qs(urlsplit(link).query)["programme"][0] for link in re.findall(r"https?://\S+", body)]


def test_only_the_one_link_maker_reads_the_portals_address() -> None:
    """Every link an email carries is made by ``absolute_link``, so none can leave its programme out."""
    readers = sorted(
        str(path.relative_to(PORTAL))
        for path in PORTAL.rglob("*.py")
        if "settings.INSIGHTS_BASE_URL" in path.read_text() and "config" not in path.parts
    )
    assert readers == ["core/notifications.py"]
    own_links = [
        str(path.relative_to(PORTAL))
        for path in PORTAL.rglob("*.py")
        if re.search(r"build_absolute_uri\(\s*reverse", path.read_text())
    ]
    assert own_links == []
