from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """Insights to actions (Phase 4, Step 3): a meeting for the organisations that want to act, and their packet.

    The guide: "The Community Insights Team will host a meeting to bring together those who expressed
    interest in using these insights for future action together", and gives them "a packet with
    frameworks to plan next steps".
    """

    name = "community_insights.portal.actions"
    label = "actions"
    verbose_name = "Insights to actions"

    def ready(self) -> None:
        from community_insights.portal.actions import audit_actions, permissions  # noqa: F401 - registers
        from community_insights.portal.projects import navigation as project_navigation

        project_navigation.register(
            "Insights to actions", "actions:project", order=85, is_shown=permissions.can_view_actions
        )
