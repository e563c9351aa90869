from django.apps import AppConfig


class IdeasConfig(AppConfig):
    """Spread the word, office hours, ideas and scoping sessions (phases 1 and 2)."""

    name = "community_insights.portal.ideas"
    label = "ideas"
    verbose_name = "Ideas and scoping"
