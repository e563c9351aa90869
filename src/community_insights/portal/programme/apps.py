from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    """The programme and its public landing page."""

    name = "community_insights.portal.programme"
    label = "programme"
    verbose_name = "Programme"
