from django.apps import AppConfig


class SelectionConfig(AppConfig):
    """Phase 2, Parts 2 and 3 of the guide: evaluate a scoped idea, then select a project.

    Part 2: the people and skills it needs and the shared evaluation (its data safety check runs
    in ``datasets``); Part 3: the panel's scores, the decision, and the next steps (mobilise the
    team, communicate the selected project).
    """

    name = "community_insights.portal.selection"
    label = "selection"
    verbose_name = "Evaluation and selection"

    def ready(self) -> None:
        from community_insights.portal.core import navigation
        from community_insights.portal.programme import landing
        from community_insights.portal.selection import audit_actions, permissions, public  # noqa: F401 - registers

        navigation.register("Selection", "selection:overview", order=45, is_shown=permissions.can_view_selection)
        # Selected projects on the landing page, in this area's own words and markup.
        landing.register(
            "selected_projects",
            title="Selected projects",
            template="selection/includes/landing_selected_projects.html",
            order=40,
            context=public.landing_context,
        )
