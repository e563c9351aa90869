"""``manage check --deploy``: refuse to call a server ready while its dataset key is a placeholder.

Why: the key seals every raw file at rest. A server started with the
example's ``change-me`` value (or a key anyone could guess, such as all
zeros) encrypts with a key that is public, and the mistake is invisible until
it is too late to re-encrypt. Django's own checks cover the secret key; this
covers ours.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

PLACEHOLDER_WORDS = ("change", "example", "placeholder", "secret", "xxxx", "todo")


def _placeholder_reason(text: str) -> str | None:
    """Why *text* cannot be a real dataset key, or None when it looks like one."""
    from community_insights.portal.datasets.encryption import _parse_key

    lowered = text.strip().lower()
    if any(word in lowered for word in PLACEHOLDER_WORDS):
        return "it is the example's placeholder"
    try:
        raw = _parse_key(text)
    except ImproperlyConfigured:
        return "it is not 32 bytes written as 64 hex digits or URL-safe base64"
    if len(set(raw)) < 16:
        return "it repeats too few different bytes to be random"
    return None


@register(Tags.security, deploy=True)
def check_dataset_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """insights.E001: the dataset key is missing, malformed or a placeholder (deploy checks only)."""
    configured = getattr(settings, "INSIGHTS_DATASET_KEY", None) or os.environ.get("INSIGHTS_DATASET_KEY")
    if not configured:
        reason = "it is not set (a key generated in the data folder would sit beside the files it protects)"
    else:
        reason = _placeholder_reason(str(configured)) or ""
    if not reason:
        return []
    return [
        Error(
            f"INSIGHTS_DATASET_KEY cannot protect raw datasets: {reason}.",
            hint='Set it to the output of: python -c "import secrets; print(secrets.token_hex(32))"',
            id="insights.E001",
        )
    ]
