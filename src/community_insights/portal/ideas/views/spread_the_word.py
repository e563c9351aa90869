"""Phase 1, Step 2 of the guide, "Spread the word": the news, its feed, the take-part form, and the
facilitator's pages for news posts and the leads the form brings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from community_insights.portal.core.viewtools import call_service, posted, submit_form
from community_insights.portal.ideas import forms, selectors, services
from community_insights.portal.ideas.models import NewsPost
from community_insights.portal.ideas.views.common import GET_POST, facilitator_required, public_form

# --------------------------------------------------------------------------- news (public)


@require_GET
def news_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ideas/news_list.html", {"posts": selectors.news_post_list()})


@require_GET
def news_detail(request: HttpRequest, slug: str) -> HttpResponse:
    post = selectors.news_post_get_for_user(user=request.user, slug=slug)
    return render(request, "ideas/news_detail.html", {"post": post})


class NewsFeed(Feed):
    """The programme's news as an Atom feed, for newsletters and feed readers."""

    feed_type = Atom1Feed
    title = "Community Insights news"
    subtitle = "Updates about the Community Insights programme: office hours, ideas and selected projects."
    description = subtitle

    def link(self) -> str:
        return reverse("ideas:news_list")

    def items(self) -> Any:
        return selectors.news_post_list()[:50]

    def item_title(self, item: NewsPost) -> str:
        return item.title

    def item_description(self, item: NewsPost) -> str:
        return item.summary

    def item_link(self, item: NewsPost) -> str:
        return reverse("ideas:news_detail", args=[item.slug])

    def item_pubdate(self, item: NewsPost) -> Any:
        return item.published_at

    def item_updateddate(self, item: NewsPost) -> Any:
        return item.updated_at

    def item_author_name(self, item: NewsPost) -> str:
        return item.author.get_full_name() if item.author else "Community Insights"


news_feed = NewsFeed()


# --------------------------------------------------------------------------- take part (public)


@GET_POST
def interest(request: HttpRequest) -> HttpResponse:
    form = forms.InterestForm(posted(request))
    return public_form(
        request, form, services.lead_create, done=reverse("ideas:interest_thanks"), template="ideas/interest.html"
    )


@require_GET
def interest_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "ideas/interest_thanks.html")


# --------------------------------------------------------------------------- facilitator


def _news_form_page(request: HttpRequest, form: forms.NewsPostForm, title: str) -> HttpResponse:
    return render(request, "form_page.html", {"form": form, "title": title})


@facilitator_required
@require_GET
def news_manage(request: HttpRequest) -> HttpResponse:
    return render(request, "ideas/news_manage.html", {"posts": selectors.news_post_list(published_only=False)})


@facilitator_required
@GET_POST
def news_create(request: HttpRequest) -> HttpResponse:
    form = forms.NewsPostForm(posted(request))
    if form.is_valid():
        ok, post = call_service(form, services.news_post_create, actor=request.user, **form.cleaned_data)
        if ok and post is not None:
            messages.success(request, "News post published." if post.is_published else "Draft saved.")
            return redirect("ideas:news_manage")
    return _news_form_page(request, form, "Write a news post")


@facilitator_required
@GET_POST
def news_edit(request: HttpRequest, slug: str) -> HttpResponse:
    post = selectors.news_post_get_for_user(user=request.user, slug=slug)
    initial = {"title": post.title, "summary": post.summary, "body": post.body, "publish": post.is_published}
    form = forms.NewsPostForm(posted(request), initial=initial)
    done = submit_form(request, form, services.news_post_update, "News post saved.", "ideas:news_manage", post=post)
    return done or _news_form_page(request, form, f"Edit: {post.title}")


@facilitator_required
@require_GET
def lead_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ideas/lead_list.html", {"leads": selectors.lead_list()})


@facilitator_required
@GET_POST
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = selectors.lead_get(lead_id=pk)
    form = forms.LeadUpdateForm(posted(request), initial={"status": lead.status, "notes": lead.notes})
    done = submit_form(request, form, services.lead_update, "Lead updated.", "ideas:lead_list", lead=lead)
    return done or render(request, "ideas/lead_detail.html", {"lead": lead, "form": form})
