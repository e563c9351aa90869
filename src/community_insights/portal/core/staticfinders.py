"""Serve only the few files the portal uses from npm packages, not whole ``dist`` folders.

GOV.UK Frontend's ``dist`` holds over a thousand files (Sass sources, Nunjucks
macros, source maps, fonts the council's branding does not use); collecting and
compressing all of them made ``insights serve`` start slowly and shipped 40 MB
for nothing. The portal's own stylesheet is compiled from Sass by ``npm run build``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

# static path -> path inside node_modules
VENDOR_FILES = {
    "govuk/govuk-frontend.min.js": "govuk-frontend/dist/govuk/govuk-frontend.min.js",
    "govuk/assets/images/govuk-crest.svg": "govuk-frontend/dist/govuk/assets/images/govuk-crest.svg",
    "htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
}


def _node_modules() -> Path:
    return Path(settings.NODE_MODULES)


class VendorFinder(BaseFinder):
    def check(self, **kwargs: Any) -> list[Any]:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        find_all = find_all or kwargs.get("all", False)
        source = VENDOR_FILES.get(path)
        if source is not None:
            full = _node_modules() / source
            if full.exists():
                return [str(full)] if find_all else str(full)
        return [] if find_all else ""

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for target, source in VENDOR_FILES.items():
            full = _node_modules() / source
            if not full.exists():
                continue
            storage = FileSystemStorage(location=str(full.parent))
            storage.prefix = str(Path(target).parent)  # type: ignore[attr-defined]
            yield full.name, storage
