from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest


class IdeasConfig(AppConfig):
    """Spread the word, office hours, ideas and scoping sessions (phases 1 and 2)."""

    name = "community_insights.portal.ideas"
    label = "ideas"
    verbose_name = "Ideas and scoping"

    def ready(self) -> None:
        from community_insights.portal.core import navigation
        from community_insights.portal.ideas import audit_actions, permissions  # noqa: F401 - registers
        from community_insights.portal.programme import landing

        navigation.register("News", "ideas:news_list", order=20)
        navigation.register("Office hours", "ideas:office_hours", order=25)
        navigation.register("Ideas", "ideas:idea_list", order=40, is_shown=permissions.is_signed_in)
        navigation.register("Facilitator", "ideas:manage", order=90, is_shown=permissions.is_facilitator)
        # The landing page's office hours: the next published times, each with its booking link.
        landing.register(
            "office_hours",
            title="Office hours",
            template="ideas/includes/landing_office_hours.html",
            order=30,
            context=_landing_office_hours,
        )


LANDING_SLOTS = 3


def _landing_office_hours(request: HttpRequest) -> dict[str, Any]:
    from community_insights.portal.ideas.selectors import slot_list_open

    slots = list(slot_list_open()[: LANDING_SLOTS + 1])
    total = len(slots) if len(slots) <= LANDING_SLOTS else slot_list_open().count()
    return {
        "office_hour_slots": slots[:LANDING_SLOTS],
        "office_hour_more": total > LANDING_SLOTS,
        "office_hour_total": total,
    }
