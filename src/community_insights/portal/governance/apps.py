from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    """Information governance for a project: its DPIA and the information sharing agreements of its data flows.

    The guide asks for both (Phase 3, Step 5: "does the organisation providing the data have the relevant
    sharing agreements and the basis for processing in place?"; Phase 4: "when completing the DPIA for the
    solution, did anything surprising come up?") but does not provide them; this area drafts them from
    what the datasets area already knows.
    """

    name = "community_insights.portal.governance"
    label = "governance"
    verbose_name = "DPIA and sharing agreements"

    def ready(self) -> None:
        from community_insights.portal.core import navigation
        from community_insights.portal.governance import audit_actions, permissions  # noqa: F401 - registers
        from community_insights.portal.projects import navigation as project_navigation

        navigation.register(
            "Information governance", "governance:overview", order=55, is_shown=permissions.can_open_overview
        )
        project_navigation.register(
            "DPIA and agreements", "governance:project", order=45, is_shown=permissions.can_view_governance
        )
