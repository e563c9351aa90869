"""``manage check --deploy``: a live portal must not run with two-step sign-in switched off.

Why: the switch exists so the test suite's personas need no authenticator app;
left off on a server, staff and information rights officers would sign in with
a password alone, and nothing on any page would show it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def check_two_step_required(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """insights.E020: INSIGHTS_REQUIRE_TWO_STEP is off (deploy checks only)."""
    if getattr(settings, "INSIGHTS_REQUIRE_TWO_STEP", True):
        return []
    return [
        Error(
            "INSIGHTS_REQUIRE_TWO_STEP is off: staff and information rights officers sign in with a password alone.",
            hint="Remove INSIGHTS_REQUIRE_TWO_STEP from the environment (it is on unless set to false).",
            id="insights.E020",
        )
    ]
