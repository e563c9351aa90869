from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every area shares: the audit log, errors, notifications and the page layout."""

    name = "community_insights.portal.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from community_insights.portal.core import navigation, permissions
        from community_insights.portal.core.private_files import private_sqlite

        connection_created.connect(private_sqlite, dispatch_uid="insights-private-sqlite")

        navigation.register("Audit log", "core:audit_log", order=70, is_shown=permissions.can_view_audit_log)
