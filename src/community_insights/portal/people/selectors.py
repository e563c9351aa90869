"""Reads for organisations, people and invitations."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from community_insights.portal.people.models import Invitation, Organisation, User
from community_insights.portal.programme.current import current_programme_id, people_of


def token_hash(token: str) -> str:
    """Invitation tokens are stored only as a hash, so a copy of the database cannot be used to sign up."""
    return hashlib.sha256(token.encode()).hexdigest()


def organisations_here() -> QuerySet[Organisation]:
    """The current programme's organisations: the ones it works with, never another programme's alone.

    An organisation is the programme's when its staff added it or invited someone
    from it (``Organisation.programmes``), or when one of its people belongs to the
    programme (a membership, or a role on one of its projects), however they came.
    Subqueries rather than joins, so each organisation is one row and counts stay true.
    """
    return organisations_of(current_programme_id())


def organisations_of(programme_id: int) -> QuerySet[Organisation]:
    """A programme's organisations, by its key (the complete export names the programme)."""
    linked = Organisation.programmes.through.objects.filter(programme_id=programme_id).values("organisation_id")
    with_people_here = User.objects.filter(people_of(programme_id)).values("organisation_id")
    return Organisation.objects.filter(Q(pk__in=linked) | Q(pk__in=with_people_here))


def _people_here() -> QuerySet[User]:
    return User.objects.filter(people_of(current_programme_id()))


def organisation_list() -> QuerySet[Organisation]:
    """The current programme's organisations, each counting only its active people in this programme."""
    here = _people_here().values("pk")
    return (
        organisations_here()
        .annotate(member_count=Count("members", filter=Q(members__is_active=True, members__pk__in=here)))
        .order_by("kind", "name")
    )


def organisation_get(*, organisation_id: int) -> Organisation:
    """One of the current programme's organisations; any other answers 404, as everything of another programme."""
    org = organisations_here().filter(pk=organisation_id).first()
    if org is None:
        raise Http404("No such organisation.")
    return org


def organisation_members(*, organisation: Organisation) -> QuerySet[User]:
    """Its active people who belong to the current programme (its people elsewhere stay out of sight)."""
    return organisation.members.filter(is_active=True, pk__in=_people_here().values("pk")).order_by(
        "full_name", "email"
    )


def user_list(*, query: str = "", include_inactive: bool = True) -> QuerySet[User]:
    qs = (
        User.objects.filter(people_of(current_programme_id()))
        .distinct()
        .select_related("organisation")
        .order_by("-is_active", "full_name", "email")
    )
    if query:
        qs = qs.filter(
            Q(full_name__icontains=query) | Q(email__icontains=query) | Q(organisation__name__icontains=query)
        )
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs


def user_get(*, user_id: int) -> User:
    user = user_list().filter(pk=user_id).first()
    if user is None:
        raise Http404("No such person.")
    return user


def invitation_pending_list() -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        programme_id=current_programme_id(), accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("organisation", "invited_by")


def invitation_get_by_token(*, token: str) -> Invitation | None:
    """The invitation a link carries, when it is still open (not used, not expired)."""
    if not token or len(token) > 200:
        return None
    return (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=token_hash(token), accepted_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


def user_projects(*, user: Any) -> list[Any]:
    from community_insights.portal.projects.models import ProjectRole

    return list(ProjectRole.objects.filter(user=user).select_related("project").order_by("project__title", "role"))


def invitation_initial(query: Any) -> dict[str, Any]:
    """The invitation form filled in from a link (an office hours booking or a take-part form).

    ``organisation_name`` picks the organisation of that name when the portal knows
    it, and otherwise fills in the new organisation's name.
    """
    initial: dict[str, Any] = {key: query.get(key) for key in ("full_name", "email") if query.get(key)}
    if str(query.get("organisation", "")).isdigit():
        initial["organisation"] = int(query["organisation"])
    name = " ".join(str(query.get("organisation_name", "")).split())
    if name and "organisation" not in initial:
        known = organisations_here().filter(name__iexact=name).first()
        if known is not None:
            initial["organisation"] = known.pk
        else:
            initial["new_organisation_name"] = name
    return initial
