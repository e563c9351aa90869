"""The evaluation summary brings in the scoping notes and the data safety check, so nobody retypes them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from community_insights.portal.datasets import services as dataset_services
from community_insights.portal.ideas.models import AgendaNote, Idea
from community_insights.portal.selection.selectors import evaluation_summary
from tests.portal.access import World
from tests.portal.datasets.conftest import RAW_NAMES, dataset_folders, messy_csv, source, upload  # noqa: F401 - fixtures
from tests.portal.ideas.factories import make_idea, make_session

pytestmark = pytest.mark.django_db


def test_the_summary_carries_scoping_notes_verdicts_and_remedies_without_values(
    world: World,
    upload: Any,  # noqa: F811 - the fixture imported above
) -> None:
    idea = make_idea(world, status=Idea.Status.READY_FOR_EVALUATION)
    session = make_session(world, idea)
    AgendaNote.objects.create(
        session=session, item_key="hunches", is_done=True, notes="The bus route to the food bank changed in March."
    )
    dataset = upload()
    dataset_services.plan_create(actor=world.user("data_analyst"), dataset=dataset)

    summary = evaluation_summary(world.project)
    assert [n.notes for n in summary.scoping_notes] == ["The bus route to the food bank changed in March."]
    (row,) = summary.data_safety or []
    assert row.title == "Referrals" and row.verdict and row.plan == "version 1 (draft)"
    assert any(r.startswith("name: ") or r.startswith("nhs_number: ") for r in row.remedies), row.remedies

    client = Client()
    client.force_login(world.user("facilitator"))
    page = client.get(reverse("selection:evaluation", args=[world.project.slug])).content.decode()
    assert "The bus route to the food bank changed in March." in page and 'id="data-safety-results"' in page
    assert not [v for v in RAW_NAMES if v in page], "no raw value reaches the summary"
