"""Bad input on every form of the ideas area gets a GOV.UK error summary linked to the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from tests.portal.forms import assert_error_summary, post_as
from tests.portal.ideas.factories import make_booking, make_idea, make_lead, make_post, make_session, make_slot
from tests.portal.ideas.test_spread_the_word import aged_token

# (name, persona, url builder, bad data, the message the summary must show, the field it links to)
FORMS: list[tuple[str, str, Callable[[Any], str], dict[str, Any], str, str]] = [
    (
        "interest-empty",
        "anonymous",
        lambda w: reverse("ideas:interest"),
        {"form_token": "!"},
        "Enter your name",
        "id_name",
    ),
    (
        "interest-bad-email",
        "anonymous",
        lambda w: reverse("ideas:interest"),
        {"name": "A", "organisation_name": "B", "email": "not-an-email", "interest": "x", "form_token": "!"},
        "Enter an email address in the correct format, like name@example.org",
        "id_email",
    ),
    (
        "booking",
        "anonymous",
        lambda w: reverse("ideas:booking_create", args=[make_slot(w).pk]),
        {"name": "", "email": "x"},
        "Tell us your idea in a few words",
        "id_idea",
    ),
    ("news", "facilitator", lambda w: reverse("ideas:news_create"), {"title": ""}, "Enter a title", "id_title"),
    (
        "news-edit",
        "facilitator",
        lambda w: reverse("ideas:news_edit", args=[make_post().slug]),
        {"title": "x", "summary": "", "body": "y"},
        "Enter a summary",
        "id_summary",
    ),
    (
        "lead",
        "facilitator",
        lambda w: reverse("ideas:lead_detail", args=[make_lead().pk]),
        {"status": "bogus"},
        "Select a valid choice",
        "id_status",
    ),
    (
        "slot",
        "facilitator",
        lambda w: reverse("ideas:slot_create"),
        {
            "date_0": "31",
            "date_1": "2",
            "date_2": "2030",
            "start_time": "25:99",
            "end_time": "",
            "mode": "",
            "location": "",
        },
        "Enter a time like 14:30 or 2:30pm",
        "id_start_time",
    ),
    (
        "booking-notes",
        "facilitator",
        lambda w: reverse("ideas:booking_detail", args=[make_booking(w).pk]),
        {"notes": "x" * 10001},
        "Ensure this value has at most 10000 characters",
        "id_notes",
    ),
    (
        "idea",
        "vcs_member_lead",
        lambda w: reverse("ideas:idea_create"),
        {"title": "x"},
        "Describe the problem",
        "id_problem",
    ),
    (
        "idea-question",
        "facilitator",
        lambda w: reverse("ideas:idea_shape", args=[make_idea(w).pk]),
        {"title": "x", "question": ""},
        "Enter the question",
        "id_question",
    ),
    (
        "idea-status",
        "facilitator",
        lambda w: reverse("ideas:idea_status", args=[make_idea(w).pk]),
        {"status": "not_taken_forward", "reason": ""},
        "Enter the reason the idea is not being taken forward",
        "id_reason",
    ),
    (
        "idea-status-no-question",
        "facilitator",
        lambda w: reverse("ideas:idea_status", args=[_unshaped(w).pk]),
        {"status": "ready_for_evaluation"},
        "Shape the idea into a question before it is ready for evaluation.",
        "id_status",
    ),
    (
        "session",
        "facilitator",
        lambda w: reverse("ideas:session_create", args=[make_idea(w).pk]),
        {"date_0": "", "date_1": "", "date_2": "", "start_time": "10:00", "location": ""},
        "Enter where the session is",
        "id_location",
    ),
    (
        "attendee",
        "facilitator",
        lambda w: reverse("ideas:attendee_add", args=[make_session(w).pk]),
        {"role": "data_scientist", "user": "", "name": ""},
        "Choose a person or enter their name",
        "id_user",
    ),
    (
        "agenda",
        "facilitator",
        lambda w: reverse("ideas:agenda_note", args=[make_session(w).pk, "problem"]),
        {"notes": "x" * 10001},
        "Ensure this value has at most 10000 characters",
        "id_notes",
    ),
    (
        "data-need",
        "facilitator",
        lambda w: reverse("ideas:data_need_add", args=[make_session(w).pk]),
        {"source_category": "", "description": ""},
        "Choose where the data would come from",
        "id_source_category",
    ),
]


def _unshaped(w: Any) -> Any:
    idea = make_idea(w)
    idea.question = ""
    idea.save()
    return idea


@pytest.mark.django_db
@pytest.mark.parametrize("name,persona,url,data,message,field", FORMS, ids=[f[0] for f in FORMS])
def test_bad_input_shows_an_error_summary(world, name, persona, url, data, message, field) -> None:  # type: ignore[no-untyped-def]
    if data.get("form_token") == "!":
        data = {**data, "form_token": aged_token("interest")}
    assert_error_summary(post_as(world, persona, url(world), data), message, field)
