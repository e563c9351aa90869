from django.apps import AppConfig


class GuideConfig(AppConfig):
    """The versioned guide (Phase 4, Step 4 "Update this guide"): its pages, proposed changes and versions.

    The loader (``guide.read``) reads the published version; each request starts by
    forgetting which version that was, so a publish in one worker reaches the others.
    """

    name = "community_insights.portal.guide"
    label = "guide"
    verbose_name = "The guide"

    def ready(self) -> None:
        from django.core.signals import request_started

        from community_insights.portal import guide
        from community_insights.portal.core import navigation
        from community_insights.portal.guide import audit_actions, permissions  # noqa: F401 - registers

        request_started.connect(guide.forget_published, dispatch_uid="guide.forget_published")
        navigation.register("The guide", "guide:index", order=85)
