from django.urls import path

from community_insights.portal.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views.project_create, name="project_create"),
    path("<slug:slug>/", views.project_detail, name="project_detail"),
    path("<slug:slug>/edit/", views.project_edit, name="project_edit"),
    path("<slug:slug>/phases/", views.project_phases, name="project_phases"),
    path("<slug:slug>/phases/next/", views.phase_advance, name="phase_advance"),
    path("<slug:slug>/close/", views.project_close, name="project_close"),
    path("<slug:slug>/phases/back/", views.phase_loop_back, name="phase_loop_back"),
    path("<slug:slug>/checklist/<slug:item_key>/", views.checklist_item, name="checklist_item"),
    path("<slug:slug>/team/", views.project_team, name="project_team"),
    path("<slug:slug>/team/add/", views.role_assign, name="role_assign"),
    path("<slug:slug>/team/<int:role_id>/days/", views.role_edit, name="role_edit"),
    path("<slug:slug>/team/<int:role_id>/remove/", views.role_remove, name="role_remove"),
]
