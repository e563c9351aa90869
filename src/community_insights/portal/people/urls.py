from django.urls import path

from community_insights.portal.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("account/", views.account, name="account"),
    path("account/details/", views.account_edit, name="account_edit"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:organisation_id>/", views.organisation_detail, name="organisation_detail"),
    path("invite/", views.invitation_create, name="invitation_create"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("<int:user_id>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("<int:user_id>/reactivate/", views.person_reactivate, name="person_reactivate"),
]
