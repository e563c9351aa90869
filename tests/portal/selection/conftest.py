from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """``with committed(): ...`` runs what the block queued on commit (emails), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
