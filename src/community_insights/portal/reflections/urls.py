"""Reflections pages, under /reflections/."""

from django.urls import path

from community_insights.portal.reflections import views

app_name = "reflections"

urlpatterns = [
    path("projects/<slug:slug>/", views.summary, name="summary"),
    path("projects/<slug:slug>/survey/", views.survey, name="survey"),
    path("projects/<slug:slug>/cards/add/", views.card_add, name="card_add"),
]
