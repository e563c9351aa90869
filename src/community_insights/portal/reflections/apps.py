from django.apps import AppConfig


class ReflectionsConfig(AppConfig):
    """Project reflections (Phase 4, Step 2, with the questions of Step 4 "Update this guide").

    Each core-team member answers a short survey, and the team adds cards to a retrospective board;
    the answers are summarised for the team so they can feed the next version of the guide.
    """

    name = "community_insights.portal.reflections"
    label = "reflections"
    verbose_name = "Project reflections"

    def ready(self) -> None:
        from community_insights.portal.projects import navigation as project_navigation
        from community_insights.portal.reflections import audit_actions, permissions  # noqa: F401 - registers

        project_navigation.register(
            "Reflections", "reflections:summary", order=80, is_shown=permissions.can_view_reflections
        )
