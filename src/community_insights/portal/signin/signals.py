"""Sign-ins through a council's provider and two-step sign-in changes, written to the audit log.

Receivers for allauth's own events (they happen inside the library, not in our
services); they only record what happened. ``core.login`` is written for every
sign-in by the people area; this adds which provider vouched for the person.
"""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.dispatch import receiver

from community_insights.portal.core import audit


@receiver(account_signals.user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is not None:
        audit.record(
            actor=user,
            action="signin.provider_sign_in",
            target=user,
            changes={"provider": sociallogin.account.provider},
        )


@receiver(mfa_signals.authenticator_added)
def _two_step_added(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit.record(actor=user, action="signin.two_step_added", target=user, changes={"type": authenticator.type})


@receiver(mfa_signals.authenticator_removed)
def _two_step_removed(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit.record(actor=user, action="signin.two_step_removed", target=user, changes={"type": authenticator.type})


@receiver(mfa_signals.authenticator_reset)
def _recovery_codes_renewed(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit.record(actor=user, action="signin.recovery_codes_renewed", target=user, changes={"type": authenticator.type})
