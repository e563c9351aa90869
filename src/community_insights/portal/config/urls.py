"""The portal's URLs: one include per area of the guide."""

from django.contrib import admin
from django.urls import include, path

from community_insights.portal.signin import views as signin_views

urlpatterns = [
    path("", include("community_insights.portal.programme.urls")),
    path("", include("community_insights.portal.core.urls")),
    # The email-first sign-in page takes allauth's address; everything else under accounts/ is allauth's.
    path("accounts/login/", signin_views.sign_in, name="account_login"),
    path("accounts/", include("allauth.urls")),
    path("sign-in/", include("community_insights.portal.signin.urls")),
    path("people/", include("community_insights.portal.people.urls")),
    path("projects/", include("community_insights.portal.projects.urls")),
    path("datasets/", include("community_insights.portal.datasets.urls")),
    path("outputs/", include("community_insights.portal.outputs.urls")),
    path("ideas/", include("community_insights.portal.ideas.urls")),
    path("selection/", include("community_insights.portal.selection.urls")),
    path("governance/", include("community_insights.portal.governance.urls")),
    path("develop/", include("community_insights.portal.solutions.urls")),
    path("sharing/", include("community_insights.portal.sharing.urls")),
    path("hub/", include("community_insights.portal.sharing.hub_urls")),
    path("reflections/", include("community_insights.portal.reflections.urls")),
    path("actions/", include("community_insights.portal.actions.urls")),
    path("export/", include("community_insights.portal.export.urls")),
    path("guide/", include("community_insights.portal.guide.urls")),
    path("django-admin/", admin.site.urls),
]
