from django.apps import AppConfig


class SolutionsConfig(AppConfig):
    """The guide's Phase 3 (Develop and test), Part 1, Explore solutions.

    Step 1 similar work, Step 2 qualitative research, Step 3 the solutions workshop
    and Step 4 evaluating the options' skills and time against the team.
    """

    name = "community_insights.portal.solutions"
    label = "solutions"
    verbose_name = "Develop and test"

    def ready(self) -> None:
        from community_insights.portal.projects import navigation as project_navigation
        from community_insights.portal.solutions import audit_actions, permissions, progress  # noqa: F401 - registers

        project_navigation.register(
            "Develop and test", "solutions:overview", order=60, is_shown=permissions.shows_phase_three
        )
