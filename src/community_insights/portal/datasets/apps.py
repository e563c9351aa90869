from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    """Datasets: inventory, upload, data safety check, remedies, sign-off and audit."""

    name = "community_insights.portal.datasets"
    label = "datasets"
    verbose_name = "Datasets"
