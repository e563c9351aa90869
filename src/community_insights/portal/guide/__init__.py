"""The guide: one loader for the guide's words, read from its published version.

The portal follows the Community Insights user guide: its phases and "What we
have achieved" checklists, its roles, the scoping session's agenda, the skills
table, the selection criteria, the next steps after selection, the ways of
working and the insights to actions prompts. They live as one versioned guide in
the database (``guide.GuideVersion``): staff propose a change, read the
difference and publish a new version. Version 1 is the national guide, the YAML
files under ``guide/data/``, which stay as the seed and as the structure every
version keeps (see :mod:`guide.schema`).

Every area reads the guide through :func:`read` and never opens a file or a
version itself. The areas turn the raw data into their own typed shapes
(``projects.phases``, ``ideas.guide``, ``selection.guide``, ``people.roles``)
and cache them with :func:`per_version`, so a published change reaches every
page at once and nothing is re-read in between.

Each programme has its own guide (issue 22): versions are the current
programme's (:mod:`programme.current`), started from the national guide and
changed locally. Which version a programme has published is looked up at most
once per request (and once every few seconds in a worker), because publishing
in one process must reach the others; a version's content never changes, so it
is cached by its digest, and two programmes with the same words share it.
Nothing here touches the database at import time: the stable keys (role keys,
phase numbers) that model fields and permission rules need then come from
:func:`national`.

A checklist anywhere in the guide is a :class:`ChecklistItem`: the phase's
"What we have achieved" lists and the next steps after selection alike.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from community_insights.portal.guide import schema
from community_insights.portal.guide.national import DATA_DIR, SECTION_NAMES, SECTIONS, national, national_content

__all__ = [
    "DATA_DIR",
    "NATIONAL",
    "SECTIONS",
    "SECTION_NAMES",
    "ChecklistItem",
    "Published",
    "content",
    "forget_published",
    "national",
    "national_content",
    "per_version",
    "pin_national",
    "published",
    "read",
]

#: The digest that stands for the national guide when no version is in the database yet.
NATIONAL = "national"

#: How long a process outside a request trusts the published version it last saw.
POINTER_SECONDS = 5.0

T = TypeVar("T")


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to tick off: its key (stored on ticks), the guide's words, and where in the guide it sits.

    ``phase`` is the guide's phase number; ``part`` is the key of the part of
    that phase (or of the named checklist within it) the item belongs to.
    """

    key: str
    text: str
    phase: int
    part: str


@dataclass(frozen=True)
class Published:
    """Which version is published: its number (0 for the national files) and its content's digest."""

    number: int
    digest: str


class _State:
    """The published pointer this process last saw for each programme, when, and the contents read (by digest).

    Pointers are kept by the programme's key; ``None`` stands for the default
    programme (outside a request, with no programme chosen).
    """

    pointers: dict[int | None, tuple[Published, float]] = {}
    pinned: Published | None = None
    contents: dict[str, dict[str, Any]] = {}


def forget_published(**_: Any) -> None:
    """Look the published versions up again on the next read (each request starts here; so does a publish)."""
    _State.pointers = {}


def pin_national(pinned: bool = True) -> None:
    """Read the national files without asking the database (tests that have no database use this)."""
    _State.pinned = Published(0, NATIONAL) if pinned else None


def published() -> Published:
    """The current programme's published version (number, digest): looked up once per request or few seconds."""
    if _State.pinned is not None:
        return _State.pinned
    from community_insights.portal.programme.current import chosen_programme_id

    key = chosen_programme_id()
    now = time.monotonic()
    seen = _State.pointers.get(key)
    if seen is None or now - seen[1] > POINTER_SECONDS:
        seen = (_look_up(), now)
        _State.pointers[key] = seen
    return seen[0]


def _look_up() -> Published:
    """The current programme's newest published version; the national guide when it has none yet."""
    from django.db import DatabaseError, connection

    from community_insights.portal.guide.models import GuideVersion
    from community_insights.portal.programme.current import current_programme_id

    try:
        row = (
            GuideVersion.objects.filter(status=GuideVersion.Status.PUBLISHED, programme_id=current_programme_id())
            .order_by("-number")
            .values_list("number", "digest")
            .first()
        )
    except DatabaseError:
        if GuideVersion._meta.db_table in connection.introspection.table_names():
            raise  # a real failure, not a database still being migrated
        row = None  # before the guide's table exists (migrating a new database): the national guide
    return Published(int(row[0] or 0), row[1]) if row else Published(0, NATIONAL)


def content() -> dict[str, Any]:
    """The published version's whole content (one entry per section), read once per version."""
    pointer = published()
    if pointer.digest not in _State.contents:
        if pointer.digest == NATIONAL:
            _State.contents[pointer.digest] = national_content()
        else:
            from community_insights.portal.guide.models import GuideVersion

            # The digest names the words: programmes whose versions say the same share one row's content.
            version = GuideVersion.objects.only("content").filter(digest=pointer.digest).first()
            if version is None:
                raise GuideVersion.DoesNotExist(f"No version of the guide has the digest {pointer.digest}.")
            schema.validate(version.content)  # every write checks it too; a row changed by hand fails here, loudly
            _State.contents[pointer.digest] = version.content
    return _State.contents[pointer.digest]


def read(name: str) -> Any:
    """The current programme's published guide: its section ``name`` (a data file's name, without ``.yaml``)."""
    if name not in SECTION_NAMES:
        raise KeyError(f"The guide has no data file called {name!r}.")
    return content()[name]


def per_version(func: Callable[..., T]) -> Callable[..., T]:
    """Cache ``func``'s result per published version (and arguments), so a publish reaches it at once."""
    results: dict[tuple[str, tuple[Any, ...]], T] = {}

    @wraps(func)
    def wrapper(*args: Any) -> T:
        key = (published().digest, args)
        if key not in results:
            if len(results) > 64:  # old versions' shapes are never read again
                results.clear()
            results[key] = func(*args)
        return results[key]

    return wrapper
