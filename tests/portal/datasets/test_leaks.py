"""Raw values never leave the encrypted file: not into the database, the logs, the pages, emails or the audit export.

The journey below uploads a messy CSV full of names, NHS numbers, phone numbers
and emails, and walks it all the way to an approved safe copy. Then every place
a raw value could leak is searched for every original value (and its obvious
variants).
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from community_insights.portal.datasets.models import DataSource
from tests.portal.access import World
from tests.portal.datasets.conftest import RAW_EMAILS, RAW_NAMES, RAW_NHS, RAW_PHONES, RAW_VALUES
from tests.portal.datasets.journey import run_journey


def variants(value: str) -> set[str]:
    """The value as written and in the shapes other code might normalise it to."""
    forms = {value, value.lower(), value.upper()}
    compact = re.sub(r"\s+", "", value)
    forms.add(compact)
    if value in RAW_NHS:
        forms.add(f"{value[:3]} {value[3:6]} {value[6:]}")
    if value in RAW_PHONES:
        forms.add("+44" + compact[1:])
    return {f for f in forms if len(f) >= 6}


def find_leaks(text: str, where: str) -> list[str]:
    folded = text.lower()
    return [f"{where}: {value!r}" for value in RAW_VALUES for form in variants(value) if form.lower() in folded]


@pytest.mark.django_db
def test_no_raw_value_in_database_logs_pages_emails_or_exports(
    world: World, source: DataSource, messy_csv: bytes, django_capture_on_commit_callbacks: Any, caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    # The test is only meaningful if the raw file really holds the values it looks for.
    assert all(v.encode() in messy_csv for v in [*RAW_NAMES, *RAW_NHS, *RAW_PHONES, *RAW_EMAILS])

    journey = run_journey(world, source, messy_csv, django_capture_on_commit_callbacks)

    leaks: list[str] = []
    dump = io.StringIO()
    call_command("dumpdata", exclude=["contenttypes", "auth.permission"], stdout=dump)
    assert "datasets.checkresult" in dump.getvalue() and "core.auditentry" in dump.getvalue()
    leaks += find_leaks(dump.getvalue(), "database")
    leaks += find_leaks(caplog.text, "logs")
    for name, html in journey.pages.items():
        leaks += find_leaks(html, f"page {name}")
    for message in mail.outbox:
        leaks += find_leaks(message.subject + message.body, f"email {message.subject!r}")
    leaks += find_leaks(journey.downloads["audit_csv"].decode(), "audit export")
    assert not leaks, "Raw values leaked:\n" + "\n".join(sorted(set(leaks)))
    assert len(journey.pages) >= 10 and mail.outbox


@pytest.mark.django_db
def test_the_safe_copy_holds_none_of_the_direct_identifiers(
    world: World, source: DataSource, messy_csv: bytes, django_capture_on_commit_callbacks: Any
) -> None:
    journey = run_journey(world, source, messy_csv, django_capture_on_commit_callbacks)
    safe = journey.downloads["safe_copy"].decode()
    leaks = [v for v in [*RAW_NAMES, *RAW_NHS, *RAW_EMAILS, *RAW_PHONES, "Grace Smith"] if v in safe]
    assert not leaks


@pytest.mark.django_db
def test_error_pages_show_no_raw_values(world: World, source: DataSource, client_for: Any, settings: Any) -> None:
    """A broken plan, a refused upload and a missing page answer in plain words, never with file content."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.INSIGHTS_UPLOAD_MAX_COLUMNS = 5
    from tests.portal.datasets.conftest import messy_csv_text

    client = client_for("data_analyst")
    response = client.post(
        reverse("datasets:upload", kwargs={"source_id": source.pk}),
        {"file": SimpleUploadedFile("wide.csv", messy_csv_text().encode())},
    )
    html = response.content.decode()
    assert "has 10 columns" in html
    assert not find_leaks(html, "refused upload page")
    response = client.get("/datasets/999999/")
    assert response.status_code == 404
    assert not find_leaks(response.content.decode(), "404 page")
