"""Which programme a request, a task or a command is working in.

Every selector filters by the current programme, so this module is the one
place that decides it. In a request the middleware sets it: the programme of
the domain the request came to (``INSIGHTS_PROGRAMME_DOMAINS``), otherwise
the programme a followed email link names (``?programme=<short name>``) if
the person belongs to it (it becomes their choice, as if switched), otherwise
the one the person chose with the switcher (kept in the session) if they
belong to it, otherwise their first programme, otherwise the default one (the
oldest). Outside a request (the command line, background tasks, tests) it is
the default programme unless code says otherwise with :func:`using`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from community_insights.portal.programme.models import Programme, ProgrammeMembership

SESSION_KEY = "insights_programme_id"
#: The query parameter by which a link in an email or digest names its programme (``core.notifications``).
LINK_PARAMETER = "programme"

_current: ContextVar[Programme | None] = ContextVar("insights_programme", default=None)


def default_programme() -> Programme:
    """The oldest programme: the one a single-programme installation has always had.

    Made by a migration, so it exists; an empty database (a test that removed
    it) gets an unsaved one with the defaults rather than a write on a read.
    """
    return Programme.objects.order_by("pk").first() or Programme(slug="community-insights")


def current_programme() -> Programme:
    """The programme being worked in now."""
    programme = _current.get()
    return programme if programme is not None else default_programme()


def chosen_programme_id() -> int | None:
    """The programme a request, task or block chose, without asking the database; ``None`` means the default one.

    For readers that cache per programme on every call (the guide's loader): the
    default programme's key costs a query, so they ask for it only on a miss.
    """
    programme = _current.get()
    return None if programme is None or programme.pk is None else int(programme.pk)


#: No programme exists yet (an empty database): a key no row has, so every filter by it matches nothing.
NO_PROGRAMME = 0


def current_programme_id() -> int:
    """The current programme's key: the default of every ``programme`` field, so new rows land in it.

    Reads only the key (never the whole row), because migrations call it while
    the programme table may not yet have a later migration's columns.
    """
    programme = _current.get()
    if programme is not None and programme.pk is not None:
        return int(programme.pk)
    first = Programme.objects.order_by("pk").values_list("pk", flat=True).first()
    return NO_PROGRAMME if first is None else int(first)


@contextmanager
def using(programme: Programme) -> Iterator[Programme]:
    """Work in ``programme`` for the length of the block (a programme's landing page, a task, demo data)."""
    token = _current.set(programme)
    try:
        yield programme
    finally:
        _current.reset(token)


def programmes_of(user: Any) -> QuerySet[Programme]:
    """The programmes a person belongs to: a membership, or a role on one of its projects."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return Programme.objects.none()
    return Programme.objects.filter(Q(memberships__user=user) | Q(projects__roles__user=user)).distinct().order_by("pk")


#: The links from a record towards its programme, tried in order (a version's output's project, ...).
_TOWARDS_PROGRAMME = ("project", "dataset", "output", "version", "plan", "meeting", "idea", "session", "slot", "source")


def programme_id_of(obj: Any, depth: int = 4) -> int | None:
    """The programme a record belongs to, or ``None`` for one that is the installation's (a person, an organisation).

    Walks the record's links to its project (``version.output.project``) and reads
    the programme there, so a rule can refuse a record of another programme
    whatever area it comes from.
    """
    if obj is None or depth == 0:
        return None
    if isinstance(obj, Programme):
        return obj.pk
    own = getattr(obj, "programme_id", None)
    if own is not None:
        return int(own)
    for name in _TOWARDS_PROGRAMME:
        try:
            linked = getattr(obj, name, None)
        except ObjectDoesNotExist:  # a missing one-to-one link: nothing to follow
            linked = None
        found = programme_id_of(linked, depth - 1) if linked is not None and linked is not obj else None
        if found is not None:
            return found
    return None


def belongs_here(obj: Any) -> bool:
    """Whether ``obj`` is of the current programme (or of no programme in particular)."""
    found = programme_id_of(obj)
    return found is None or found == current_programme_id()


def people_of(programme_id: int | None) -> Q:
    """A filter on accounts: the people of a programme (a membership, or a role on one of its projects)."""
    return Q(programme_memberships__programme_id=programme_id) | Q(project_roles__project__programme_id=programme_id)


def is_staff_of(user: Any, programme: Programme) -> bool:
    """Programme staff of ``programme``: a staff membership of that programme, nothing wider."""
    if not (getattr(user, "is_authenticated", False) and user.is_active) or programme.pk is None:
        return False
    # Cached on the programme instance (one per request), as project roles are: a page asks often.
    cache: dict[int, bool] = programme.__dict__.setdefault("_staff_by_user", {})
    if user.pk not in cache:
        cache[user.pk] = ProgrammeMembership.objects.filter(
            programme=programme, user=user, role=ProgrammeMembership.Role.STAFF
        ).exists()
    return cache[user.pk]


def _domain_programme(request: HttpRequest) -> Programme | None:
    """The programme whose own domain the request came to, if the setting names one."""
    slug = dict(getattr(settings, "INSIGHTS_PROGRAMME_DOMAINS", {})).get(request.get_host().split(":")[0].lower())
    return Programme.objects.filter(slug=slug).first() if slug else None


def served_by_domain(request: HttpRequest) -> bool:
    """Whether the request came to a programme's own domain (then ``/`` is that programme's page)."""
    return _domain_programme(request) is not None


def _followed_link(request: HttpRequest, mine: QuerySet[Programme]) -> Programme | None:
    """The programme an email's link names (``?programme=<short name>``), if the person belongs to it.

    Anyone else (a visitor, a person of other programmes) is answered as if the
    link named nothing, so the page they reach says no more than it would have.
    """
    slug = request.GET.get(LINK_PARAMETER, "") if request.method in ("GET", "HEAD") else ""
    if not slug or not getattr(request.user, "is_authenticated", False) or not hasattr(request, "session"):
        return None
    return mine.filter(slug=slug).first()


def resolve(request: HttpRequest) -> Programme:
    """The programme for this request (see the module's words for the order)."""
    by_domain = _domain_programme(request)
    if by_domain is not None:
        return by_domain
    mine = programmes_of(request.user)
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    usual = (mine.filter(pk=chosen).first() if chosen is not None else None) or mine.first()
    followed = _followed_link(request, mine)
    if followed is not None:
        request.session[SESSION_KEY] = followed.pk  # as if switched: it stays the choice afterwards
        if usual is None or usual.pk != followed.pk:
            switched(request, followed)
        return followed
    return usual or default_programme()


def choose(request: HttpRequest, programme: Programme) -> bool:
    """Remember ``programme`` as the person's current one, if they belong to it."""
    if not programmes_of(request.user).filter(pk=programme.pk).exists():
        return False
    request.session[SESSION_KEY] = programme.pk
    return True


def switched(request: HttpRequest, programme: Programme) -> None:
    """Tell the person they now work in ``programme``: the switcher and an email's link say it alike."""
    messages.success(request, f"You are now working in {programme.name}.", fail_silently=True)


def _address_without_link_parameter(request: HttpRequest) -> str | None:
    """Where a signed-in person who followed an email's link is sent once the link has been read.

    The link's programme is taken once (as if switched); left in the address, a
    reload or a bookmark made days later would switch the person back. Members
    and non-members are sent on alike, so the answer says nothing about the
    programme; a visitor keeps it until sign-in, and a programme's own domain
    never reads it.
    """
    if (
        request.method not in ("GET", "HEAD")
        or LINK_PARAMETER not in request.GET
        or not getattr(request.user, "is_authenticated", False)
        or served_by_domain(request)
    ):
        return None
    query = request.GET.copy()
    query.pop(LINK_PARAMETER)
    return f"{request.path}?{query.urlencode()}" if query else request.path


class CurrentProgrammeMiddleware:
    """Set the current programme for the length of each request (after sign-in is known)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        programme = resolve(request)
        clean = _address_without_link_parameter(request)
        if clean is not None:
            return HttpResponseRedirect(clean)
        request.programme = programme  # type: ignore[attr-defined]
        with using(programme):
            return self.get_response(request)
