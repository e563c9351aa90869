from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    """The programme and its public landing page."""

    name = "community_insights.portal.programme"
    label = "programme"
    verbose_name = "Programme"

    def ready(self) -> None:
        from community_insights.portal.core import navigation
        from community_insights.portal.programme import (
            audit_actions,  # noqa: F401
            landing,
        )

        navigation.register("Home", "programme:landing", order=10, active_prefix="/")
        # The landing page's places, in the guide's order; later areas replace a section by key.
        landing.register("what_it_is", title="What it is", template="programme/sections/what_it_is.html", order=10)
        landing.register(
            "how_to_take_part", title="How to take part", template="programme/sections/how_to_take_part.html", order=20
        )
        landing.register(
            "office_hours", title="Office hours", template="programme/sections/office_hours.html", order=30
        )
        landing.register(
            "selected_projects",
            title="Selected projects",
            template="programme/sections/selected_projects.html",
            order=40,
        )
        landing.register(
            "published_insights",
            title="Published insights",
            template="programme/sections/published_insights.html",
            order=50,
        )
        landing.register(
            "ways_of_working", title="Ways of working", template="programme/sections/ways_of_working.html", order=60
        )
