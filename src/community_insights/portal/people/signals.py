"""Sign-in, sign-out and password events written to the audit log.

These are receivers for Django's and django-allauth's own events, which happen
inside those libraries rather than in our services; they only record what
happened (no business rules live here). A failed sign-in records no email
address: the address typed may be someone else's.
"""

from __future__ import annotations

from typing import Any

from allauth.account import signals as allauth_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from community_insights.portal.core import audit


@receiver(auth_signals.user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(actor=user, action="core.login", target=user)


@receiver(auth_signals.user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(actor=user, action="core.logout", target=user)


@receiver(auth_signals.user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    audit.record(actor="anonymous", action="core.login_failed")


@receiver(allauth_signals.password_changed)
def _password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(actor=user, action="people.password_change", target=user)


@receiver(allauth_signals.password_reset)
def _password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(actor=user, action="people.password_reset", target=user)
