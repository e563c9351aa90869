from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest


class IdeasConfig(AppConfig):
    """The guide's way in: Phase 1, Steps 2 and 3, and Phase 2, Part 1.

    Phase 1, Step 2 "Spread the word" (news, its feed, the take-part form) and Step 3 "Office
    hours" (times, bookings without an account) bring VCS colleagues and their ideas; Phase 2,
    Part 1 "Refine project questions and scope data" shapes each idea into a question in scoping
    sessions and notes the data it might need. The app keeps the short name ``ideas`` because its
    URL names, tables and audit actions carry it; inside, ``services/`` and ``views/`` hold one
    module per step (``spread_the_word``, ``office_hours``, ``ideas``, ``scoping``).
    """

    name = "community_insights.portal.ideas"
    label = "ideas"
    verbose_name = "Outreach, office hours, ideas and scoping"

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
