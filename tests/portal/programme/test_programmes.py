"""Several programmes in one installation (issue 22): own path, domain, branding, people and switcher."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from PIL import Image

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.programme import services
from community_insights.portal.programme.current import current_programme, using
from community_insights.portal.programme.models import Programme, ProgrammeMembership
from community_insights.portal.projects.models import Project
from tests.portal.access import STAFF, World

pytestmark = pytest.mark.django_db


def _png(size: tuple[int, int] = (40, 20), fmt: str = "PNG") -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def _riverdale(world: World) -> Programme:
    return services.programme_create(
        actor=world.user(STAFF),
        name="Riverdale Community Insights",
        slug="riverdale",
        council_name="Riverdale and Dale Councils",
        brand_colour="#5a2d82",
    )


def test_setting_up_a_programme_makes_its_creator_its_staff_and_is_recorded(world: World) -> None:
    riverdale = _riverdale(world)
    membership = ProgrammeMembership.objects.get(programme=riverdale, user=world.user(STAFF))
    assert membership.role == ProgrammeMembership.Role.STAFF
    assert AuditEntry.objects.filter(action="programme.programme_create", programme_id=riverdale.pk).exists()
    with pytest.raises(NotPermitted):
        services.programme_create(actor=world.user("facilitator"), name="Mine", slug="mine")
    with pytest.raises(ApplicationError):  # /programmes/new/ is the page that sets one up
        services.programme_create(actor=world.user(STAFF), name="New", slug="new")


def test_a_colour_white_text_cannot_be_read_on_is_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        services.programme_create(actor=world.user(STAFF), name="Pale", slug="pale", brand_colour="#ffdd00")
    with pytest.raises(ValidationError):
        services.programme_create(actor=world.user(STAFF), name="Bad", slug="bad", brand_colour="red;}body{")


def test_each_programme_has_its_own_page_colour_and_logo(world: World, client: Client) -> None:
    riverdale = _riverdale(world)
    with using(riverdale):
        services.programme_branding_update(
            actor=world.user(STAFF), council_name="Riverdale and Dale Councils", brand_colour="#5a2d82", logo=_png()
        )
    page = client.get(reverse("programme:programme_landing", args=["riverdale"])).content.decode()
    assert "--insights-brand: #5a2d82;" in page and "Riverdale and Dale Councils" in page
    assert reverse("programme:logo", args=["riverdale"]) in page
    logo = client.get(reverse("programme:logo", args=["riverdale"]))
    assert logo["Content-Type"] == "image/png" and logo["X-Content-Type-Options"] == "nosniff"
    assert Image.open(BytesIO(logo.content)).size == (40, 20)
    first = client.get(reverse("programme:programme_landing", args=[current_programme().slug])).content.decode()
    assert "#5a2d82" not in first and "Riverdale and Dale Councils" not in first


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"<svg onload=alert(1)>", "not an image"),
        (_png(fmt="GIF"), "a GIF"),
        (_png(size=(1200, 10)), "too wide"),
        (b"\x89PNG" + b"0" * 250_000, "too big"),
    ],
)
def test_a_logo_must_be_a_small_png_or_jpeg(world: World, data: bytes, why: str) -> None:
    with pytest.raises(ApplicationError):
        services.programme_branding_update(actor=world.user(STAFF), council_name="", brand_colour="", logo=data)


def test_a_jpeg_logo_is_served_as_the_png_the_portal_drew(world: World, client: Client) -> None:
    programme = services.programme_branding_update(
        actor=world.user(STAFF), council_name="", brand_colour="", logo=_png(fmt="JPEG")
    )
    assert bytes(programme.logo).startswith(b"\x89PNG")


def test_a_visitor_sees_the_list_of_programmes_at_the_root_when_there_are_several(world: World, client: Client) -> None:
    assert "Community Insights programmes" not in client.get("/").content.decode()
    _riverdale(world)
    page = client.get("/").content.decode()
    assert "Community Insights programmes" in page
    assert reverse("programme:programme_landing", args=["riverdale"]) in page


@override_settings(INSIGHTS_PROGRAMME_DOMAINS={"insights.riverdale.example": "riverdale"})
def test_a_programme_on_its_own_domain_is_the_programme_of_that_domain(world: World) -> None:
    riverdale = _riverdale(world)
    Project.objects.create(
        programme=riverdale,
        title="Riverdale carers",
        slug="riverdale-carers",
        question="?",
        is_public=True,
        is_selected=True,
    )
    with override_settings(ALLOWED_HOSTS=["insights.riverdale.example", "testserver"]):
        page = Client(HTTP_HOST="insights.riverdale.example").get("/").content.decode()
    assert "Riverdale Community Insights" in page and "Riverdale carers" in page
    assert "Food insecurity" not in page


def test_staff_add_someone_to_their_programme_who_then_can_switch_to_it(world: World) -> None:
    riverdale = _riverdale(world)
    person = world.user("vcs_member_lead")
    with using(riverdale):
        services.programme_member_add(actor=world.user(STAFF), email=person.email, role="member")
        with pytest.raises(ApplicationError):
            services.programme_member_add(actor=world.user(STAFF), email="nobody@example.org", role="member")
    client = Client()
    client.force_login(person)
    page = client.get(reverse("projects:project_list")).content.decode()
    assert 'id="programme-switcher"' in page and "Riverdale Community Insights" in page
    client.post(reverse("programme:switch"), {"programme": "riverdale"})
    page = client.get(reverse("projects:project_list")).content.decode()
    assert world.project.title not in page
    assert 'value="riverdale" selected' in page


def test_the_demo_loads_two_programmes_the_second_with_its_own_branding() -> None:
    from community_insights.portal.core.demo import load_demo

    context = load_demo(password="a-long-and-unusual-passphrase")
    first, second = Programme.objects.order_by("pk")
    assert (second.slug, second.council_name, second.brand_colour) == (
        "riverdale",
        "Riverdale and Dale Councils",
        "#5a2d82",
    )
    staff = context.staff
    assert {m.programme_id for m in staff.programme_memberships.filter(role="staff")} == {first.pk, second.pk}
    riverdale_project = context.projects["riverdale_carers"]
    assert riverdale_project.programme == second and riverdale_project.is_public
    assert not Project.objects.filter(programme=second).exclude(pk=riverdale_project.pk).exists()
    # Riverdale shares what it found through the same services, so the hub lists both programmes.
    from community_insights.portal.sharing.models import PublishedInsight

    theirs = PublishedInsight.objects.filter(project=riverdale_project)
    assert theirs.count() == 1 and theirs.get().version.status == "approved"
    assert theirs.get().version.output.safe_copy.dataset.project == riverdale_project, "built from its approved copy"
    hub = Client().get(reverse("hub:hub")).content.decode()
    assert theirs.get().title in hub and "Riverdale Community Insights" in hub
    assert "Help sessions by ward" in hub and first.name in hub
    # Riverdale's own people are not Northmoor's, and Northmoor's page does not list them.
    kofi = context.users["riverdale_rights"]
    assert {m.programme_id for m in kofi.programme_memberships.all()} == {second.pk}
    client = Client()
    client.force_login(staff)
    client.post(reverse("programme:switch"), {"programme": first.slug})
    assert kofi.get_full_name() not in client.get(reverse("people:person_list")).content.decode()
    client.post(reverse("programme:switch"), {"programme": second.slug})
    assert kofi.get_full_name() in client.get(reverse("people:person_list")).content.decode()


def test_a_record_reaches_its_programme_through_its_project(world: World) -> None:
    from community_insights.portal.programme.current import belongs_here, programme_id_of
    from community_insights.portal.projects.models import ProjectRole

    riverdale = _riverdale(world)
    role = ProjectRole.objects.filter(project=world.project).first()
    assert programme_id_of(role) == current_programme().pk and belongs_here(role)
    world.project.programme = riverdale
    world.project.save(update_fields=["programme"])
    role = ProjectRole.objects.select_related("project").get(pk=role.pk)  # type: ignore[union-attr]
    assert programme_id_of(role) == riverdale.pk and not belongs_here(role)
    assert programme_id_of(world.user(STAFF)) is None  # a person is the installation's
    with using(riverdale):
        assert belongs_here(role)
