"""Values every page needs: the council's branding."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def branding(request: HttpRequest) -> dict[str, Any]:
    return {"branding": settings.INSIGHTS_BRANDING}
