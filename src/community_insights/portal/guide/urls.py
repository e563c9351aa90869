"""The guide's pages, under /guide/: public reading and history (any programme's at its own path), staff proposals."""

from django.urls import path

from community_insights.portal.guide import views

app_name = "guide"

urlpatterns = [
    path("", views.index, name="index"),
    path("roles/", views.roles, name="roles"),
    path("ways-of-working/", views.principles, name="principles"),
    path("versions/", views.history, name="history"),
    path("programmes/<slug:programme>/", views.index, name="programme_index"),
    path("programmes/<slug:programme>/roles/", views.roles, name="programme_roles"),
    path("programmes/<slug:programme>/ways-of-working/", views.principles, name="programme_principles"),
    path("programmes/<slug:programme>/versions/", views.history, name="programme_history"),
    path("changes/", views.propose_start, name="propose_start"),
    path("changes/new/<slug:section>/", views.propose, name="propose"),
    path("changes/<int:pk>/", views.proposal, name="proposal"),
    path("changes/<int:pk>/discard/", views.discard, name="discard"),
]
