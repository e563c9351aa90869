"""What every area's "bad input" test checks on the page that comes back."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client


def assert_error_summary(response: Any, message: str, field: str) -> None:
    """The form came back (200) with a GOV.UK error summary above the h1 that links ``message`` to ``#field``."""
    assert response.status_code == 200
    html = response.content.decode()
    summary = re.search(r'<div class="govuk-error-summary".*?</div>\s*</div>', html, re.S)
    assert summary, "the page has a GOV.UK error summary"
    assert message in summary.group(0)
    assert f'href="#{field}' in summary.group(0), f"the summary links to #{field}"
    assert html.index("govuk-error-summary") < html.index("<h1"), "the summary sits above the h1"
    assert "<title>Error: " in html


def post_as(world: Any, persona: str, url: str, data: dict[str, Any]) -> Any:
    """POST ``data`` to ``url`` as one persona of the shared world (``"anonymous"`` stays signed out)."""
    client = Client()
    if persona != "anonymous":
        client.force_login(world.user(persona))
    return client.post(url, data)
