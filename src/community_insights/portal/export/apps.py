from django.apps import AppConfig


class ExportConfig(AppConfig):
    """The programme's complete export: its whole record as one ZIP, for staff, when they leave or archive."""

    name = "community_insights.portal.export"
    label = "export"
    verbose_name = "Complete export"

    def ready(self) -> None:
        from community_insights.portal.core import jobs, navigation
        from community_insights.portal.export import audit_actions, permissions  # noqa: F401 - declares actions, rules
        from community_insights.portal.export import jobs as export_jobs

        jobs.register(export_jobs.AREA, export_jobs.run, recover=lambda: export_jobs.retry_stale())
        navigation.register("Export", "export:export_list", order=75, is_shown=permissions.can_export_programme)
