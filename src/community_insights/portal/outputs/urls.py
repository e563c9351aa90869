"""Output pages, under /outputs/."""

from django.urls import path

from community_insights.portal.outputs import views

app_name = "outputs"

urlpatterns = [
    path("projects/<slug:slug>/", views.project_outputs, name="project_outputs"),
    path("projects/<slug:slug>/from/<int:copy_id>/", views.output_new, name="output_new"),
    path("projects/<slug:slug>/dashboard/", views.dashboard_new, name="dashboard_new"),
    path("projects/<slug:slug>/boundaries/", views.boundary_new, name="boundary_new"),
    path("<int:output_id>/", views.output_detail, name="output_detail"),
    path("versions/<int:version_id>/sign-off/", views.version_sign_off, name="version_sign_off"),
    path("versions/<int:version_id>/download/<str:fmt>/", views.version_download, name="version_download"),
]
