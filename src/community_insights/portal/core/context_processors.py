"""Values every page needs: the branding of the programme being worked in, and the programme switcher."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse

#: Only this shape of colour reaches the page's style element (the model checks it too).
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def branding(request: HttpRequest) -> dict[str, Any]:
    """The installation's branding, with the current programme's own name, colour and logo over it.

    A programme's colour goes into the nonce-protected style element, so it is
    checked again here: a value of any other shape falls back to the installation's.
    """
    from community_insights.portal.programme.current import current_programme, programmes_of

    programme = getattr(request, "programme", None) or current_programme()
    values = dict(settings.INSIGHTS_BRANDING)
    values["logo_url"] = static(values["logo_path"])
    if programme.council_name:
        values["council_name"] = programme.council_name
    if programme.brand_colour and _COLOUR.match(programme.brand_colour):
        values["brand_colour"] = programme.brand_colour
    if programme.logo_type and programme.slug:
        stamp = int(programme.updated_at.timestamp()) if programme.updated_at else 0
        values["logo_url"] = f"{reverse('programme:logo', kwargs={'slug': programme.slug})}?v={stamp}"
    mine = list(programmes_of(request.user)) if getattr(request, "user", None) is not None else []
    return {
        "branding": values,
        "current_programme": programme,
        "switchable_programmes": mine if len(mine) > 1 else [],
    }
