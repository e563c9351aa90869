"""A council's OpenID Connect provider (Microsoft Entra ID or another), set up by programme staff.

Why a model of our own rather than allauth's ``SocialApp`` rows: the client secret
is kept sealed with the portal's key (as the pseudonymisation keys are), the email
domains the provider serves choose it on the sign-in page, and each provider
belongs to the programme whose staff set it up.
"""

from __future__ import annotations

from django.db import models

from community_insights.portal.core.models import BaseModel


class SignInProvider(BaseModel):
    """Where people with an email address at one of ``email_domains`` sign in: their council's tenant."""

    programme = models.ForeignKey("programme.Programme", on_delete=models.CASCADE, related_name="sign_in_providers")
    name = models.CharField(
        max_length=120, help_text="Shown to people as the place they sign in, like “Northmoor Borough Council”."
    )
    slug = models.SlugField(
        max_length=60,
        unique=True,
        help_text="Part of the redirect address registered with the provider; it cannot change afterwards.",
    )
    server_url = models.URLField(
        help_text="The issuer address; its /.well-known/openid-configuration describes the provider."
    )
    client_id = models.CharField(max_length=200)
    client_secret_sealed = models.BinaryField(help_text="The client secret, encrypted with the portal's key.")
    email_domains = models.TextField(help_text="The email domains it serves, one per line, lower case.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def domains(self) -> list[str]:
        return [line for line in self.email_domains.split() if line]
