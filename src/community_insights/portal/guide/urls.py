"""The guide's pages, under /guide/: public reading and history, staff proposals."""

from django.urls import path

from community_insights.portal.guide import views

app_name = "guide"

urlpatterns = [
    path("", views.index, name="index"),
    path("roles/", views.roles, name="roles"),
    path("ways-of-working/", views.principles, name="principles"),
    path("versions/", views.history, name="history"),
    path("changes/", views.propose_start, name="propose_start"),
    path("changes/new/<slug:section>/", views.propose, name="propose"),
    path("changes/<int:pk>/", views.proposal, name="proposal"),
    path("changes/<int:pk>/discard/", views.discard, name="discard"),
]
