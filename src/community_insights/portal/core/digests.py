"""Notification preferences and the daily and weekly digests (writes and reads).

Why a module of its own: the digest is the one place that turns the
notifications held by ``core.notifications`` into email, and it is run by a
scheduler rather than by a person. ``digests_send`` is idempotent per period:
the ``Digest`` row (one per person, frequency and day or week) is made in the
same transaction that claims the held notifications, so a second run in the
same period, or two runs at once, never send anything twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, require
from community_insights.portal.core.models import Digest, HeldNotification, NotificationPreference
from community_insights.portal.core.notification_kinds import (
    DAILY,
    DIGEST_FREQUENCIES,
    FREQUENCIES,
    IMMEDIATE,
    KINDS,
    KINDS_BY_KEY,
    WEEKLY,
)
from community_insights.portal.core.notifications import Message, absolute_link, notify
from community_insights.portal.core.permissions import is_signed_in

DIGEST_ACTOR = "scheduled digests"


def preferences_of(*, user: Any) -> dict[str, str]:
    """Each kind's frequency for ``user``; a kind never chosen is sent straight away."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "frequency"))
    return {kind.key: chosen.get(kind.key, IMMEDIATE) for kind in KINDS}


@transaction.atomic
def preferences_save(*, actor: Any, **choices: str) -> dict[str, str]:
    """Save how ``actor`` wants each kind of notification; one audit entry lists what changed."""
    require(is_signed_in(actor), "Sign in to choose how you get emails.")
    allowed = {key for key, _ in FREQUENCIES}
    for kind, frequency in choices.items():
        if kind not in KINDS_BY_KEY:
            raise ApplicationError("Choose from the kinds of email listed.")
        if frequency not in allowed:
            raise ApplicationError("Choose straight away, a daily digest or a weekly digest.", field=kind)
    before = preferences_of(user=actor)
    changed = {kind: frequency for kind, frequency in choices.items() if before[kind] != frequency}
    for kind, frequency in changed.items():
        NotificationPreference.objects.update_or_create(user=actor, kind=kind, defaults={"frequency": frequency})
    if changed:
        audit.record(actor=actor, action="core.notification_preferences_change", target=actor, changes=changed)
    return preferences_of(user=actor)


def period_start(frequency: str, today: dt.date) -> dt.date:
    """The first day a digest covers: the day itself, or the Monday of its week."""
    if frequency == WEEKLY:
        return today - dt.timedelta(days=today.weekday())
    return today


def _due_frequency(kind: str, preferences: dict[str, str]) -> str:
    """Which digest carries a held notification: its kind's digest now, else the daily one.

    A person who went back to "straight away" still gets what was held, in the
    next daily digest, rather than never.
    """
    frequency = preferences.get(kind, IMMEDIATE)
    return frequency if frequency in DIGEST_FREQUENCIES else DAILY


def digests_send(*, frequency: str, now: dt.datetime | None = None) -> int:
    """Send each person one digest of what was held for them this period; answer how many were sent.

    Run it daily for ``daily`` and weekly for ``weekly`` (``insights manage
    send_digests``). Each person is handled in their own transaction, so one
    bad address does not hold back the others; nobody with nothing held gets an email.
    """
    if frequency not in DIGEST_FREQUENCIES:
        raise ValueError(f"A digest is daily or weekly, not {frequency!r}.")
    start = period_start(frequency, timezone.localdate(now or timezone.now()))
    user_ids = HeldNotification.objects.filter(digest__isnull=True, user__is_active=True).values_list("user", flat=True)
    sent = 0
    for user_id in sorted(set(user_ids)):
        try:
            sent += _send_one(user_id, frequency, start)
        except IntegrityError:  # another run made this period's digest first: it sends it
            continue
    return sent


@transaction.atomic
def _send_one(user_id: int, frequency: str, start: dt.date) -> int:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=user_id)
    if Digest.objects.filter(user=user, frequency=frequency, period_start=start).exists():
        return 0
    preferences = preferences_of(user=user)
    held = HeldNotification.objects.select_for_update().filter(user=user, digest__isnull=True)
    items = [item for item in held if _due_frequency(item.kind, preferences) == frequency]
    if not items:
        return 0
    digest = Digest.objects.create(user=user, frequency=frequency, period_start=start, item_count=len(items))
    HeldNotification.objects.filter(pk__in=[item.pk for item in items]).update(digest=digest)
    audit.record(
        actor=DIGEST_ACTOR,
        action="core.digest_send",
        target=digest,
        changes={"frequency": frequency, "period_start": start.isoformat(), "items": len(items)},
    )
    notify(_digest_message(user, frequency, items))
    return 1


def _digest_message(user: Any, frequency: str, items: list[HeldNotification]) -> Message:
    by_kind: dict[str, list[HeldNotification]] = defaultdict(list)
    for item in items:
        by_kind[item.kind].append(item)
    sections = [{"label": kind.label, "items": by_kind[kind.key]} for kind in KINDS if by_kind.get(kind.key)] + [
        {"label": "Other changes", "items": v} for k, v in by_kind.items() if k not in KINDS_BY_KEY
    ]
    count = len(items)
    return Message(
        to=[user.email],
        subject=f"{settings.INSIGHTS_BRANDING.get('service_name', 'Community Insights')}: "
        f"your {frequency} digest of {count} change{'s' if count != 1 else ''}",
        template="core/email/digest",
        context={
            "name": user.get_short_name(),
            "frequency": frequency,
            "sections": sections,
            "preferences_url": absolute_link(reverse("core:notification_preferences"), named=False),
        },
    )
