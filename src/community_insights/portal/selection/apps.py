from django.apps import AppConfig


class SelectionConfig(AppConfig):
    """People and skills, sharing the evaluation, and selecting a project (phase 2)."""

    name = "community_insights.portal.selection"
    label = "selection"
    verbose_name = "Evaluation and selection"
