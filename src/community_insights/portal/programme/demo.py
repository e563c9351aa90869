"""Demo programmes: Northmoor's (the first) and a second one with its own branding, Riverdale's.

Helen Okafor is staff of both and Fatima Begum (Riverside Carers Network works
with both councils) a member of both, so the switcher has something to switch.
"""

from __future__ import annotations

from typing import Any

from community_insights.portal.programme.models import Programme, ProgrammeMembership
from community_insights.portal.programme.services import programme_ensure

SECOND = {
    "slug": "riverdale",
    "name": "Riverdale Community Insights",
    "council_name": "Riverdale and Dale Councils",
    "brand_colour": "#5a2d82",
    "introduction": (
        "Riverdale and Dale councils and their voluntary and community sector partners use data together "
        "to understand what residents need."
    ),
    "contact_email": "insights@riverdale-councils.example",
}


def load(context: Any) -> None:
    programme = programme_ensure()
    if not programme.contact_email:
        programme.contact_email = "community.insights@northmoor-council.example"
        programme.save(update_fields=["contact_email", "updated_at"])
    context.extra["programme"] = programme
    for user in context.users.values():
        if user.is_staff:
            ProgrammeMembership.objects.get_or_create(
                programme=programme, user=user, defaults={"role": ProgrammeMembership.Role.STAFF}
            )
    second, _ = Programme.objects.get_or_create(slug=SECOND["slug"], defaults=SECOND)
    context.extra["second_programme"] = second
    ProgrammeMembership.objects.get_or_create(
        programme=second, user=context.staff, defaults={"role": ProgrammeMembership.Role.STAFF}
    )
    for key in ("carers_lead", "facilitator"):
        ProgrammeMembership.objects.get_or_create(programme=second, user=context.users[key])
