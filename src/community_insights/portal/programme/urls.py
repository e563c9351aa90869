from django.urls import path

from community_insights.portal.programme import views

app_name = "programme"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("programme/edit/", views.programme_edit, name="programme_edit"),
]
