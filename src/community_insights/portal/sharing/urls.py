"""Sharing pages, under /sharing/: the public insights, feed, plenary and interest form; the team's pages."""

from django.urls import path

from community_insights.portal.sharing.views import public, team

app_name = "sharing"

urlpatterns = [
    # Public (no account).
    path("insights/", public.insight_list, name="insight_list"),
    path("insights/feed/", public.insight_feed, name="insight_feed"),
    path("insights/<slug:slug>/", public.insight_detail, name="insight_detail"),
    path("insights/<slug:slug>/download/<str:fmt>/", public.insight_download, name="insight_download"),
    path("plenaries/<int:plenary_id>/", public.plenary_public, name="plenary_public"),
    path("projects/<slug:slug>/register-interest/", public.interest_register, name="interest_register"),
    path("register-interest/thank-you/", public.interest_thanks, name="interest_thanks"),
    # The project team's pages.
    path("projects/<slug:slug>/", team.project_sharing, name="project_sharing"),
    path("projects/<slug:slug>/publish/<int:version_id>/", team.insight_publish, name="insight_publish"),
    path("projects/<slug:slug>/publish-overview/", team.overview_publish, name="overview_publish"),
    path("insights/<slug:slug>/withdraw/", team.insight_withdraw, name="insight_withdraw"),
    path("insights/<slug:slug>/publish-again/", team.insight_republish, name="insight_republish"),
    path("projects/<slug:slug>/blog/new/", team.blog_post_create, name="blog_post_create"),
    path("blog/<int:post_id>/", team.blog_post_detail, name="blog_post_detail"),
    path("blog/<int:post_id>/edit/", team.blog_post_edit, name="blog_post_edit"),
    path("blog/<int:post_id>/approve/", team.blog_post_approve, name="blog_post_approve"),
    path("blog/<int:post_id>/withdraw/", team.blog_post_withdraw, name="blog_post_withdraw"),
    path("projects/<slug:slug>/plenary/new/", team.plenary_create, name="plenary_create"),
    path("plenary/<int:plenary_id>/", team.plenary_detail, name="plenary_detail"),
    path("plenary/<int:plenary_id>/edit/", team.plenary_edit, name="plenary_edit"),
    path("plenary/<int:plenary_id>/invite/", team.plenary_invite, name="plenary_invite"),
]
