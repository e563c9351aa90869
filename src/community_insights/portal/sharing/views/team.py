"""The team's pages for Phase 4, Step 1: publish, withdraw, the blog post, the plenary and who wants to act.

Thin views: find the project through ``projects.membership`` (404 for anyone outside it),
ask the rule, bind the form, call one service. A refusal lands on the form's error summary.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community_insights.portal.core.viewtools import (
    acting,
    call_service,
    call_service_with_message,
    deny_unless,
    posted,
    submit_form,
)
from community_insights.portal.projects.models import Project
from community_insights.portal.sharing import forms, permissions, selectors, services
from community_insights.portal.sharing.models import PublishedInsight

GET_POST = require_http_methods(["GET", "POST"])


def _project(request: HttpRequest, slug: str, rule: Any = None) -> Project:
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    if rule is not None:
        deny_unless(rule(request.user, project))
    return project


def _form_page(request: HttpRequest, form: Form, project: Project, **context: Any) -> HttpResponse:
    back = reverse("sharing:project_sharing", args=[project.slug])
    return render(
        request,
        "sharing/form_page.html",
        {"form": form, "project": project, "back_url": back, "back_label": "Share insights", **context},
    )


@login_required
@require_GET
def project_sharing(request: HttpRequest, slug: str) -> HttpResponse:
    """Where the project stands on sharing: what is published, what could be, the blog, the plenary, interest."""
    project = _project(request, slug)
    services.record_view(actor=request.user, action="sharing.page_view", target=project, project_id=project.pk)
    user = request.user
    versions = [(v, selectors.publish_problems(v)) for v in selectors.publishable_versions(project=project)]
    published_ids = set(selectors.project_insights(project=project).values_list("version_id", flat=True))
    return render(
        request,
        "sharing/project.html",
        {
            "project": project,
            "insights": selectors.project_insights(project=project),
            "versions": [(v, p) for v, p in versions if v.pk not in published_ids],
            "posts": selectors.blog_posts(project=project),
            "plenaries": selectors.plenaries(project=project),
            "registrations": selectors.registrations(project=project),
            "can_publish": permissions.can_publish(user, project),
            "can_withdraw": permissions.can_withdraw(user, project),
            "can_write_blog": permissions.can_write_blog(user, project),
            "can_plan_plenary": permissions.can_plan_plenary(user, project),
        },
    )


@login_required
@GET_POST
def insight_publish(request: HttpRequest, slug: str, version_id: int) -> HttpResponse:
    project = _project(request, slug, permissions.can_publish)
    version = selectors.version_get(project=project, version_id=version_id)
    initial = {
        "title": version.title,
        "findings": version.narrative,
        "caveats": version.caveats,
        "method": selectors.method_of(version),
        "data_sources": selectors.data_sources_of(version, project),
    }
    form = forms.InsightForm(posted(request), initial=initial)
    if form.is_valid():
        ok, insight = call_service(form, services.insight_publish, actor=request.user, version=version,
                                   **form.cleaned_data)  # fmt: skip
        if ok and insight is not None:
            messages.success(request, "The insight is published on the landing page and in the insights feed.")
            return redirect("sharing:insight_detail", slug=insight.slug)
    return _form_page(request, form, project, problems=selectors.publish_problems(version), version=version)


@login_required
@GET_POST
def overview_publish(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug, permissions.can_publish)
    initial = {"title": project.title, "data_sources": selectors.data_sources_of(None, project)}
    form = forms.OverviewForm(posted(request), initial=initial)
    if form.is_valid():
        ok, insight = call_service(form, services.overview_publish, actor=request.user, project=project,
                                   **form.cleaned_data)  # fmt: skip
        if ok and insight is not None:
            messages.success(request, "The overview is published on the landing page and in the insights feed.")
            return redirect("sharing:insight_detail", slug=insight.slug)
    return _form_page(request, form, project, problems=selectors.overview_problems(project))


def _team_insight(request: HttpRequest, slug: str, rule: Any) -> PublishedInsight:
    insight = selectors.insight_get_public(slug=slug)
    _project(request, insight.project.slug, rule)
    return insight


@login_required
@GET_POST
def insight_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    insight = _team_insight(request, slug, permissions.can_withdraw)
    form = forms.WithdrawForm(posted(request))
    then = reverse("sharing:insight_detail", args=[insight.slug])
    done = submit_form(
        request,
        form,
        services.insight_withdraw,
        "The insight is withdrawn; its notice is shown in its place.",
        then,
        insight=insight,
    )
    return done or _form_page(request, form, insight.project, insight=insight)


@login_required
@require_POST
def insight_republish(request: HttpRequest, slug: str) -> HttpResponse:
    insight = _team_insight(request, slug, permissions.can_publish)
    call_service_with_message(
        request, services.insight_republish, success="The insight is published again.", actor=request.user,
        insight=insight,
    )  # fmt: skip
    return redirect("sharing:insight_detail", slug=insight.slug)


@login_required
@GET_POST
def blog_post_create(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug, permissions.can_write_blog)
    authors = selectors.core_team_authors(project=project, exclude=request.user)
    form = forms.BlogPostForm(posted(request), authors=authors)
    if form.is_valid():
        data = {**form.cleaned_data, "co_authors": list(form.cleaned_data["co_authors"])}
        ok, post = call_service(form, services.blog_post_create, actor=request.user, project=project, **data)
        if ok and post is not None:
            messages.success(request, "Draft saved. Each author approves it before it is published.")
            return redirect("sharing:blog_post_detail", post_id=post.pk)
    return _form_page(request, form, project)


@login_required
@require_GET
def blog_post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.blog_post_get_for_user(user=request.user, post_id=post_id)
    is_author = permissions.is_blog_author(request.user, post)
    mine = next((a for a in post.authors.all() if a.user_id == request.user.pk), None)
    return render(
        request,
        "sharing/blog_post.html",
        {
            "project": post.project,
            "post": post,
            "is_author": is_author,
            "mine": mine,
            "authors": post.authors.all(),
            "may_withdraw": is_author or permissions.can_withdraw(request.user, post.project),
        },
    )


@login_required
@GET_POST
def blog_post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.blog_post_get_for_user(user=request.user, post_id=post_id)
    deny_unless(permissions.is_blog_author(request.user, post))
    form = forms.BlogPostEditForm(
        posted(request), initial={"title": post.title, "summary": post.summary, "body": post.body}
    )
    then = reverse("sharing:blog_post_detail", args=[post.pk])
    done = submit_form(
        request, form, services.blog_post_update, "Saved. Each author approves it again.", then, post=post
    )
    return done or _form_page(request, form, post.project)


@login_required
@require_POST
def blog_post_approve(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.blog_post_get_for_user(user=request.user, post_id=post_id)
    deny_unless(permissions.is_blog_author(request.user, post))
    call_service_with_message(
        request, services.blog_post_approve, success="Your approval is recorded.", actor=request.user, post=post
    )
    return redirect("sharing:blog_post_detail", post_id=post.pk)


@login_required
@GET_POST
def blog_post_withdraw(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.blog_post_get_for_user(user=request.user, post_id=post_id)
    deny_unless(permissions.is_blog_author(request.user, post) or permissions.can_withdraw(request.user, post.project))
    form = forms.BlogWithdrawForm(posted(request))
    then = reverse("sharing:blog_post_detail", args=[post.pk])
    done = submit_form(
        request, form, services.blog_post_withdraw, "The post is out of the news and its feed.", then, post=post
    )
    return done or _form_page(request, form, post.project)


@login_required
@GET_POST
def plenary_create(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug, permissions.can_plan_plenary)
    form = forms.PlenaryForm(posted(request))
    if form.is_valid():
        ok, plenary = call_service(
            form, services.plenary_create, actor=request.user, project=project, **form.service_args(),
            error_fields={"ends_at": "end_time"},
        )  # fmt: skip
        if ok and plenary is not None:
            messages.success(request, "The plenary is planned. Invite people from its page.")
            return redirect("sharing:plenary_detail", plenary_id=plenary.pk)
    return _form_page(request, form, project)


@login_required
@require_GET
def plenary_detail(request: HttpRequest, plenary_id: int) -> HttpResponse:
    plenary = selectors.plenary_get_for_user(user=request.user, plenary_id=plenary_id)
    return render(
        request,
        "sharing/plenary.html",
        {
            "project": plenary.project,
            "plenary": plenary,
            "can_plan": permissions.can_plan_plenary(request.user, plenary.project),
            "is_public": selectors.has_public_face(plenary.project),
        },
    )


@login_required
@GET_POST
def plenary_edit(request: HttpRequest, plenary_id: int) -> HttpResponse:
    plenary = selectors.plenary_get_for_user(user=request.user, plenary_id=plenary_id)
    deny_unless(permissions.can_plan_plenary(request.user, plenary.project))
    local_start, local_end = timezone.localtime(plenary.starts_at), timezone.localtime(plenary.ends_at)
    initial = {
        "title": plenary.title, "date": local_start.date(), "start_time": f"{local_start:%H:%M}",
        "end_time": f"{local_end:%H:%M}", "place": plenary.place, "link": plenary.link, "agenda": plenary.agenda,
    }  # fmt: skip
    form = forms.PlenaryEditForm(posted(request), initial=initial)
    if form.is_valid():
        ok, _ = call_service(
            form, services.plenary_update, **acting(request, plenary=plenary), **form.service_args(),
            error_fields={"ends_at": "end_time"},
        )  # fmt: skip
        if ok:
            messages.success(request, "The plenary is changed. Everyone invited has been sent the new details.")
            return redirect("sharing:plenary_detail", plenary_id=plenary.pk)
    return _form_page(request, form, plenary.project)


@login_required
@GET_POST
def plenary_invite(request: HttpRequest, plenary_id: int) -> HttpResponse:
    plenary = selectors.plenary_get_for_user(user=request.user, plenary_id=plenary_id)
    deny_unless(permissions.can_plan_plenary(request.user, plenary.project))
    form = forms.InviteForm(posted(request))
    if form.is_valid():
        ok, _ = call_service(form, services.plenary_invite, **acting(request, plenary=plenary), **form.cleaned_data)
        if ok:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}, with a calendar file.")
            return redirect("sharing:plenary_detail", plenary_id=plenary.pk)
    return _form_page(request, form, plenary.project, plenary=plenary)
