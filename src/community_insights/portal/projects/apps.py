from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    """Projects, their teams and where each stands in the guide's four phases."""

    name = "community_insights.portal.projects"
    label = "projects"
    verbose_name = "Projects"

    def ready(self) -> None:
        from community_insights.portal.core import navigation
        from community_insights.portal.projects import audit_actions  # noqa: F401
        from community_insights.portal.projects import navigation as project_navigation

        navigation.register("Projects", "projects:project_list", order=20, is_shown=lambda user: user.is_authenticated)
        project_navigation.register("Overview", "projects:project_detail", order=10)
        project_navigation.register("Phases and checklists", "projects:project_phases", order=20)
        project_navigation.register("Team", "projects:project_team", order=30)
