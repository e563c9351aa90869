"""The email-first sign-in page, and programme staff's pages for their councils' providers."""

from __future__ import annotations

import logging
from typing import Any

import requests
from allauth.account.views import LoginView
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from community_insights.portal.core.permissions import is_programme_staff
from community_insights.portal.core.viewtools import deny_unless, posted, submit_form
from community_insights.portal.signin import selectors, services
from community_insights.portal.signin.forms import EmailFirstForm, ProviderEditForm, ProviderForm

logger = logging.getLogger(__name__)


class EmailFirstSignInView(LoginView):
    """Ask for the email address first; its domain sends the person to their council or to a password.

    The first step posts only ``email``: an address at a domain a council's
    provider serves goes to that provider (with the address as a login hint, so
    Entra ID skips its own question); any other address gets the password step.
    The password step posts ``login`` and ``password`` to allauth's own handling
    (rate limits, lockout, two-step sign-in) unchanged.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """Let this page's form lead on to the councils' providers (CSP's form-action covers the redirect)."""
        response = super().dispatch(request, *args, **kwargs)
        origins = selectors.provider_origins()
        if origins:
            response._csp_update = {"form-action": origins}  # type: ignore[union-attr]
        return response

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "login" in request.POST:
            return super().post(request, *args, **kwargs)
        email_form = EmailFirstForm(request.POST)
        if not email_form.is_valid():
            return self._email_step(email_form)
        email = email_form.cleaned_data["email"]
        provider = selectors.provider_for_email(email)
        if provider is not None:
            social = get_social_adapter().get_provider(request, provider.slug)
            try:
                return social.redirect(
                    request, process="login", next_url=self.get_next_url(), auth_params={"login_hint": email}
                )
            except (requests.RequestException, ValueError, KeyError):
                logger.warning("The sign-in provider %s could not be reached.", provider.slug, exc_info=True)
                email_form.add_error(
                    "email", f"{provider.name}'s sign-in cannot be reached just now. Try again in a few minutes."
                )
                return self._email_step(email_form)
        form = self.get_form_class()(initial={"login": email}, request=request)
        return self.render_to_response(self.get_context_data(form=form, step="password", email=email))

    def _email_step(self, email_form: EmailFirstForm) -> HttpResponse:
        """The first question again, with what was wrong (the password form stays unbound and unshown)."""
        form = self.get_form_class()(request=self.request)
        return self.render_to_response(self.get_context_data(form=form, email_form=email_form, step="email"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        if "step" not in context:
            context["step"] = "password" if form.is_bound else "email"
        context.setdefault("email_form", EmailFirstForm())
        return context


sign_in = EmailFirstSignInView.as_view()


@login_required
@require_GET
def provider_list(request: HttpRequest) -> HttpResponse:
    deny_unless(is_programme_staff(request.user))
    return render(
        request,
        "signin/provider_list.html",
        {"providers": selectors.provider_list(actor=request.user), "callback_base": request.build_absolute_uri("/")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_create(request: HttpRequest) -> HttpResponse:
    deny_unless(is_programme_staff(request.user))
    form = ProviderForm(posted(request))
    done = submit_form(
        request, form, services.provider_create, "The sign-in provider has been set up.", "signin:provider_list"
    )
    return done or render(
        request,
        "people/form_page.html",
        {"form": form, "title": "Set up council sign-in", "back": "signin:provider_list"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request: HttpRequest, slug: str) -> HttpResponse:
    deny_unless(is_programme_staff(request.user))
    # Another programme's provider answers 404, like everything of another programme.
    provider = selectors.provider_list(actor=request.user).filter(slug=slug).first()
    if provider is None:
        raise Http404
    initial = {
        "name": provider.name,
        "server_url": provider.server_url,
        "client_id": provider.client_id,
        "email_domains": provider.email_domains,
        "is_active": provider.is_active,
    }
    form = ProviderEditForm(posted(request), initial=initial)
    done = submit_form(
        request,
        form,
        services.provider_update,
        "The sign-in provider has been changed.",
        "signin:provider_list",
        provider=provider,
    )
    return done or render(
        request,
        "people/form_page.html",
        {"form": form, "title": f"Change {provider.name}", "back": "signin:provider_list"},
    )
