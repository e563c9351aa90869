"""Who may open each page of the programme area (see tests/portal/access.py)."""

from __future__ import annotations

from typing import Any

from community_insights.portal.programme.current import current_programme
from tests.portal.access import LOGIN, PUBLIC, STAFF_ONLY, Case, World, expect

# The smallest PNG there is (one transparent pixel): a logo to serve.
ONE_PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def _with_logo(world: World) -> dict[str, Any]:
    programme = current_programme()
    programme.logo, programme.logo_type = ONE_PIXEL_PNG, "image/png"
    programme.save(update_fields=["logo", "logo_type"])
    return {"slug": programme.slug}


CASES = [
    Case("programme:landing", expect=PUBLIC),
    Case("programme:programme_edit", expect=STAFF_ONLY),
    Case("programme:branding_edit", expect=STAFF_ONLY),
    Case("programme:member_add", expect=STAFF_ONLY),
    Case("programme:programme_create", expect=STAFF_ONLY),
    Case("programme:programme_list", expect=PUBLIC),
    Case("programme:programme_landing", kwargs=lambda w: {"slug": current_programme().slug}, expect=PUBLIC),
    Case("programme:logo", kwargs=_with_logo, expect=PUBLIC),
    Case(
        "programme:switch",
        method="post",
        data=lambda w: {"programme": current_programme().slug},
        expect=expect(LOGIN, default=302),
        note="to a programme one belongs to",
    ),
]
