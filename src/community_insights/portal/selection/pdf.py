"""The evaluation summary as a PDF to circulate (WeasyPrint, no network: no remote fonts or images)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Refuse every external resource: the PDF is built from the HTML alone."""
    raise ValueError(f"External resources are not loaded: {url[:40]}")


def evaluation_pdf(summary: Any) -> bytes:
    from weasyprint import HTML  # imported here: it is heavy and only this page needs it

    html = render_to_string(
        "selection/evaluation_pdf.html",
        {"s": summary, "branding": settings.INSIGHTS_BRANDING, "generated_at": timezone.now()},
    )
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()
