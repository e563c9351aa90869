from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    """Projects, their teams and where each stands in the guide's four phases."""

    name = "community_insights.portal.projects"
    label = "projects"
    verbose_name = "Projects"
