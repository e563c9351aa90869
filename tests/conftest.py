"""Checks that apply to every test (each email a test sends is read for wording slips), and the run's Spark session."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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


#: What the Spark tests' one session must be: two cores, two partitions after a shuffle (the tables of
#: counts the tests make are a few hundred rows; more partitions only add tasks), no web UI, no event log.
SPARK_TEST_CONFIG = {"spark.sql.shuffle.partitions": "2"}


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local Spark session for every Spark test of the run, started by the first that asks, stopped at the end.

    Starting the JVM is the dearest part of a Spark test on a busy machine, so it is paid once for the
    check's, the safe copy's and the table's tests together. The session is the engine's own
    (``spark_session``), so the tests run on what a user gets; only the shuffle is narrowed, which a
    SQL setting may do in a running session. The rest is asserted rather than set, so a change to the
    engine's local settings that would slow every Spark test is caught here.
    """

    from community_insights.safety import SparkBackend
    from community_insights.safety.spark_backend import spark_session

    session = spark_session()
    for key, value in SPARK_TEST_CONFIG.items():
        session.conf.set(key, value)
    context = session.sparkContext
    assert context.defaultParallelism == 2, context.defaultParallelism
    assert context.getConf().get("spark.ui.enabled") == "false"
    assert context.getConf().get("spark.eventLog.enabled", "false") == "false"
    yield SparkBackend(session)
    session.stop()
