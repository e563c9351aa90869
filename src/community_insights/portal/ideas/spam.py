"""Spam protection for public forms that needs no outside service.

Three layers, each cheap and kind to real people:

- a honeypot field people never see (hidden with CSS and ``aria-hidden``; its
  label says to leave it empty, for anyone who meets it anyway);
- a signed, time-stamped token rendered with the form: a submission faster than
  a person could type, older than a day or tampered with is refused;
- a rate limit per sender, counted in the database by the services (so it holds across worker
  processes) against a keyed hash of the address, never the address itself.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils import timezone

from community_insights.portal.ideas.models import SubmissionThrottle

TOKEN_SALT = "community-insights.public-form"  # noqa: S105 - a signing salt, not a secret
MIN_SECONDS = 3
MAX_AGE_SECONDS = 24 * 60 * 60
RATE_LIMIT_PER_HOUR = 5

HONEYPOT_FIELD = "website"
TOKEN_FIELD = "form_token"  # noqa: S105 - a field name

# The public forms, as the throttle counts them.
INTEREST_FORM = "interest"
BOOKING_FORM = "booking"


def issue_token(form_name: str) -> str:
    """A token carrying the form's name and the time it was shown."""
    return signing.TimestampSigner(salt=TOKEN_SALT).sign(form_name)


def token_problem(token: str, form_name: str) -> str | None:
    """A sentence for the person when the token is not acceptable, else None."""
    signer = signing.TimestampSigner(salt=TOKEN_SALT)
    try:
        value = signer.unsign(token, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        return "This page was open for too long. Send the form again."
    except signing.BadSignature:
        return "The form could not be checked. Reload the page and send the form again."
    if value != form_name:
        return "The form could not be checked. Reload the page and send the form again."
    stamp = token.rsplit(":", 2)[1]  # value:timestamp:signature
    issued = signing.b62_decode(stamp)
    if timezone.now().timestamp() - issued < MIN_SECONDS:
        return "The form was sent too quickly. Wait a few seconds, then send it again."
    return None


def client_hash(request: HttpRequest) -> str:
    """A keyed hash of the sender's address: enough to count their submissions, useless to identify them."""
    from community_insights.portal.core.clients import client_address

    address = client_address(request) or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def submissions_in_last_hour(*, form_name: str, sender: str) -> int:
    """How many times this sender (a ``client_hash``) sent this form in the last hour.

    Only a read: counting a submission is a write, done by ``services.common.submission_admit``.
    """
    since = timezone.now() - timedelta(hours=1)
    return SubmissionThrottle.objects.filter(form=form_name, client_hash=sender, at__gte=since).count()
