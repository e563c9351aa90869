from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Organisations, the people who sign in, and the guide's roles."""

    name = "community_insights.portal.people"
    label = "people"
    verbose_name = "People and roles"

    def ready(self) -> None:
        from community_insights.portal.core import navigation
        from community_insights.portal.core.permissions import is_programme_staff
        from community_insights.portal.people import audit_actions, signals  # noqa: F401

        navigation.register(
            "People", "people:person_list", order=60, is_shown=is_programme_staff, active_prefix="/people/"
        )
        navigation.register(
            "Your account",
            "people:account",
            order=80,
            is_shown=lambda user: user.is_authenticated,
            active_prefix="/people/account/",
        )
        navigation.register("Sign in", "account_login", order=90, is_shown=lambda user: not user.is_authenticated)
