from django.apps import AppConfig


class SelectionConfig(AppConfig):
    """People and skills, sharing the evaluation, and selecting a project (phase 2)."""

    name = "community_insights.portal.selection"
    label = "selection"
    verbose_name = "Evaluation and selection"

    def ready(self) -> None:
        from community_insights.portal.core import navigation
        from community_insights.portal.programme import landing
        from community_insights.portal.selection import audit_actions, permissions  # noqa: F401 - registers

        navigation.register("Selection", "selection:overview", order=45, is_shown=permissions.can_view_selection)
        # Selected projects on the landing page, in this area's own words and markup.
        landing.register(
            "selected_projects",
            title="Selected projects",
            template="selection/includes/landing_selected_projects.html",
            order=40,
        )
