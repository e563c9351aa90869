"""The demo's Phase 4 project has reflections (one anonymous) and an insights to actions meeting and packet."""

from __future__ import annotations

from typing import Any

import pytest

from community_insights.portal.actions import interest
from community_insights.portal.actions import selectors as actions_selectors
from community_insights.portal.core.demo import load_demo
from community_insights.portal.reflections import selectors as reflection_selectors
from tests.portal.datasets.conftest import dataset_folders  # noqa: F401 - the private folders for uploads


@pytest.mark.django_db
def test_the_digital_exclusion_project_has_reflections_and_a_packet(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        context = load_demo(password="a-long-and-unusual-passphrase")
        load_demo(password="a-long-and-unusual-passphrase")  # again: nothing is added twice
    project = context.projects["digital_exclusion"]
    summary = reflection_selectors.survey_summary(project=project)
    assert summary.respondents == 3
    dpia = next(q for q in summary.questions if "Data Privacy Impact Assessment" in q.text)
    assert [a.by for a in dpia.answers] == ["Anonymous"]
    assert sum(len(cards) for _, cards in reflection_selectors.board(project=project)) == 3
    packet = actions_selectors.packet(project)
    assert packet is not None
    uses = next(b for b in packet.blocks if b.heading.startswith("What the interested"))
    # Read through the one seam: the demo's invited organisations, or the sharing area's registrations.
    expected = [[u.organisation, u.intended_use] for u in interest.intended_uses(project)]
    assert expected and uses.table[1:] == expected
    assert actions_selectors.meetings(project=project).get().attendees.count() == 3
