"""Programmes: each is a tenant of one installation, with its own people, branding and landing page.

A regional body or a partnership of councils runs several Community Insights
programmes on one server (issue 22). Every record reaches its programme: a
project through ``Project.programme``, everything under a project through the
project, the programme-wide records (news, office hours, ideas, the advisory
panel, the pseudonymisation key) through their own ``programme`` field.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from community_insights.portal.core.models import BaseModel
from community_insights.safety import DEFAULT_THRESHOLD

#: A colour as six hex digits: the only shape that can go into the page's style element safely.
COLOUR_SHAPE = re.compile(r"^#[0-9a-fA-F]{6}$")
COLOUR = RegexValidator(COLOUR_SHAPE.pattern, "Enter a colour as # and six digits or letters a to f, like #1d4f5c.")
#: WCAG 2.2 AA contrast for normal text: the header writes white on the programme's colour.
MIN_CONTRAST_WITH_WHITE = 4.5


def _luminance(colour: str) -> float:
    """Relative luminance of ``#rrggbb`` (WCAG 2 definition)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def dark_enough_for_white_text(colour: str) -> None:
    """Refuse a colour the header's white text could not be read on (contrast below 4.5:1)."""
    if COLOUR_SHAPE.match(colour) and 1.05 / (_luminance(colour) + 0.05) < MIN_CONTRAST_WITH_WHITE:
        raise ValidationError("Choose a darker colour: white text on it must have a contrast of at least 4.5 to 1.")


class Programme(BaseModel):
    """One Community Insights programme run on this installation (a tenant)."""

    name = models.CharField(max_length=200, default="Community Insights Projects")
    slug = models.SlugField(
        max_length=60, unique=True, help_text="The programme's own path: /programmes/<slug>/ (letters, digits, -)."
    )
    council_name = models.CharField(
        max_length=200, blank=True, help_text="Shown in the header instead of the installation's council name."
    )
    brand_colour = models.CharField(max_length=7, blank=True, validators=[COLOUR, dark_enough_for_white_text])
    logo = models.BinaryField(blank=True, default=b"", editable=False)
    logo_type = models.CharField(max_length=20, blank=True, editable=False)
    introduction = models.TextField(
        default=(
            "Community Insights Projects bring together voluntary and community sector (VCS) staff and council "
            "data experts to explore how data can be used to deliver better support to residents."
        )
    )
    how_to_take_part = models.TextField(
        default=(
            "Book an office hours conversation with the facilitator, or tell us about a question your "
            "organisation would like answered."
        )
    )
    office_hours = models.TextField(
        blank=True,
        default=(
            "The facilitator holds office hours every Tuesday, 2pm to 4pm, online or at the Civic Centre. "
            "Come and talk about a question your organisation has, or how data could help the people you support."
        ),
        help_text="When and where office hours happen (the office hours area can replace this with bookable slots).",
    )
    contact_email = models.EmailField(blank=True)
    disclosure_threshold = models.PositiveIntegerField(
        default=DEFAULT_THRESHOLD, help_text="The smallest group size any published number may show."
    )
    disclosure_preset = models.CharField(
        max_length=40, default="ons", help_text="The rule preset new tables, charts and maps start from."
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ProgrammeMembership(BaseModel):
    """A person's place in a programme: staff run it, members take part.

    A VCS organisation working with two councils has people in both programmes,
    so membership is a row per programme rather than a field on the account.
    """

    class Role(models.TextChoices):
        STAFF = "staff", "Programme staff"
        MEMBER = "member", "Member"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["programme", "user"]
        constraints = [models.UniqueConstraint(fields=["programme", "user"], name="one_membership_per_programme")]

    def __str__(self) -> str:
        return f"{self.user} in {self.programme} ({self.get_role_display()})"
