from django.urls import path

from community_insights.portal.solutions import views

app_name = "solutions"

urlpatterns = [
    path("projects/<slug:slug>/", views.overview, name="overview"),
    path("projects/<slug:slug>/similar-work/", views.similar_work, name="similar_work"),
    path("projects/<slug:slug>/similar-work/add/", views.similar_work_add, name="similar_work_add"),
    path("projects/<slug:slug>/similar-work/<int:pk>/edit/", views.similar_work_edit, name="similar_work_edit"),
    path("projects/<slug:slug>/similar-work/<int:pk>/remove/", views.similar_work_remove, name="similar_work_remove"),
    path("projects/<slug:slug>/research/", views.research, name="research"),
    path("projects/<slug:slug>/research/sessions/<int:pk>/remove/", views.session_remove, name="session_remove"),
    path("projects/<slug:slug>/research/plan/", views.research_plan, name="research_plan"),
    path("projects/<slug:slug>/research/sessions/add/", views.session_add, name="session_add"),
    path("projects/<slug:slug>/research/sessions/<int:pk>/notes/", views.session_notes, name="session_notes"),
    path("projects/<slug:slug>/research/sessions/<int:pk>/consent/", views.consent, name="consent"),
    path("projects/<slug:slug>/options/", views.options, name="options"),
    path("projects/<slug:slug>/options/add/", views.option_add, name="option_add"),
    path("projects/<slug:slug>/options/choose/", views.option_choose, name="option_choose"),
    path("projects/<slug:slug>/options/<int:pk>/", views.option_detail, name="option_detail"),
    path("projects/<slug:slug>/options/<int:pk>/estimates/", views.option_estimates, name="option_estimates"),
    path("projects/<slug:slug>/options/<int:pk>/score/", views.option_score, name="option_score"),
    path("projects/<slug:slug>/options/<int:pk>/edit/", views.option_edit, name="option_edit"),
    path("projects/<slug:slug>/options/<int:pk>/remove/", views.option_remove, name="option_remove"),
    path("projects/<slug:slug>/options/<int:pk>/sketch/", views.option_sketch, name="option_sketch"),
    path("projects/<slug:slug>/options/<int:pk>/sketch.png", views.option_sketch_image, name="option_sketch_image"),
    path("projects/<slug:slug>/testing/", views.testing, name="testing"),
    path("projects/<slug:slug>/testing/add/", views.workshop_add, name="workshop_add"),
    path("projects/<slug:slug>/testing/<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path("projects/<slug:slug>/testing/<int:pk>/feedback/", views.feedback_add, name="feedback_add"),
    path("projects/<slug:slug>/testing/feedback/<int:pk>/close/", views.feedback_close, name="feedback_close"),
    path(
        "projects/<slug:slug>/testing/feedback/<int:pk>/acknowledge/",
        views.feedback_acknowledge,
        name="feedback_acknowledge",
    ),
    path("projects/<slug:slug>/final-checks/", views.final_checks_list, name="final_checks"),
    path("projects/<slug:slug>/final-checks/<int:version_id>/", views.final_check_detail, name="final_check_detail"),
    path("projects/<slug:slug>/final-checks/<int:version_id>/run/", views.final_checks_run, name="final_checks_run"),
    path(
        "projects/<slug:slug>/final-checks/<int:version_id>/<slug:key>/",
        views.final_check_answer,
        name="final_check_answer",
    ),
]
