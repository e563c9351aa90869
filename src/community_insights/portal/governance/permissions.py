"""Who may read, edit, approve and sign the DPIA and the sharing agreements (named rules, django-rules).

- the project team and programme staff read them (they hold no raw data);
- the roles that run the project or look after its data draft and edit them;
- only the project's information rights expert decides on a DPIA version;
- a person signs an agreement for their own organisation, when it is a party and they are on the team.
"""

from __future__ import annotations

from typing import Any

import rules

from community_insights.portal.core.permissions import is_programme_staff, is_signed_in
from community_insights.portal.projects.membership import (
    can_view_project,
    holds_role,
    holds_role_anywhere,
    is_project_member,
)

EDITOR_ROLES = ("facilitator", "delivery_lead", "data_analyst", "information_rights", "contracts_legal")
AGREEMENT_ROLES = ("facilitator", "delivery_lead", "information_rights", "contracts_legal")
DECIDER_ROLES = ("information_rights",)

can_view_governance = can_view_project
can_edit_dpia = holds_role(*EDITOR_ROLES)
can_decide_dpia = holds_role(*DECIDER_ROLES)
can_edit_agreement = holds_role(*AGREEMENT_ROLES)
can_view_overview = is_programme_staff | holds_role(*DECIDER_ROLES)


@rules.predicate
def is_party_member(user: Any, agreement: Any) -> bool:
    """Works for one of the organisations that must sign the agreement."""
    if not is_signed_in(user) or agreement is None or user.organisation_id is None:
        return False
    party_ids = {agreement.source.owner_organisation_id, *agreement.recipients.values_list("pk", flat=True)}
    return user.organisation_id in party_ids


can_sign_agreement = is_project_member & is_party_member


def can_open_overview(user: Any) -> bool:
    """The page of what is missing: programme staff and anyone who is information rights on a project."""
    return bool(is_programme_staff(user)) or holds_role_anywhere(user, *DECIDER_ROLES)


rules.add_perm("governance.view", can_view_governance)
rules.add_perm("governance.edit_dpia", can_edit_dpia)
rules.add_perm("governance.decide_dpia", can_decide_dpia)
rules.add_perm("governance.edit_agreement", can_edit_agreement)
rules.add_perm("governance.sign_agreement", can_sign_agreement)
