"""Phase 3's "What we have achieved" items tick themselves from the real events that prove them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from community_insights.portal.projects import phases
from community_insights.portal.projects.models import ChecklistTick
from community_insights.portal.solutions import services
from tests.portal.access import World
from tests.portal.solutions.factories import make_option, make_plan
from tests.portal.solutions.test_sketches import picture
from tests.portal.solutions.test_testing import make_workshop

pytestmark = pytest.mark.django_db


def _ticked(world: World) -> dict[str, ChecklistTick]:
    return {t.item_key: t for t in ChecklistTick.objects.filter(project=world.project)}


def test_each_phase_three_item_ticks_itself_with_who_and_when(world: World) -> None:
    make_plan(world)
    assert _ticked(world)["qualitative_time"].ticked_by == world.user("facilitator")
    option = make_option(world, kinds=("infographic",))
    services.estimates_save(actor=world.user("data_analyst"), option=option, days={"visual_design": Decimal(3)})
    assert _ticked(world)["feasibility_validated"].ticked_by == world.user("data_analyst")
    services.sketch_save(
        actor=world.user("vcs_member_lead"), option=option,
        image=SimpleUploadedFile("s.png", picture("PNG")), alt_text="A sketch.",
    )  # fmt: skip
    assert _ticked(world)["representations_created"].ticked_by == world.user("vcs_member_lead")
    services.option_choose(actor=world.user("delivery_lead"), project=world.project, option=option, reasons="Best.")
    assert _ticked(world)["datasets_known"].ticked_by == world.user("delivery_lead")
    workshop = make_workshop(world)
    assert _ticked(world)["pivot_mechanism"].ticked_by == world.user("facilitator")
    services.feedback_record(
        actor=world.user("advisory_panel"), workshop=workshop, version=workshop.versions.get(),
        kind="accessibility", text="Could not open it on a phone.",
    )  # fmt: skip
    ticks = _ticked(world)
    assert ticks["usefulness_understood"].ticked_by == world.user("advisory_panel")
    assert {item.key for item in phases.phase(3).items} <= set(ticks)
    assert all(ticks[item.key].note.startswith("Ticked by the portal: ") for item in phases.phase(3).items)
