"""A refused request (403) is logged as one line, without a traceback."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from community_insights.portal.core.log_filters import NoTracebackForRefusals
from tests.portal.access import World


def test_the_console_handler_drops_tracebacks_of_refusals(world: World, caplog: pytest.LogCaptureFixture) -> None:
    console = [h for h in logging.getLogger().handlers if any(isinstance(f, NoTracebackForRefusals) for f in h.filters)]
    assert console, "the filter is configured in LOGGING"
    client = Client()
    client.force_login(world.user("facilitator"))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("core:audit_log"))
    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    # Django attaches the traceback; the console handler's filter (which ran first) removed it.
    assert record.exc_info is None
    assert "Traceback" not in console[0].format(record)
    assert "Forbidden" in console[0].format(record)
