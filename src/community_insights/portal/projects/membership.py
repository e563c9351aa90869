"""Project membership: who is on a project, and the scoped reads every area uses to find one.

The guide runs each project with a team drawn from the partner organisations
(the roles of its "Project team" section), overseen by programme staff. Every
area of the portal (the project pages, Phase 2 scoping and selection, the data
safety check) asks the same question first: is this person on this project?
This module is the one place that answers it, so the areas cannot drift apart:

- someone outside a project gets 404 for it and everything under it, so the
  portal never confirms that a private project exists;
- projects belong to a programme: only those of the current programme are
  found at all, so another programme's project answers 404 like a private one;
- programme staff see every project of their programme;
- a person holds zero or more roles on a project (``ProjectRole`` rows); the
  areas' own rules build on :func:`roles_of` and :func:`holds_role`, and on
  :func:`holds_role_anywhere` for the duties that span the programme (the
  facilitator, the advisory panel, information rights).

Where an area needs a different rule to find a project (selection lets the
advisory panel see candidate projects they are not on), it passes that rule to
:func:`project_get_for_user` explicitly rather than writing its own look-up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import rules
from django.db.models import QuerySet
from django.http import Http404

from community_insights.portal.core.permissions import is_programme_staff, is_signed_in
from community_insights.portal.programme.current import current_programme_id
from community_insights.portal.projects.models import Project, ProjectRole

Rule = Callable[[Any, Any], bool]

#: The order the project pages list projects in: by phase of the guide, then by title.
BY_PHASE = ("phase", "title")
#: The order the data areas list projects in: by title alone.
BY_TITLE = ("title",)


def project_of(obj: Any) -> Any:
    """The project of a project, or of anything that belongs to one (a data source, dataset, plan or copy)."""
    if obj is None or isinstance(obj, Project):
        return obj
    if hasattr(obj, "project"):
        return obj.project
    if hasattr(obj, "dataset"):
        return obj.dataset.project
    return None


def roles_of(user: Any, obj: Any) -> frozenset[str]:
    """The role keys ``user`` holds on the project of ``obj``: none for the signed out or deactivated.

    Cached on the project instance, because one page asks several rules about
    the same person and project; a fresh instance (the next request) asks again.
    """
    project = project_of(obj)
    if project is None or not is_signed_in(user) or project.programme_id != current_programme_id():
        # A role on another programme's project counts for nothing while working in this one.
        return frozenset()
    cache: dict[int, frozenset[str]] = project.__dict__.setdefault("_roles_by_user", {})
    if user.pk not in cache:
        cache[user.pk] = frozenset(project.roles.filter(user=user).values_list("role", flat=True))
    return cache[user.pk]


def holds_role(*roles: str) -> Any:
    """A rule: ``user`` holds one of ``roles`` on the project of the object asked about."""
    wanted = frozenset(roles)

    @rules.predicate(name="holds_role_" + "_or_".join(sorted(wanted)))
    def predicate(user: Any, obj: Any) -> bool:
        return bool(roles_of(user, obj) & wanted)

    return predicate


@rules.predicate
def is_project_member(user: Any, obj: Any) -> bool:
    """Holds any role on the project (programme staff alone is not membership: they receive no data)."""
    return bool(roles_of(user, obj))


def holds_role_anywhere(user: Any, *roles: str) -> bool:
    """Holds one of ``roles`` on any project: the programme-wide duties (facilitator, panel, information rights)."""
    if not is_signed_in(user):
        return False
    return ProjectRole.objects.filter(user=user, role__in=roles, project__programme_id=current_programme_id()).exists()


#: See the project and what hangs off it: its team and programme staff.
can_view_project = is_programme_staff | is_project_member


def project_list_for_user(*, user: Any, order_by: Iterable[str] = BY_PHASE) -> QuerySet[Project]:
    """Projects of the current programme ``user`` may see: every one for its staff, else those they are on."""
    qs = Project.objects.select_related("lead_organisation").filter(programme_id=current_programme_id())
    if is_programme_staff(user):
        return qs.order_by(*order_by)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(roles__user=user).distinct().order_by(*order_by)


def project_get_for_user(*, user: Any, slug: str, rule: Rule = can_view_project) -> Project:
    """The project, or 404 when it does not exist or ``rule`` says ``user`` may not see it (never revealed)."""
    project = (
        Project.objects.select_related("lead_organisation")
        .filter(slug=slug, programme_id=current_programme_id())
        .first()
    )
    if project is None or not rule(user, project):
        raise Http404("No such project.")
    return project
