"""Changes to programmes: setting one up, its landing page words, branding and people."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.guide.services import guide_version_seed
from community_insights.portal.programme.current import current_programme
from community_insights.portal.programme.models import Programme, ProgrammeMembership
from community_insights.portal.programme.permissions import can_create_programme, can_edit_programme

#: The path of an installation's first programme (the migration gives the existing one this slug too).
DEFAULT_SLUG = "community-insights"
#: Paths under /programmes/ that are pages, not programmes.
RESERVED_SLUGS = frozenset({"new", "switch"})
EDITABLE = ("name", "introduction", "how_to_take_part", "office_hours", "contact_email")


@transaction.atomic
def programme_ensure() -> Programme:
    """The current programme's row, or the first programme created with the defaults if none exists.

    Only writes call this (the first edit, set-up and demo data), so reading the
    landing page never writes. Nothing is recorded in the audit log: the row
    only holds defaults until someone edits it, and that edit is recorded.
    """
    current = current_programme()
    if current.pk is not None:
        return current
    programme = Programme.objects.select_for_update().order_by("pk").first()
    return programme or Programme.objects.create(slug=DEFAULT_SLUG)


@transaction.atomic
def programme_update(*, actor: Any, **values: str) -> Programme:
    if not can_edit_programme(actor):
        raise NotPermitted("Only programme staff can change the landing page.")
    programme = programme_ensure()
    changed = [f for f in EDITABLE if f in values and getattr(programme, f) != values[f].strip()]
    if not changed:
        return programme
    for f in changed:
        setattr(programme, f, values[f].strip())
    programme.full_clean()
    programme.save(update_fields=[*changed, "updated_at"])
    audit.record(actor=actor, action="programme.programme_update", target=programme, changes={"fields": changed})
    return programme


#: The largest logo accepted: a header logo is small, and a big file is more likely something else.
LOGO_MAX_BYTES = 200_000
LOGO_MAX_PIXELS = 1_000


def _checked_logo(data: bytes) -> bytes:
    """The logo re-drawn as a PNG, after checking it is a small PNG or JPEG image.

    Re-encoding keeps only the pixels: anything else a file might carry (a script
    in metadata, a second file appended) does not survive, and the page serves
    only the image type it chose itself.
    """
    from io import BytesIO

    from PIL import Image, UnidentifiedImageError

    if not data:
        raise ApplicationError("Choose an image file for the logo.", field="logo")
    if len(data) > LOGO_MAX_BYTES:
        raise ApplicationError("The logo must be smaller than 200KB.", field="logo")
    try:
        with Image.open(BytesIO(data)) as image:
            if image.format not in {"PNG", "JPEG"}:
                raise ApplicationError("The logo must be a PNG or JPEG image.", field="logo")
            if max(image.size) > LOGO_MAX_PIXELS:
                raise ApplicationError("The logo must be at most 1000 pixels wide and high.", field="logo")
            image.load()
            out = BytesIO()
            image.convert("RGBA").save(out, format="PNG")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ApplicationError("The logo must be a PNG or JPEG image.", field="logo") from None
    return out.getvalue()


@transaction.atomic
def programme_create(*, actor: Any, name: str, slug: str, council_name: str = "", brand_colour: str = "") -> Programme:
    """Set up another programme on this installation; the person who sets it up becomes its staff.

    Its guide starts as version 1, the national guide, which its staff then change for themselves.
    """
    if not can_create_programme(actor):
        raise NotPermitted("Only programme staff can set up a programme.")
    slug = slug.strip().lower()
    if slug in RESERVED_SLUGS:
        raise ApplicationError("Choose another short name: this one is a page of the portal.", field="slug")
    programme = Programme(name=name.strip(), slug=slug, council_name=council_name.strip(), brand_colour=brand_colour)
    programme.full_clean()
    programme.save()
    ProgrammeMembership.objects.create(programme=programme, user=actor, role=ProgrammeMembership.Role.STAFF)
    audit.record(actor=actor, action="programme.programme_create", target=programme, changes={"slug": programme.slug})
    guide_version_seed(actor=actor, programme=programme)  # its own guide starts from the national guide
    return programme


@transaction.atomic
def programme_branding_update(
    *, actor: Any, council_name: str, brand_colour: str, logo: bytes | None = None, remove_logo: bool = False
) -> Programme:
    """Change the current programme's header name, colour and logo."""
    if not can_edit_programme(actor):
        raise NotPermitted("Only programme staff can change the programme's branding.")
    programme = programme_ensure()
    programme.council_name, programme.brand_colour = council_name.strip(), brand_colour.strip().lower()
    changed = ["council_name", "brand_colour"]
    if logo:
        programme.logo, programme.logo_type = _checked_logo(logo), "image/png"
        changed += ["logo", "logo_type"]
    elif remove_logo:
        programme.logo, programme.logo_type = b"", ""
        changed += ["logo", "logo_type"]
    programme.full_clean()
    programme.save(update_fields=[*changed, "updated_at"])
    audit.record(actor=actor, action="programme.branding_update", target=programme, changes={"fields": sorted(changed)})
    return programme


@transaction.atomic
def programme_member_add(*, actor: Any, email: str, role: str) -> ProgrammeMembership:
    """Add someone who already has an account to the current programme (or change their role in it)."""
    from community_insights.portal.people.models import User

    if not can_edit_programme(actor):
        raise NotPermitted("Only programme staff can add people to the programme.")
    if role not in ProgrammeMembership.Role.values:
        raise ApplicationError("Choose staff or member.")
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ApplicationError("Nobody has an account with this email address: invite them instead.")
    programme = programme_ensure()
    membership, created = ProgrammeMembership.objects.update_or_create(
        programme=programme, user=user, defaults={"role": role}
    )
    audit.record(
        actor=actor,
        action="programme.member_add",
        target=programme,
        changes={"user_id": user.pk, "role": role, "created": created},
    )
    return membership
