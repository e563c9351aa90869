"""Checks that apply to every test: each email a test sends is read for wording slips."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.wording import email_slips


@pytest.fixture(autouse=True)
def _guide_read_afresh(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test looks up the published guide again; a test without a database reads the national files.

    The loader remembers which version is published for a few seconds; a test's rolled-back publish
    must not reach the next test, and a test that may not touch the database must not try.
    """
    from community_insights.portal import guide

    names = set(request.fixturenames)
    uses_db = bool(names & {"_django_db_helper", "db", "transactional_db"}) or bool(
        request.node.get_closest_marker("django_db")
    )
    guide.forget_published()
    guide.pin_national(not uses_db)
    yield
    guide.pin_national(False)
    guide.forget_published()


@pytest.fixture(autouse=True)
def _first_programme(request: pytest.FixtureRequest) -> None:
    """Every test with a database starts with the programme a migration makes on a real installation.

    A test with a live server or a transactional database empties every table when it ends, so the
    tests after it would start without that row, and a project (whose programme is the current one)
    could not be saved. A test about an empty installation deletes the row itself.
    """
    names = set(request.fixturenames)
    if names & {"live_server", "transactional_db"}:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    elif request.node.get_closest_marker("django_db") is None:
        return
    from community_insights.portal.programme.services import programme_ensure

    programme_ensure()


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
