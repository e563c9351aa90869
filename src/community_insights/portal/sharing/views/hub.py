"""The UK-wide hub: every programme and every published insight across them, with one Atom feed.

The guide's last phase asks teams to publish "on the main landing page of the
Community Insights Projects across the UK"; an installation that runs several
programmes (issue 22) shows them together here. Public, no account: it reads
only what is published (``selectors.hub_insights``), whichever programme the
visitor happens to be working in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from community_insights.portal.programme.selectors import programme_list
from community_insights.portal.sharing import forms, selectors
from community_insights.portal.sharing.models import PublishedInsight
from community_insights.portal.sharing.views.public import InsightFeed

#: How many insights the hub's page and feed list at most (newest first): the filters narrow the rest.
HUB_LIMIT = 100


@require_GET
def hub(request: HttpRequest) -> HttpResponse:
    form = forms.HubFilterForm(request.GET or None)
    chosen = form.filters() if form.is_bound else {}
    filters = selectors.HubFilters(**chosen)
    return render(
        request,
        "sharing/hub.html",
        {
            "form": form,
            "filtering": any(chosen.values()),
            "insights": selectors.hub_insights(filters)[:HUB_LIMIT],
            "programmes": programme_list(),
            "topics": forms.TOPICS,
        },
    )


class HubAtom1Feed(Atom1Feed):
    """Atom with a second link per entry: ``rel="related"`` to the programme the insight belongs to."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("programme_link"):
            handler.addQuickElement(
                "link", "", {"rel": "related", "href": item["programme_link"], "title": item["programme_name"]}
            )


class HubFeed(InsightFeed):
    """Every programme's published insights as one Atom feed, each linking to its page and its programme."""

    feed_type = HubAtom1Feed
    title = "Community Insights across the UK: published insights"
    subtitle = "What Community Insights Projects in every programme found, with their caveats and data."
    description = subtitle

    def link(self) -> str:
        return reverse("hub:hub")

    def items(self) -> Any:
        return selectors.hub_insights()[:HUB_LIMIT]

    def item_author_name(self, item: PublishedInsight) -> str:
        return f"{item.project.title} ({item.project.programme.name})"

    def item_categories(self, item: PublishedInsight) -> list[str]:
        return [item.get_topic_display()] if item.topic else []

    def item_extra_kwargs(self, item: PublishedInsight) -> dict[str, Any]:
        programme = item.project.programme
        return {
            "programme_link": self._absolute(reverse("programme:programme_landing", args=[programme.slug])),
            "programme_name": programme.name,
        }

    def __init__(self, absolute: Callable[[str], str]) -> None:
        # Entry links are made absolute by the framework; the programme link is ours to make absolute,
        # so each request gets its own feed object (a shared one would mix up hosts between threads).
        super().__init__()
        self._absolute = absolute


@require_GET
def hub_feed(request: HttpRequest) -> HttpResponse:
    return HubFeed(request.build_absolute_uri)(request)
