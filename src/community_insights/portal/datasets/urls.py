"""Dataset pages, under /datasets/."""

from django.urls import path

from community_insights.portal.datasets import key_agreement_views, release_views, sign_off_views, views

app_name = "datasets"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("keys/", release_views.keys, name="keys"),
    path("keys/agreements/", key_agreement_views.key_agreement_list, name="key_agreements"),
    path("keys/agreements/new/", key_agreement_views.key_agreement_propose, name="key_agreement_propose"),
    path("keys/agreements/<int:agreement_id>/", key_agreement_views.key_agreement_detail, name="key_agreement_detail"),
    path("projects/<slug:slug>/", views.inventory, name="inventory"),
    path("projects/<slug:slug>/sources/new/", views.source_create, name="source_create"),
    path("projects/<slug:slug>/audit/", release_views.audit, name="audit"),
    path("projects/<slug:slug>/audit.csv", release_views.audit_export, name="audit_export"),
    path("sources/<int:source_id>/edit/", views.source_edit, name="source_edit"),
    path("sources/<int:source_id>/upload/", views.upload, name="upload"),
    path("jobs/<int:job_id>/progress/", views.job_progress, name="job_progress"),
    path("<int:dataset_id>/", views.dataset_detail, name="dataset_detail"),
    path("<int:dataset_id>/check-again/", views.dataset_recheck, name="dataset_recheck"),
    path("<int:dataset_id>/check-again/choose/", views.check_options, name="check_options"),
    path("<int:dataset_id>/findings/", views.findings, name="findings"),
    path("<int:dataset_id>/findings/<int:index>/", views.column_review, name="column_review"),
    path("<int:dataset_id>/findings/accept-all/", sign_off_views.findings_accept_all, name="findings_accept_all"),
    path("<int:dataset_id>/plans/new/", views.plan_create, name="plan_create"),
    path("<int:dataset_id>/plans/<int:number>/", views.plan_detail, name="plan_detail"),
    path("<int:dataset_id>/plans/<int:number>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:dataset_id>/plans/<int:number>/apply/", views.plan_apply, name="plan_apply"),
    path("<int:dataset_id>/plans/<int:number>/sign-off/", views.plan_sign_off, name="plan_sign_off"),
    path("<int:dataset_id>/raw/", release_views.raw_download, name="raw_download"),
    path("<int:dataset_id>/delete/", release_views.dataset_delete, name="dataset_delete"),
    path("safe-copies/<int:copy_id>/", release_views.safe_copy_report, name="safe_copy_report"),
    path("safe-copies/<int:copy_id>/download/", release_views.safe_copy_download, name="safe_copy_download"),
    path("<int:dataset_id>/plans/<int:number>/sign-off/sample/", sign_off_views.plan_sample, name="plan_sample"),
]
