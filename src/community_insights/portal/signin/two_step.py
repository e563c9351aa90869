"""Who must use two-step sign-in: local accounts of programme staff and information rights officers.

Why these people: staff manage every account and project, and information rights
officers sign off raw data and outputs, so a guessed or reused password of theirs
would open the most. Council colleagues who sign in through their council's
provider are covered by the council's own two-step rules, so the portal asks only
accounts with a password of their own here. Everyone else may turn it on.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings

from community_insights.portal.core.permissions import is_signed_in

INFORMATION_RIGHTS = "information_rights"


def two_step_required(user: Any) -> bool:
    """Whether this person's account must have an authenticator app before they do anything else."""
    if not settings.INSIGHTS_REQUIRE_TWO_STEP or not is_signed_in(user) or not user.has_usable_password():
        return False
    # Staff of any programme, not only of the one being worked in: the account is the same in each,
    # and this is asked before the request's programme is known.
    from community_insights.portal.programme.models import ProgrammeMembership

    if ProgrammeMembership.objects.filter(user=user, role=ProgrammeMembership.Role.STAFF).exists():
        return True
    from community_insights.portal.projects.models import ProjectRole

    return ProjectRole.objects.filter(user=user, role=INFORMATION_RIGHTS).exists()


def has_two_step(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def must_set_up_two_step(user: Any) -> bool:
    return two_step_required(user) and not has_two_step(user)
