"""The facilitator's front page counts what waits for them, read through a selector."""

from __future__ import annotations

import pytest

from community_insights.portal.ideas import selectors
from community_insights.portal.ideas.models import Idea
from tests.portal.ideas.factories import make_booking, make_idea, make_lead


@pytest.mark.django_db
def test_facilitator_front_page_counts_what_waits(world) -> None:
    assert selectors.facilitator_counts() == {"new_leads": 0, "upcoming": 0, "submitted": 0}
    make_lead()
    make_booking(world)
    make_idea(world, status=Idea.Status.SUBMITTED, project=None)
    make_idea(world, project=None)  # already in scoping: not waiting
    assert selectors.facilitator_counts() == {"new_leads": 1, "upcoming": 1, "submitted": 1}
