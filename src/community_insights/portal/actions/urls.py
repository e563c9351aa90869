"""Insights to actions pages, under /actions/."""

from django.urls import path

from community_insights.portal.actions import views

app_name = "actions"

urlpatterns = [
    path("projects/<slug:slug>/", views.project, name="project"),
    path("projects/<slug:slug>/meetings/plan/", views.meeting_plan, name="meeting_plan"),
    path("meetings/<int:pk>/invite/", views.attendee_invite, name="attendee_invite"),
    path("attendees/<int:pk>/invite.ics", views.attendee_calendar, name="attendee_calendar"),
    path("projects/<slug:slug>/packet/edit/", views.packet_edit, name="packet_edit"),
    path("projects/<slug:slug>/packet/", views.packet, name="packet"),
    path("projects/<slug:slug>/packet.pdf", views.packet_pdf, name="packet_pdf"),
]
