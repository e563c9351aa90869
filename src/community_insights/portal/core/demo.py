"""``insights demo``: a believable demo programme, loaded idempotently, area by area.

Each area of the portal may have a ``demo.py`` with ``load(context)``; they run
in ``INSTALLED_APPS`` order (people before projects before datasets ...), each
in its own transaction, and each must be safe to run again: look objects up by
a natural key (an email address, an organisation's name, a project's title)
before creating them. Areas add what they create to ``context`` so later areas
can build on it (``context.projects["young_carers"]``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction

DEMO_PASSWORD = "community-insights-demo"  # noqa: S105 - documented demo sign-in, local use only


@dataclass
class DemoContext:
    """What the demo has loaded so far, by key, for the next area to build on."""

    password: str = DEMO_PASSWORD
    organisations: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    projects: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    log: Callable[[str], None] = lambda message: None

    @property
    def staff(self) -> Any:
        """The programme administrator who performs the demo's staff actions."""
        return self.users["programme_manager"]


def demo_modules() -> list[Any]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("community_insights.portal."):
            continue
        name = f"{config.name}.demo"
        if config.name.endswith(".core"):
            continue
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules


def load_demo(*, password: str = DEMO_PASSWORD, log: Callable[[str], None] = lambda m: None) -> DemoContext:
    """Load every area's demo data (safe to run again: nothing is duplicated)."""
    context = DemoContext(password=password, log=log)
    for module in demo_modules():
        with transaction.atomic():
            module.load(context)
        log(f"Loaded demo data: {module.__name__.rsplit('.', 2)[-2]}")
    return context
