from django.apps import AppConfig


class IdeasConfig(AppConfig):
    """Spread the word, office hours, ideas and scoping sessions (phases 1 and 2)."""

    name = "community_insights.portal.ideas"
    label = "ideas"
    verbose_name = "Ideas and scoping"

    def ready(self) -> None:
        from community_insights.portal.core import navigation
        from community_insights.portal.ideas import audit_actions, permissions  # noqa: F401 - registers

        navigation.register("News", "ideas:news_list", order=20)
        navigation.register("Office hours", "ideas:office_hours", order=25)
        navigation.register("Ideas", "ideas:idea_list", order=40, is_shown=permissions.is_signed_in)
        navigation.register("Facilitator", "ideas:manage", order=90, is_shown=permissions.is_facilitator)
