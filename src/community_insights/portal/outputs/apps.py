from django.apps import AppConfig


class OutputsConfig(AppConfig):
    """Outputs: safe tables, charts and maps built from approved safe copies, checked and signed off."""

    name = "community_insights.portal.outputs"
    label = "outputs"
    verbose_name = "Outputs"

    def ready(self) -> None:
        from community_insights.portal.core import jobs
        from community_insights.portal.outputs import audit_actions, permissions, services  # noqa: F401 - actions, rules

        jobs.register(
            "outputs", lambda job_id: services.job_run(job_id=job_id), recover=lambda: services.retry_stale_jobs()
        )

        try:
            from community_insights.portal.projects import navigation as project_navigation
        except ImportError:  # pragma: no cover - the projects area always ships it
            return
        project_navigation.register(
            "Outputs",
            "outputs:project_outputs",
            order=50,
            is_shown=lambda user, project: permissions.can_view_outputs(user, project),
        )
