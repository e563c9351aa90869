from django.apps import AppConfig


class SignInConfig(AppConfig):
    """Council sign-in through OpenID Connect, chosen by email domain, and two-step sign-in for local accounts."""

    name = "community_insights.portal.signin"
    label = "signin"
    verbose_name = "Sign-in"

    def ready(self) -> None:
        from community_insights.portal.signin import audit_actions, checks, signals  # noqa: F401
