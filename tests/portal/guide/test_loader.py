"""The one loader of the guide's data, and the one checklist item shape every area uses."""

from __future__ import annotations

import pytest

from community_insights.portal import guide
from community_insights.portal.projects import phases
from community_insights.portal.selection import guide as selection_guide

EVERY_FILE = (
    "criteria",
    "insights_to_actions",
    "next_steps",
    "phases",
    "principles",
    "public_datasets",
    "roles",
    "scoping",
    "skills",
)


def test_every_data_file_of_the_guide_is_read_through_the_loader() -> None:
    assert sorted(p.stem for p in guide.DATA_DIR.glob("*.yaml")) == sorted(EVERY_FILE)
    for name in EVERY_FILE:
        assert isinstance(guide.read(name), dict)


def test_each_file_is_read_once() -> None:
    assert guide.read("phases") is guide.read("phases")


def test_an_unknown_file_is_one_clear_error() -> None:
    with pytest.raises(KeyError, match="no data file called 'versions'"):
        guide.read("versions")


def test_phase_checklists_and_next_steps_share_one_checklist_item() -> None:
    achieved = phases.checklist_item(phases.phase(1).items[0].key)
    next_step = selection_guide.checklists()[0].items[0]
    assert type(achieved) is type(next_step) is guide.ChecklistItem
    assert (achieved.phase, achieved.part) == (1, phases.phase(1).parts[0].key)
    assert (next_step.phase, next_step.part) == (2, selection_guide.checklists()[0].key)
