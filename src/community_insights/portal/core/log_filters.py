"""Logging filters: a refused request is one line in the log, not a traceback.

Why: Django logs every ``PermissionDenied`` with the full stack. A 403 is
the permission rules doing their job, not a fault; tracebacks of them bury
real errors, and their local frames could carry what the person asked for.
"""

from __future__ import annotations

import logging

QUIET_STATUSES = frozenset({403, 404})


class NoTracebackForRefusals(logging.Filter):
    """Keep the record, drop its traceback, when the response was 403 or 404."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in QUIET_STATUSES:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
