from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    """Datasets: inventory, upload, data safety check, remedies, sign-off and audit.

    The inventory is data scoping (Phase 2, Part 1, Step 3, agenda item 2); the data safety check
    and its remedies serve Phase 2, Part 2, Step 1 and come back in Phase 3 (Part 1, Step 5 and
    Part 2, Step 2) whenever new data is used.
    """

    name = "community_insights.portal.datasets"
    label = "datasets"
    verbose_name = "Datasets"

    def ready(self) -> None:
        from community_insights.portal.core import jobs, navigation
        from community_insights.portal.datasets import (  # noqa: F401 - declares actions, rules, deploy checks
            audit_actions,
            checks,
            permissions,
            services,
        )

        jobs.register(
            "datasets", lambda job_id: services.job_run(job_id=job_id), recover=lambda: services.retry_stale_jobs()
        )

        navigation.register(
            "Datasets",
            "datasets:overview",
            order=40,
            is_shown=lambda user: bool(getattr(user, "is_authenticated", False)),
        )
        try:
            from community_insights.portal.projects import navigation as project_navigation
        except ImportError:  # pragma: no cover - the projects area always ships it
            return
        project_navigation.register(
            "Data",
            "datasets:inventory",
            order=40,
            is_shown=lambda user, project: permissions.can_view_datasets(user, project),
        )
        project_navigation.register(
            "Data audit trail",
            "datasets:audit",
            order=45,
            is_shown=lambda user, project: permissions.can_view_audit(user, project),
        )
