"""Bad input on every form of the selection area gets a GOV.UK error summary linked to the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from community_insights.portal.guide import national
from community_insights.portal.ideas.models import Idea
from tests.portal.forms import assert_error_summary, post_as
from tests.portal.ideas.factories import make_idea


def _slug(w: Any) -> str:
    make_idea(w, status=Idea.Status.READY_FOR_EVALUATION)
    return str(w.project.slug)


# Read from the national guide: the cases are built when the tests are collected, before any database.
CRITERIA = national("criteria")["criteria"]
FIRST = CRITERIA[0]

FORMS = [
    (
        "panel",
        "facilitator",
        lambda w: reverse("selection:panel"),
        {"user": ""},
        "Choose a person to add to the panel",
        "id_user",
    ),
    (
        "data-types",
        "facilitator",
        lambda w: reverse("selection:data_types", args=[_slug(w)]),
        {"data_types": ["nonsense"]},
        "Select a valid choice",
        "id_data_types",
    ),
    (
        "skill-cover",
        "facilitator",
        lambda w: reverse("selection:skill_cover", args=[_slug(w)]),
        {"skill_key": "system_administrator", "user": "", "name": ""},
        "Choose a person or enter a name",
        "id_user",
    ),
    (
        "evaluation",
        "facilitator",
        lambda w: reverse("selection:evaluation_edit", args=[_slug(w)]),
        {"existing_work": "Some", "data_safety_findings": "", "share": "on"},
        "Enter the data safety check findings before sharing",
        "id_data_safety_findings",
    ),
    (
        "score",
        "advisory_panel",
        lambda w: reverse("selection:score", args=[_slug(w)]),
        {f"score_{c['key']}": "9" for c in CRITERIA} | {f"score_{FIRST['key']}": ""},
        f"Choose a score for: {FIRST['question']}",
        f"id_score_{FIRST['key']}",
    ),
    (
        "decision",
        "facilitator",
        lambda w: reverse("selection:decision", args=[_slug(w)]),
        {"outcome": "selected", "reasons": ""},
        "Enter the reasons for the decision",
        "id_reasons",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name,persona,url,data,message,field", FORMS, ids=[f[0] for f in FORMS])
def test_bad_input_shows_an_error_summary(world, name, persona, url, data, message, field) -> None:  # type: ignore[no-untyped-def]
    assert_error_summary(post_as(world, persona, url(world), data), message, field)
