from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every area shares: the audit log, errors, notifications and the page layout."""

    name = "community_insights.portal.core"
    label = "core"
    verbose_name = "Core"
