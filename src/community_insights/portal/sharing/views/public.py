"""What everyone sees: published insights (and the notices of withdrawn ones), their files and feed,
the plenary and the registration of interest. No account is needed; every view and download of an
insight is on the audit trail, as every access to an output is.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from community_insights.portal.core.exceptions import ApplicationError
from community_insights.portal.core.viewtools import posted
from community_insights.portal.ideas.views.common import public_form
from community_insights.portal.sharing import forms, permissions, selectors, services
from community_insights.portal.sharing.models import PublishedInsight


@require_GET
def insight_list(request: HttpRequest) -> HttpResponse:
    return render(request, "sharing/insight_list.html", {"insights": selectors.published_insights()})


@require_GET
def insight_detail(request: HttpRequest, slug: str) -> HttpResponse:
    insight = selectors.insight_get_public(slug=slug)
    project = insight.project
    if insight.is_published:
        services.record_view(actor=request.user, action="sharing.insight_view", target=insight, project_id=project.pk)
    svg, table = selectors.insight_figure(insight=insight)
    formats = []
    if insight.is_published and insight.version is not None:
        have = set(insight.version.files.values_list("format", flat=True))
        formats = [f for f in selectors.DOWNLOAD_FORMATS if f in have]
    return render(
        request,
        "sharing/insight_detail.html",
        {
            "insight": insight,
            "svg": mark_safe(svg),  # noqa: S308 - drawn by the engine from an approved, protected table
            "table": table,
            "formats": formats,
            "plenary": selectors.next_plenary(project),
            "can_withdraw": permissions.can_withdraw(request.user, project),
            "can_publish": permissions.can_publish(request.user, project),
        },
    )


@require_GET
def insight_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    insight = selectors.insight_get_public(slug=slug)
    if fmt not in selectors.DOWNLOAD_FORMATS:
        raise Http404
    try:
        data, content_type = services.insight_download(insight=insight, fmt=fmt)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("sharing:insight_detail", slug=insight.slug)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{insight.slug}.{fmt}"'
    return response


class InsightFeed(Feed):
    """Published insights as an Atom feed; a withdrawn insight leaves it (its notice stays on its page)."""

    feed_type = Atom1Feed
    title = "Community Insights: published insights"
    subtitle = "What Community Insights Projects found, with their caveats and data."
    description = subtitle

    def link(self) -> str:
        return reverse("sharing:insight_list")

    def items(self) -> Any:
        return selectors.published_insights()[:50]

    def item_title(self, item: PublishedInsight) -> str:
        return item.title

    def item_description(self, item: PublishedInsight) -> str:
        return item.findings

    def item_link(self, item: PublishedInsight) -> str:
        return reverse("sharing:insight_detail", args=[item.slug])

    def item_pubdate(self, item: PublishedInsight) -> Any:
        return item.published_at

    def item_updateddate(self, item: PublishedInsight) -> Any:
        return item.updated_at

    def item_author_name(self, item: PublishedInsight) -> str:
        return item.project.title


insight_feed = InsightFeed()


@require_GET
def plenary_public(request: HttpRequest, plenary_id: int) -> HttpResponse:
    plenary = selectors.public_plenary_get(plenary_id=plenary_id)
    return render(
        request,
        "sharing/plenary_public.html",
        {"plenary": plenary, "insights": selectors.published_insights().filter(project=plenary.project)},
    )


@require_http_methods(["GET", "POST"])
def interest_register(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.public_project_get(slug=slug)
    form = forms.RegistrationForm(posted(request))
    return public_form(
        request, form, services.interest_register, done=reverse("sharing:interest_thanks"),
        template="sharing/interest_register.html", context={"project": project}, project=project,
        plenary=selectors.next_plenary(project),
    )  # fmt: skip


@require_GET
def interest_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "sharing/interest_thanks.html")
