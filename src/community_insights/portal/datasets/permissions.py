"""Who may do what with a project's data sources, datasets, remedy plans and safe copies.

Named predicates (django-rules); views, templates, services and navigation all
ask these. Membership itself (who is on the project) comes from
``projects.membership``. The rules follow the guide's data safety check
(Phase 2, Part 2, Step 1 "Data safety check"):

- the project team sees the inventory and, once signed off, the safe copy;
- only a member of the organisation that owns the data uploads it, and only
  that organisation's analysts may download the raw file;
- the project's analysts run the check, review findings and edit the plan;
- the information rights expert signs the plan off and reads the audit trail,
  and may not sign off a plan they wrote themselves.
"""

from __future__ import annotations

from typing import Any

import rules

from community_insights.portal.core.permissions import is_programme_staff, is_signed_in
from community_insights.portal.programme.current import belongs_here
from community_insights.portal.projects.membership import (
    can_view_project,
    holds_role,
    holds_role_anywhere,
    is_project_member,
    project_of,
)

ANALYST_ROLES = ("data_analyst",)
INVENTORY_EDITOR_ROLES = ("facilitator", "delivery_lead", "data_analyst", "information_rights", "contracts_legal")
SIGN_OFF_ROLES = ("information_rights",)


def _owner_org_id(obj: Any) -> int | None:
    if obj.__class__.__name__ == "DataSource":
        return obj.owner_organisation_id  # type: ignore[no-any-return]
    if hasattr(obj, "source"):
        return obj.source.owner_organisation_id  # type: ignore[no-any-return]
    if hasattr(obj, "dataset"):
        return obj.dataset.source.owner_organisation_id  # type: ignore[no-any-return]
    return None


#: Holds a role on the project (programme staff alone is not enough to receive data).
is_on_project_team = is_project_member
is_project_analyst = holds_role(*ANALYST_ROLES)
is_information_rights = holds_role(*SIGN_OFF_ROLES)
is_inventory_editor = is_programme_staff | holds_role(*INVENTORY_EDITOR_ROLES)


@rules.predicate
def is_owner_member(user: Any, obj: Any) -> bool:
    """A member of the organisation that owns the data."""
    if not is_signed_in(user) or obj is None:
        return False
    owner = _owner_org_id(obj)
    return owner is not None and owner == user.organisation_id


@rules.predicate
def is_plan_author(user: Any, plan: Any) -> bool:
    return plan is not None and is_signed_in(user) and plan.created_by_id == user.pk


@rules.predicate
def is_any_information_rights(user: Any) -> bool:
    """Holds the information rights role on any project (the programme-wide key is theirs to rotate)."""
    return holds_role_anywhere(user, *SIGN_OFF_ROLES)


@rules.predicate
def is_programme_information_rights(user: Any, obj: Any) -> bool:
    """The programme's information rights officers stand in where a project has nobody to sign off.

    They are the people who hold the information rights role on any project. On a
    project whose only information rights members wrote the plan in question (or
    that has none), they may read its datasets and audit trail and sign it off;
    a project with its own information rights member stays that member's.
    """
    project = project_of(obj)
    if project is None or not belongs_here(project) or not is_any_information_rights(user):
        return False
    from community_insights.portal.projects.models import ProjectRole

    members = ProjectRole.objects.filter(project_id=project.pk, role__in=SIGN_OFF_ROLES, user__is_active=True)
    author = getattr(obj, "created_by_id", None) if obj.__class__.__name__ == "RemedyPlanVersion" else None
    if author is not None:
        members = members.exclude(user_id=author)
    return not members.exists()


# -- the rules views, services and templates ask ------------------------------------------------

can_view_datasets = can_view_project | is_programme_information_rights
can_edit_inventory = is_inventory_editor
can_upload_dataset = is_on_project_team & is_owner_member
can_work_on_dataset = is_project_analyst | (is_on_project_team & is_owner_member)
can_download_raw = is_project_analyst & is_owner_member
can_download_safe_copy = is_on_project_team
can_sign_off = is_information_rights | is_programme_information_rights
can_view_audit = is_information_rights | is_programme_information_rights
can_delete_dataset = (is_project_analyst & is_owner_member) | is_information_rights
can_rotate_key = is_any_information_rights
#: The programme's information rights officers propose, read and approve its key sharing agreements.
can_manage_key_agreements = is_any_information_rights


def can_sign_off_plan(user: Any, plan: Any) -> bool:
    """Information rights on the project, and not the person who wrote this version of the plan."""
    return bool(can_sign_off(user, plan)) and not is_plan_author(user, plan)


rules.add_perm("datasets.view_datasets", can_view_datasets)
rules.add_perm("datasets.edit_inventory", can_edit_inventory)
rules.add_perm("datasets.upload_dataset", can_upload_dataset)
rules.add_perm("datasets.work_on_dataset", can_work_on_dataset)
rules.add_perm("datasets.download_raw", can_download_raw)
rules.add_perm("datasets.download_safe_copy", can_download_safe_copy)
rules.add_perm("datasets.sign_off", can_sign_off)
rules.add_perm("datasets.view_audit", can_view_audit)
rules.add_perm("datasets.delete_dataset", can_delete_dataset)
rules.add_perm("datasets.rotate_key", can_rotate_key)
rules.add_perm("datasets.manage_key_agreements", can_manage_key_agreements)
