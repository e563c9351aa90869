"""Sketches of solution options: a picture, checked, size-limited, re-drawn and sealed; or an output."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.solutions import services
from community_insights.portal.solutions.models import OptionSketch
from tests.portal.access import World
from tests.portal.forms import assert_error_summary
from tests.portal.outputs.url_access import _version
from tests.portal.solutions.factories import make_option

pytestmark = pytest.mark.django_db


def picture(fmt: str = "JPEG", size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x013B] = "Jane Photographer"  # the Artist tag: metadata a photo of a whiteboard may carry
    image.save(out, format=fmt, **({"exif": exif} if fmt == "JPEG" else {}))
    return out.getvalue()


def test_a_picture_is_redrawn_as_png_without_its_metadata_and_sealed(world: World) -> None:
    option = make_option(world)
    upload = SimpleUploadedFile("board.jpg", picture(), content_type="image/jpeg")
    sketch = services.sketch_save(
        actor=world.user("vcs_member_lead"), option=option, image=upload, alt_text="A ward map, three wards shaded."
    )
    stored = bytes(OptionSketch.objects.get(pk=sketch.pk).image_sealed)
    assert not stored.startswith(b"\x89PNG") and b"Jane Photographer" not in stored
    png = services.sketch_picture(actor=world.user("advisory_panel"), option=option)
    assert png.startswith(b"\x89PNG") and b"Jane Photographer" not in png
    assert Image.open(io.BytesIO(png)).size == (40, 30)
    assert AuditEntry.objects.filter(action="solutions.sketch_save", changes__picture=True).exists()


def test_what_is_not_a_picture_too_big_or_unexplained_is_refused(world: World) -> None:
    option = make_option(world)
    lead = world.user("vcs_member_lead")
    cases = [
        (SimpleUploadedFile("x.png", b"not a picture"), "a", "not a picture"),
        (SimpleUploadedFile("x.png", picture("PNG", (5000, 4000))), "a", "at most 4000 by 4000"),
        (SimpleUploadedFile("x.bmp", picture("BMP")), "a", "PNG, JPEG, GIF or WebP"),
        (SimpleUploadedFile("x.jpg", b"\xff" * (2 * 1024 * 1024 + 1)), "a", "smaller than 2 MB"),
        (SimpleUploadedFile("x.jpg", picture()), " ", "what the picture shows"),
    ]
    for upload, alt, message in cases:
        with pytest.raises(ApplicationError, match=message):
            services.sketch_save(actor=lead, option=option, image=upload, alt_text=alt)
    with pytest.raises(ApplicationError, match="not both"):
        services.sketch_save(actor=lead, option=option)
    with pytest.raises(NotPermitted):
        services.sketch_save(actor=world.user("information_rights"), option=option, output=_version(world).output)


def test_an_output_can_be_the_sketch_and_the_page_shows_either(world: World) -> None:
    option = make_option(world)
    output = _version(world).output
    services.sketch_save(actor=world.user("vcs_member_lead"), option=option, output=output)
    client = Client()
    client.force_login(world.user("advisory_panel"))
    page_url = reverse("solutions:option_detail", args=[world.project.slug, option.pk])
    assert "Shown by the output" in client.get(page_url).content.decode()
    image_url = reverse("solutions:option_sketch_image", args=[world.project.slug, option.pk])
    assert client.get(image_url).status_code == 404
    services.sketch_save(
        actor=world.user("vcs_member_lead"), option=option,
        image=SimpleUploadedFile("b.png", picture("PNG")), alt_text="A sketch of the map.",
    )  # fmt: skip
    assert 'alt="A sketch of the map."' in client.get(page_url).content.decode()
    response = client.get(image_url)
    assert response["Content-Type"] == "image/png" and response.content.startswith(b"\x89PNG")


def test_the_form_puts_a_bad_picture_in_the_error_summary(world: World) -> None:
    option = make_option(world)
    client = Client()
    client.force_login(world.user("vcs_member_lead"))
    url = reverse("solutions:option_sketch", args=[world.project.slug, option.pk])
    response = client.post(url, {"image": SimpleUploadedFile("x.png", b"nope"), "alt_text": "a"})
    assert_error_summary(response, "The selected file is not a picture", "id_image")
