"""Checks that apply to every test: each email a test sends is read for wording slips."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.wording import email_slips


@pytest.fixture(autouse=True)
def _emails_read_well() -> Iterator[None]:
    """After the test, every email in the outbox must be free of the slips in tests.wording."""
    yield
    from django.core import mail  # the outbox exists only while Django's test email backend is in use

    slips = []
    for message in getattr(mail, "outbox", []):
        html = next((content for content, kind in getattr(message, "alternatives", []) if kind == "text/html"), None)
        slips += [f"{message.subject}: {slip}" for slip in email_slips(message.subject, message.body, html)]
    assert not slips, "Wording slips in the emails this test sent:\n" + "\n".join(slips)
