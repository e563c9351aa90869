from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    """Projects, their teams and where each stands in the guide's four phases."""

    name = "community_insights.portal.projects"
    label = "projects"
    verbose_name = "Projects"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from community_insights.portal.core import navigation
        from community_insights.portal.core.models import AuditEntry
        from community_insights.portal.projects import audit_actions, autotick  # noqa: F401
        from community_insights.portal.projects import navigation as project_navigation

        navigation.register("Projects", "projects:project_list", order=20, is_shown=lambda user: user.is_authenticated)
        project_navigation.register("Overview", "projects:project_detail", order=10)
        project_navigation.register("Phases and checklists", "projects:project_phases", order=20)
        project_navigation.register("Team", "projects:project_team", order=30)
        # Checklist items tick themselves from the audit entries that prove them (projects.autotick).
        post_save.connect(autotick.on_audit_entry, sender=AuditEntry, dispatch_uid="projects.autotick")
