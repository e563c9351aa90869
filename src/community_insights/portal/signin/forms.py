"""Forms of the sign-in area (shape only; services and the adapter apply the rules)."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm
from crispy_forms_gds.layout import Field
from django import forms

from community_insights.portal.core.forms import BaseForm
from community_insights.portal.signin.selectors import provider_for_email


class EmailFirstForm(forms.Form):
    """The first question of the sign-in page: the address decides where the person signs in."""

    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )


class PasswordSignInForm(LoginForm):
    """allauth's password form, refusing addresses whose council signs them in through its own provider.

    Why: a council colleague's address is vouched for by the council's provider
    (and its two-step rules); a password typed here for that address would be a
    way around them.
    """

    def clean(self) -> dict[str, Any]:
        login = str(self.data.get("login", "")).strip()
        provider = provider_for_email(login)
        if provider is not None:
            raise forms.ValidationError(
                f"People with this email address sign in through {provider.name}. "
                "Enter only your email address and choose Continue."
            )
        return super().clean()


class ProviderForm(BaseForm):
    class Layout:
        TITLE = "Set up council sign-in"
        SUBMIT_BUTTON_TEXT = "Save"

    REQUIRED_MESSAGES = {
        "name": "Enter the name people know the provider by",
        "server_url": "Enter the issuer address",
        "client_id": "Enter the client ID",
        "email_domains": "Enter the email domains this provider serves",
    }

    name = forms.CharField(label="Name", max_length=120, help_text="What people see, like “Northmoor Borough Council”.")
    slug = forms.SlugField(
        label="Short name",
        max_length=60,
        required=False,
        help_text="Part of the redirect address you register with the provider. Leave empty to make one from the name.",
    )
    server_url = forms.CharField(  # checked by the service (https, a host), typed like any text
        label="Issuer address",
        max_length=200,
        help_text="For Microsoft Entra ID: https://login.microsoftonline.com/YOUR-TENANT-ID/v2.0",
    )
    client_id = forms.CharField(label="Client ID (application ID)", max_length=200)
    client_secret = forms.CharField(
        label="Client secret",
        widget=forms.PasswordInput(render_value=False),
        help_text="Kept encrypted and never shown again.",
    )
    email_domains = forms.CharField(
        label="Email domains",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line, like council.gov.uk. People with these addresses sign in through this provider.",
    )

    def get_layout_fields(self) -> list[Any]:
        return [
            Field.text("name"),
            Field.text("slug", field_width=10, spellcheck="false"),
            Field.text("server_url", spellcheck="false"),
            Field.text("client_id", spellcheck="false", autocomplete="off"),
            Field.text("client_secret", autocomplete="new-password"),
            Field.textarea("email_domains", spellcheck="false"),
        ]


class ProviderEditForm(ProviderForm):
    class Layout:
        TITLE = "Change council sign-in"
        SUBMIT_BUTTON_TEXT = "Save"

    slug = None  # type: ignore[assignment]  # fixed once registered with the provider
    client_secret = forms.CharField(
        label="New client secret",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Leave empty to keep the current one.",
    )
    is_active = forms.BooleanField(label="In use", required=False)

    def get_layout_fields(self) -> list[Any]:
        fields = [f for f in super().get_layout_fields() if getattr(f, "fields", [None])[0] != "slug"]
        return [*fields, Field.checkbox("is_active")]
