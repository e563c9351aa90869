from django.urls import path

from community_insights.portal.programme import views

app_name = "programme"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("programme/edit/", views.programme_edit, name="programme_edit"),
    path("programme/branding/", views.branding_edit, name="branding_edit"),
    path("programme/people/add/", views.member_add, name="member_add"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/switch/", views.programme_switch, name="switch"),
    path("programmes/<slug:slug>/", views.programme_landing, name="programme_landing"),
    path("programmes/<slug:slug>/logo.png", views.programme_logo, name="logo"),
]
