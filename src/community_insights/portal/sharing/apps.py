from typing import Any

from django.apps import AppConfig


def _figures_context(request: Any) -> dict[str, Any]:
    from community_insights.portal.sharing import selectors

    figures = selectors.programme_figures()
    return {"figures": figures, "chart_svg": selectors.figures_chart_svg(figures)}


class SharingConfig(AppConfig):
    """The guide's Phase 4 (After), Step 1, Sharing insights publicly.

    Published insights (and withdrawal with a public notice), the co-written blog
    post, the plenary session and its invitations, registrations of interest, and
    the programme's figures on the landing page.
    """

    name = "community_insights.portal.sharing"
    label = "sharing"
    verbose_name = "Sharing insights publicly"

    def ready(self) -> None:
        from community_insights.portal.programme import landing
        from community_insights.portal.projects import navigation as project_navigation
        from community_insights.portal.sharing import audit_actions, permissions, selectors  # noqa: F401 - registers

        project_navigation.register(
            "Share insights", "sharing:project_sharing", order=70, is_shown=permissions.shows_phase_four
        )
        landing.register(
            "published_insights",
            title="Published insights",
            template="sharing/landing_insights.html",
            context=lambda request: {"insights": selectors.published_insights()[:6]},
            order=50,
        )
        landing.register(
            "programme_figures",
            title="What the programme has done",
            template="sharing/landing_figures.html",
            context=_figures_context,
            order=55,
        )
