from django.apps import AppConfig


class SolutionsConfig(AppConfig):
    """The guide's Phase 3 (Develop and test), Part 1, Explore solutions.

    Part 1: Step 1 similar work, Step 2 qualitative research, Step 3 the solutions
    workshop and Step 4 evaluating the options' skills and time against the team.
    Part 2, Step 3: the final checks of each output version before it is shared.
    """

    name = "community_insights.portal.solutions"
    label = "solutions"
    verbose_name = "Develop and test"

    def ready(self) -> None:
        from community_insights.portal.core import jobs
        from community_insights.portal.projects import navigation as project_navigation
        from community_insights.portal.solutions import audit_actions, permissions, progress, services  # noqa: F401

        jobs.register("final_checks", lambda job_id: services.job_run(job_id=job_id))

        project_navigation.register(
            "Develop and test", "solutions:overview", order=60, is_shown=permissions.shows_phase_three
        )
