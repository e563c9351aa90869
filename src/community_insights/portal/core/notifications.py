"""Notifications leave only after the change that caused them is committed.

Services call :func:`notify` inside their transaction; the email is queued as a
background task on commit, so a rolled-back change never sends a message and a
slow mail server never slows a page. A person who asked for a kind of
notification in a digest (``core.notification_kinds``) gets it held instead, in
the same transaction, and ``core.digests`` sends it with the others later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context, engines
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django_tasks import task

from community_insights.portal.core.models import HeldNotification, NotificationPreference
from community_insights.portal.core.notification_kinds import DIGEST_FREQUENCIES, kind_of


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: str
    mimetype: str


@dataclass
class Message:
    to: Sequence[str]
    subject: str
    template: str
    context: dict[str, object] = field(default_factory=dict)
    attachments: Sequence[Attachment] = ()
    kind: str | None = None
    """The kind of notification (``core.notification_kinds``); by default the kind of ``template``."""


@task()
def send_email_task(to: list[str], subject: str, body: str, html: str | None, attachments: list[list[str]]) -> int:
    """Background task: send one email (arguments are JSON so any task backend can carry them)."""
    email = EmailMultiAlternatives(subject=subject, body=body, to=to, from_email=settings.DEFAULT_FROM_EMAIL)
    if html:
        email.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        email.attach(filename, content, mimetype)
    return email.send()


def render(message: Message) -> tuple[str, str | None]:
    """Render ``<template>.txt`` (and ``.html`` when it exists) with the branding.

    The plain-text part is rendered without HTML escaping: it is never shown as
    HTML, and escaping turned "Scouts & Youth Club" into "Scouts &amp; Youth Club".
    """
    context = {"branding": settings.INSIGHTS_BRANDING, **message.context}
    engine = engines["django"].engine  # type: ignore[attr-defined]
    body = engine.get_template(f"{message.template}.txt").render(Context(context, autoescape=False))
    try:
        html: str | None = render_to_string(f"{message.template}.html", context)
    except Exception:  # noqa: BLE001 - an HTML part is optional
        html = None
    return body, html


def notify(message: Message) -> None:
    """Queue ``message`` to be sent once the surrounding transaction commits, one email per person.

    Each recipient gets their own email: one message to eight people put every
    address in one To: line, telling each of them who else was written to.
    """
    recipients = list(dict.fromkeys(r for r in message.to if r))
    held = _hold_for_digests(message, recipients)
    recipients = [r for r in recipients if r.lower() not in held]
    if not recipients:
        return
    body, html = render(message)
    attachments = [[a.filename, a.content, a.mimetype] for a in message.attachments]

    def _enqueue() -> None:
        for recipient in recipients:
            send_email_task.enqueue([recipient], message.subject, body, html, attachments)

    transaction.on_commit(_enqueue)


LINK_LENGTH = 500  # HeldNotification.link's length: a longer link is replaced by its project's or the portal's


def absolute_link(path: str, base_url: str | None = None, *, programme: Any = None, named: bool = True) -> str:
    """The one maker of links for emails, digests and calendar files: an address and the path, naming its programme.

    The address is the request's own (``base_url``), or ``INSIGHTS_BASE_URL`` for
    work without a request (digests, reminders); the laptop address is only the
    last resort. The link names the programme it belongs to (``programme``, else
    the current one) in the ``programme`` parameter, because someone in two
    programmes follows it while working in either: the current programme's
    resolution switches them to it when they belong to it, so the page opens
    instead of answering 404. ``named=False`` is for a page of the person, not of
    a programme (their email preferences).
    """
    from community_insights.portal.programme.current import LINK_PARAMETER, current_programme

    base = base_url or settings.INSIGHTS_BASE_URL or "http://127.0.0.1:8000"
    slug = (programme or current_programme()).slug if named else None
    if not slug:
        return base.rstrip("/") + path
    link = _on_own_domain(base, slug).rstrip("/") + path
    return f"{link}{'&' if '?' in link else '?'}{urlencode({LINK_PARAMETER: slug})}"


def _on_own_domain(base: str, slug: str) -> str:
    """``base`` moved to the programme's own domain when ``INSIGHTS_PROGRAMME_DOMAINS`` gives it one.

    On a programme's domain the domain decides the programme, whatever a link names,
    so a link made on another programme's domain (or by a scheduler) must go to its own.
    """
    hosts = [host for host, named in dict(getattr(settings, "INSIGHTS_PROGRAMME_DOMAINS", {})).items() if named == slug]
    if not hosts:
        return base
    parts = urlsplit(base)
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme or "https", f"{hosts[0]}{port}", parts.path, "", ""))


def digest_link(message: Message) -> str:
    """Where a digest's line about ``message`` points: its own link, else its project, else the portal."""
    url = message.context.get("url")
    if isinstance(url, str) and url and len(url) <= LINK_LENGTH:
        return url
    slug = next(filter(None, (_project_slug(value) for value in message.context.values())), None)
    if slug:
        try:
            return absolute_link(reverse("projects:project_detail", kwargs={"slug": slug}))
        except NoReverseMatch:  # pragma: no cover - the projects area is always installed
            pass
    return absolute_link("/")


def _project_slug(value: object) -> str | None:
    """The slug of the project a context value is, or belongs to (a version, a dataset, an idea)."""
    project = value if type(value).__name__ == "Project" else getattr(value, "project", None)
    slug = getattr(project, "slug", None) if type(project).__name__ == "Project" else None
    return slug if isinstance(slug, str) else None


def _hold_for_digests(message: Message, recipients: list[str]) -> set[str]:
    """Keep ``message`` for the recipients who get its kind in a digest; answer their addresses.

    A message with attachments (a calendar invitation) always goes at once: a
    digest lists what changed, it does not carry files.
    """
    kind = message.kind or kind_of(message.template)
    if kind is None or message.attachments or not recipients:
        return set()
    preferences = NotificationPreference.objects.filter(
        kind=kind,
        frequency__in=DIGEST_FREQUENCIES,
        user__is_active=True,
        user__email__in=[r.lower() for r in recipients],
    ).select_related("user")
    from community_insights.portal.programme.current import current_programme_id

    held: set[str] = set()
    link = ""
    for preference in preferences:
        link = link or digest_link(message)
        HeldNotification.objects.create(
            user=preference.user,
            kind=kind,
            subject=message.subject[:255],
            link=link,
            programme_id=current_programme_id(),
        )
        held.add(preference.user.email.lower())
    return held
