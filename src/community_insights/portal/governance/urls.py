"""DPIA and sharing agreement pages, under /governance/."""

from django.urls import path

from community_insights.portal.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("projects/<slug:slug>/", views.project, name="project"),
    path("projects/<slug:slug>/dpia/", views.dpia, name="dpia"),
    path("projects/<slug:slug>/dpia/sentences/<str:key>/", views.dpia_edit, name="dpia_edit"),
    path("projects/<slug:slug>/dpia/risks/<str:key>/", views.dpia_risk, name="dpia_risk"),
    path("projects/<slug:slug>/dpia/send/", views.dpia_submit, name="dpia_submit"),
    path("projects/<slug:slug>/dpia/versions/<int:number>/decide/", views.dpia_decide, name="dpia_decide"),
    path("projects/<slug:slug>/dpia/versions/<int:number>.<str:fmt>", views.dpia_export, name="dpia_export"),
    path("sources/<int:source_id>/agreement/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/sign/", views.agreement_sign, name="agreement_sign"),
    path("agreements/<int:pk>.<str:fmt>", views.agreement_export, name="agreement_export"),
]
