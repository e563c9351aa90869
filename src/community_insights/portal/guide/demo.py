"""Demo guide: Northmoor's version 2, proposed from the digital exclusion project's retrospective card and published.

The facilitator's card asks for the data safety check before the DPIA; programme staff propose that
change to Phase 2's checklist item on compliance risks, read the difference and publish it. Every
other programme of the demo keeps the national guide as its version 1, so the two guides differ.
"""

from __future__ import annotations

import copy
from typing import Any

from community_insights.portal import guide
from community_insights.portal.guide import selectors, services
from community_insights.portal.programme.models import Programme
from community_insights.portal.reflections.models import RetroCard

OLD = "We have investigated the main risks relating to compliance and considered how we might overcome them."
NEW = (
    "We have investigated the main risks relating to compliance, running the data safety check before "
    "starting the DPIA, and considered how we might overcome them."
)
NOTE = (
    "Phase 2, Part 2: run the data safety check before the DPIA is started, not after. "
    "Prompted by the digital exclusion project's retrospective."
)


def load(context: Any) -> None:
    for programme in Programme.objects.order_by("pk"):
        services.guide_version_seed(programme=programme)  # each programme's guide starts from the national one
    if selectors.version_list().filter(number__gte=2).exists():
        return
    card = RetroCard.objects.filter(
        project=context.projects["digital_exclusion"], column=RetroCard.Column.GUIDE
    ).first()
    current = selectors.published_version()
    assert current is not None
    content = copy.deepcopy(current.content)
    for phase in content["phases"]["phases"]:
        for part in phase["parts"]:
            for item in part["achieved"]:
                if item["text"] == OLD:
                    item["text"] = NEW
    proposal = services.guide_change_propose(
        actor=context.staff,
        section="phases",
        text=selectors.section_text(content, "phases"),
        change_note=NOTE,
        prompted_by=card,
    )
    services.guide_version_publish(actor=context.staff, proposal=proposal, change_note=NOTE)
    guide.forget_published()
