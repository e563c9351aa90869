"""Audit actions of the projects area."""

from community_insights.portal.core.audit import declare

declare(
    **{
        "projects.project_create": "Created a project",
        "projects.project_update": "Changed a project's details",
        "projects.project_set_selection": "Recorded whether a project is selected and shown publicly",
        "projects.project_advance_phase": "Moved a project to its next phase",
        "projects.project_role_assign": "Gave someone a role on a project",
        "projects.project_role_update": "Changed the days planned for a role",
        "projects.project_role_remove": "Took someone off a project's team",
        "projects.project_close": "Closed a project at the end of its last phase",
        "projects.checklist_item_tick": "Ticked a checklist item",
        "projects.checklist_item_untick": "Unticked a checklist item",
    }
)
