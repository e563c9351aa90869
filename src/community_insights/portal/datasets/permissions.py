"""Who may do what with a project's data sources, datasets, remedy plans and safe copies.

Named predicates (django-rules); views, templates, services and navigation all
ask these. The rules follow the guide's data safety check:

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

ANALYST_ROLES = ("data_analyst",)
INVENTORY_EDITOR_ROLES = ("facilitator", "delivery_lead", "data_analyst", "information_rights", "contracts_legal")
SIGN_OFF_ROLES = ("information_rights",)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _roles_on(user: Any, project: Any) -> set[str]:
    if not _signed_in(user) or project is None:
        return set()
    from community_insights.portal.projects.models import ProjectRole

    return set(ProjectRole.objects.filter(user=user, project_id=project.pk).values_list("role", flat=True))


def _project_of(obj: Any) -> Any:
    """The project of a project, data source, dataset, plan or safe copy."""
    if obj is None:
        return None
    if obj.__class__.__name__ == "Project":
        return obj
    if hasattr(obj, "project"):
        return obj.project
    if hasattr(obj, "dataset"):
        return obj.dataset.project
    return None


def _owner_org_id(obj: Any) -> int | None:
    if obj.__class__.__name__ == "DataSource":
        return obj.owner_organisation_id  # type: ignore[no-any-return]
    if hasattr(obj, "source"):
        return obj.source.owner_organisation_id  # type: ignore[no-any-return]
    if hasattr(obj, "dataset"):
        return obj.dataset.source.owner_organisation_id  # type: ignore[no-any-return]
    return None


@rules.predicate
def is_project_member(user: Any, obj: Any) -> bool:
    """Anyone holding a role on the project, or programme staff."""
    if not _signed_in(user):
        return False
    return bool(user.is_staff) or bool(_roles_on(user, _project_of(obj)))


@rules.predicate
def is_on_project_team(user: Any, obj: Any) -> bool:
    """Holds a role on the project (staff alone is not enough to receive data)."""
    return bool(_roles_on(user, _project_of(obj)))


@rules.predicate
def is_project_analyst(user: Any, obj: Any) -> bool:
    return bool(_roles_on(user, _project_of(obj)) & set(ANALYST_ROLES))


@rules.predicate
def is_information_rights(user: Any, obj: Any) -> bool:
    return bool(_roles_on(user, _project_of(obj)) & set(SIGN_OFF_ROLES))


@rules.predicate
def is_inventory_editor(user: Any, obj: Any) -> bool:
    return bool(user.is_staff if _signed_in(user) else False) or bool(
        _roles_on(user, _project_of(obj)) & set(INVENTORY_EDITOR_ROLES)
    )


@rules.predicate
def is_owner_member(user: Any, obj: Any) -> bool:
    """A member of the organisation that owns the data."""
    if not _signed_in(user) or obj is None:
        return False
    owner = _owner_org_id(obj)
    return owner is not None and owner == user.organisation_id


@rules.predicate
def is_plan_author(user: Any, plan: Any) -> bool:
    return plan is not None and _signed_in(user) and plan.created_by_id == user.pk


@rules.predicate
def is_any_information_rights(user: Any) -> bool:
    """Holds the information rights role on any project (the programme-wide key is theirs to rotate)."""
    if not _signed_in(user):
        return False
    from community_insights.portal.projects.models import ProjectRole

    return ProjectRole.objects.filter(user=user, role__in=SIGN_OFF_ROLES).exists()


# -- the rules views, services and templates ask ------------------------------------------------

can_view_datasets = is_project_member
can_edit_inventory = is_inventory_editor
can_upload_dataset = is_on_project_team & is_owner_member
can_work_on_dataset = is_project_analyst | (is_on_project_team & is_owner_member)
can_download_raw = is_project_analyst & is_owner_member
can_download_safe_copy = is_on_project_team
can_sign_off = is_information_rights
can_view_audit = is_information_rights
can_delete_dataset = (is_project_analyst & is_owner_member) | is_information_rights
can_rotate_key = is_any_information_rights


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
