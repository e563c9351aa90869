from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Organisations, the people who sign in, and the guide's roles."""

    name = "community_insights.portal.people"
    label = "people"
    verbose_name = "People and roles"
