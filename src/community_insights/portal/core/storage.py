"""Static files storage: hashed names and gzip, without brotli.

WhiteNoise's default storage also writes a brotli copy of every file at the
highest quality, which made collecting static files take half a minute on a
two-core machine, every time the server starts after an upgrade. Gzip alone
keeps pages small on phones and takes seconds.
"""

from __future__ import annotations

from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class GzipManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs: Any) -> Compressor:
        kwargs["use_brotli"] = False
        return super().create_compressor(**kwargs)
