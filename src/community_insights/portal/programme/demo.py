"""Demo programmes: Northmoor's (the first) and a second one with its own branding, Riverdale's.

Helen Okafor is staff of both and Fatima Begum (Riverside Carers Network works
with both councils) and Sam Whitfield members of both, so the switcher has
something to switch. Riverdale's council and its three people are Riverdale's
alone: a Northmoor page never shows them.
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

#: The organisations each programme works with (keys of ``people.demo.ORGANISATIONS``).
SECOND_ORGANISATIONS = ("riverdale_council", "carers", "partner")
#: Who belongs to the second programme besides Helen Okafor, its staff.
RIVERDALE_ONLY = ("riverdale_lead", "riverdale_analyst", "riverdale_rights")
SECOND_MEMBERS = ("carers_lead", "facilitator", *RIVERDALE_ONLY)


def load(context: Any) -> None:
    programme = programme_ensure()
    if not programme.contact_email:
        programme.contact_email = "community.insights@northmoor-council.example"
        programme.save(update_fields=["contact_email", "updated_at"])
    context.extra["programme"] = programme
    for key, organisation in context.organisations.items():
        if key != "riverdale_council":
            organisation.programmes.add(programme)
    # Everyone but Riverdale's own people works in Northmoor, as accepting an invitation would have made them.
    for key, user in context.users.items():
        if key not in RIVERDALE_ONLY:
            role = ProgrammeMembership.Role.STAFF if user.is_staff else ProgrammeMembership.Role.MEMBER
            ProgrammeMembership.objects.get_or_create(programme=programme, user=user, defaults={"role": role})
    second, _ = Programme.objects.get_or_create(slug=SECOND["slug"], defaults=SECOND)
    context.extra["second_programme"] = second
    ProgrammeMembership.objects.get_or_create(
        programme=second, user=context.staff, defaults={"role": ProgrammeMembership.Role.STAFF}
    )
    for key in SECOND_ORGANISATIONS:
        context.organisations[key].programmes.add(second)
    for key in SECOND_MEMBERS:
        ProgrammeMembership.objects.get_or_create(programme=second, user=context.users[key])
