from django.urls import path

from community_insights.portal.signin import views

app_name = "signin"

urlpatterns = [
    path("providers/", views.provider_list, name="provider_list"),
    path("providers/new/", views.provider_create, name="provider_create"),
    path("providers/<slug:slug>/", views.provider_edit, name="provider_edit"),
]
