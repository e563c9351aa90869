"""The UK-wide hub, under /hub/: every programme's published insights, searchable, and their feed."""

from django.urls import path

from community_insights.portal.sharing.views import hub

app_name = "hub"

urlpatterns = [
    path("", hub.hub, name="hub"),
    path("feed/", hub.hub_feed, name="feed"),
]
