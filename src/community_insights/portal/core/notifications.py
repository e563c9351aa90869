"""Notifications leave only after the change that caused them is committed.

Services call :func:`notify` inside their transaction; the email is queued as a
background task on commit, so a rolled-back change never sends a message and a
slow mail server never slows a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context, engines
from django.template.loader import render_to_string
from django_tasks import task


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
    if not recipients:
        return
    body, html = render(message)
    attachments = [[a.filename, a.content, a.mimetype] for a in message.attachments]

    def _enqueue() -> None:
        for recipient in recipients:
            send_email_task.enqueue([recipient], message.subject, body, html, attachments)

    transaction.on_commit(_enqueue)
