"""Bad input on every form of the Phase 3 area gets a GOV.UK error summary linked to the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.portal.forms import assert_error_summary, post_as
from tests.portal.solutions.factories import in_phase_three, make_option, make_plan, make_session


def _url(name: str, build: Any = in_phase_three) -> Any:
    def url(w: Any) -> str:
        made = build(w)
        project = getattr(made, "project", made)
        args = [project.slug] if made is project else [project.slug, made.pk]
        return reverse(f"solutions:{name}", args=args)

    return url


FORMS = [
    ("similar-work", "vcs_member_lead", _url("similar_work_add"), {"title": "", "organisation": "x"},
     "Enter the title of the work", "id_title"),
    ("similar-work-link", "vcs_member_lead", _url("similar_work_add"),
     {"title": "t", "organisation": "o", "url": "not a link"}, "Enter a link in the right format", "id_url"),
    ("plan", "facilitator", _url("research_plan"),
     {"participants": "p", "how_many": "0", "format": "group", "consent_wording": "c", "questions": "q"},
     "How many people must be 1 or more", "id_how_many"),
    ("session", "data_analyst", _url("session_add", lambda w: make_plan(w).project),
     {"held_on": "31 02 2026", "format": "group", "participant_count": "2", "notes": "n", "themes": "t"},
     "Enter a real date", "id_held_on"),
    ("consent", "data_analyst", _url("consent", make_session), {"given": ["9"]},
     "Select a valid choice", "id_given"),
    ("option", "vcs_member_lead", _url("option_add"),
     {"title": "t", "audience": "", "narrative": "n", "action": "a", "datasets_used": "d"},
     "Enter the audience", "id_audience"),
    ("estimates", "data_analyst",
     _url("option_estimates", lambda w: make_option(w, kinds=("infographic",))),
     {"days_visual_design": "-2"}, "Days must be 0.5 or more", "id_days_visual_design"),
    ("score", "advisory_panel", _url("option_score", make_option), {"score": ""},
     "Choose a score from 1 to 5", "id_score"),
    ("choose", "facilitator", _url("option_choose", lambda w: make_option(w).project), {"option": "", "reasons": "r"},
     "Choose the option to take forward", "id_option"),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("name,persona,url,data,message,field", FORMS, ids=[f[0] for f in FORMS])
def test_bad_input_shows_an_error_summary(world, name, persona, url, data, message, field) -> None:  # type: ignore[no-untyped-def]
    assert_error_summary(post_as(world, persona, url(world), data), message, field)


@pytest.mark.django_db
def test_a_refusal_from_the_service_lands_in_the_error_summary(world) -> None:
    """A date in the future is a rule of the service, not the form's shape: it still reaches its field."""
    make_plan(world)
    client = Client()
    client.force_login(world.user("data_analyst"))
    data = {"held_on": "2099-01-01", "format": "group", "participant_count": "2", "notes": "n", "themes": "t"}
    response = client.post(reverse("solutions:session_add", args=[world.project.slug]), data)
    assert_error_summary(response, "The date the session was held must be today or in the past", "id_held_on")
