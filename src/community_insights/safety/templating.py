"""The engine's HTML reports, rendered from templates (Jinja2, every value escaped).

Why templates: the check report and the safe-copy report are pages a person reads and signs
off, and their markup is easier to review, and to keep accessible, as HTML than as Python
strings. Why Jinja2 rather than Django's templates: the engine runs without Django. Autoescape
is on, so a value from the data (a column name, a masked example) can never become markup.
The templates are package data in ``safety/templates``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import jinja2
from markupsafe import Markup

from community_insights.safety.combinations import records_share

__all__ = ["render"]


def _examples(values: Sequence[str]) -> Markup | str:
    """Up to three masked examples, each as code, or a dash when there are none."""

    return Markup(" ").join(Markup("<code>{}</code>").format(x) for x in values[:3]) or "–"


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("community_insights.safety", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["thousands"] = lambda n: f"{n:,}"
    # "25,258 (78%)": a count of records with its share of those counted.
    env.filters["share"] = lambda n, total: records_share(n, total, noun=False)
    env.filters["records"] = records_share  # "25,258 records (78%)"
    env.filters["words"] = lambda value: str(value).replace("_", " ").lower()
    env.filters["examples"] = _examples
    return env


def render(template: str, **context: Any) -> str:
    """Render one of the engine's templates with ``context``."""

    return _environment().get_template(template).render(**context)
