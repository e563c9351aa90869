from django.urls import path

from community_insights.portal.ideas.views import ideas, office_hours, scoping, spread_the_word

app_name = "ideas"

urlpatterns = [
    # Ideas and scoping sessions (signed in).
    path("", ideas.idea_list, name="idea_list"),
    path("new/", ideas.idea_create, name="idea_create"),
    path("<int:pk>/", ideas.idea_detail, name="idea_detail"),
    path("<int:pk>/question/", ideas.idea_shape, name="idea_shape"),
    path("<int:pk>/status/", ideas.idea_status, name="idea_status"),
    path("<int:pk>/scoping/new/", scoping.session_create, name="session_create"),
    path("scoping/<int:pk>/", scoping.session_detail, name="session_detail"),
    path("scoping/<int:pk>/cancel/", scoping.session_cancel, name="session_cancel"),
    path("scoping/<int:pk>/people/add/", scoping.attendee_add, name="attendee_add"),
    path("scoping/<int:pk>/people/<int:attendee_id>/remove/", scoping.attendee_remove, name="attendee_remove"),
    path("scoping/<int:pk>/agenda/<slug:item_key>/", scoping.agenda_note, name="agenda_note"),
    path("scoping/<int:pk>/data/add/", scoping.data_need_add, name="data_need_add"),
    path("scoping/<int:pk>/data/<int:need_id>/remove/", scoping.data_need_remove, name="data_need_remove"),
    # Spread the word (public).
    path("news/", spread_the_word.news_list, name="news_list"),
    path("news/feed/", spread_the_word.news_feed, name="news_feed"),
    path("news/<slug:slug>/", spread_the_word.news_detail, name="news_detail"),
    path("take-part/", spread_the_word.interest, name="interest"),
    path("take-part/thank-you/", spread_the_word.interest_thanks, name="interest_thanks"),
    path("catalogue/", scoping.catalogue, name="catalogue"),
    # Office hours (public, no account).
    path("office-hours/", office_hours.office_hours, name="office_hours"),
    path("office-hours/<int:slot_id>/book/", office_hours.booking_create, name="booking_create"),
    path("office-hours/booked/", office_hours.booking_done, name="booking_done"),
    path("office-hours/cancel/<str:token>/", office_hours.booking_cancel, name="booking_cancel"),
    # The facilitator's pages.
    path("manage/", ideas.manage, name="manage"),
    path("manage/news/", spread_the_word.news_manage, name="news_manage"),
    path("manage/news/new/", spread_the_word.news_create, name="news_create"),
    path("manage/news/<slug:slug>/edit/", spread_the_word.news_edit, name="news_edit"),
    path("manage/leads/", spread_the_word.lead_list, name="lead_list"),
    path("manage/leads/<int:pk>/", spread_the_word.lead_detail, name="lead_detail"),
    path("manage/office-hours/", office_hours.office_hours_manage, name="office_hours_manage"),
    path("manage/office-hours/new/", office_hours.slot_create, name="slot_create"),
    path("manage/office-hours/<int:pk>/withdraw/", office_hours.slot_withdraw, name="slot_withdraw"),
    path("manage/office-hours/bookings/<int:pk>/", office_hours.booking_detail, name="booking_detail"),
    path(
        "manage/office-hours/bookings/<int:pk>/cancel/",
        office_hours.booking_facilitator_cancel,
        name="booking_facilitator_cancel",
    ),
]
