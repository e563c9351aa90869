from django.urls import path

from community_insights.portal.selection import public, views

app_name = "selection"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("panel/", views.panel, name="panel"),
    path("panel/<int:pk>/remove/", views.panel_remove, name="panel_remove"),
    path("projects/<slug:slug>/skills/", views.skills, name="skills"),
    path("projects/<slug:slug>/skills/data-types/", views.data_types, name="data_types"),
    path("projects/<slug:slug>/skills/who/", views.skill_cover, name="skill_cover"),
    path("projects/<slug:slug>/skills/who/<int:pk>/remove/", views.skill_cover_remove, name="skill_cover_remove"),
    path("projects/<slug:slug>/evaluation/", views.evaluation, name="evaluation"),
    path("projects/<slug:slug>/evaluation/edit/", views.evaluation_edit, name="evaluation_edit"),
    path("projects/<slug:slug>/evaluation.pdf", views.evaluation_pdf, name="evaluation_pdf"),
    path("projects/<slug:slug>/score/", views.score, name="score"),
    path("projects/<slug:slug>/decision/", views.decision, name="decision"),
    path("projects/<slug:slug>/next-steps/", views.next_steps, name="next_steps"),
    path("selected/<slug:slug>/", public.project_about, name="project_about"),
]
