from django.urls import path

from community_insights.portal.ideas import views

app_name = "ideas"

urlpatterns = [
    # Ideas and scoping sessions (signed in).
    path("", views.idea_list, name="idea_list"),
    path("new/", views.idea_create, name="idea_create"),
    path("<int:pk>/", views.idea_detail, name="idea_detail"),
    path("<int:pk>/question/", views.idea_shape, name="idea_shape"),
    path("<int:pk>/status/", views.idea_status, name="idea_status"),
    path("<int:pk>/scoping/new/", views.session_create, name="session_create"),
    path("scoping/<int:pk>/", views.session_detail, name="session_detail"),
    path("scoping/<int:pk>/people/add/", views.attendee_add, name="attendee_add"),
    path("scoping/<int:pk>/people/<int:attendee_id>/remove/", views.attendee_remove, name="attendee_remove"),
    path("scoping/<int:pk>/agenda/<slug:item_key>/", views.agenda_note, name="agenda_note"),
    path("scoping/<int:pk>/data/add/", views.data_need_add, name="data_need_add"),
    path("scoping/<int:pk>/data/<int:need_id>/remove/", views.data_need_remove, name="data_need_remove"),
    # Spread the word (public).
    path("news/", views.news_list, name="news_list"),
    path("news/feed/", views.news_feed, name="news_feed"),
    path("news/<slug:slug>/", views.news_detail, name="news_detail"),
    path("take-part/", views.interest, name="interest"),
    path("take-part/thank-you/", views.interest_thanks, name="interest_thanks"),
    path("catalogue/", views.catalogue, name="catalogue"),
    # Office hours (public, no account).
    path("office-hours/", views.office_hours, name="office_hours"),
    path("office-hours/<int:slot_id>/book/", views.booking_create, name="booking_create"),
    path("office-hours/booked/", views.booking_done, name="booking_done"),
    path("office-hours/cancel/<str:token>/", views.booking_cancel, name="booking_cancel"),
    # The facilitator's pages.
    path("manage/", views.manage, name="manage"),
    path("manage/news/", views.news_manage, name="news_manage"),
    path("manage/news/new/", views.news_create, name="news_create"),
    path("manage/news/<slug:slug>/edit/", views.news_edit, name="news_edit"),
    path("manage/leads/", views.lead_list, name="lead_list"),
    path("manage/leads/<int:pk>/", views.lead_detail, name="lead_detail"),
    path("manage/office-hours/", views.office_hours_manage, name="office_hours_manage"),
    path("manage/office-hours/new/", views.slot_create, name="slot_create"),
    path("manage/office-hours/<int:pk>/withdraw/", views.slot_withdraw, name="slot_withdraw"),
    path("manage/office-hours/bookings/<int:pk>/", views.booking_detail, name="booking_detail"),
    path(
        "manage/office-hours/bookings/<int:pk>/cancel/",
        views.booking_facilitator_cancel,
        name="booking_facilitator_cancel",
    ),
]
