from django.urls import path

from community_insights.portal.export import views

app_name = "export"

urlpatterns = [
    path("", views.export_list, name="export_list"),
    path("<int:export_id>/", views.export_detail, name="export_detail"),
    path("<int:export_id>/download/", views.export_download, name="export_download"),
    path("<int:export_id>/delete/", views.export_delete, name="export_delete"),
]
