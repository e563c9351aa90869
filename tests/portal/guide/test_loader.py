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


def test_without_a_database_the_loader_reads_the_national_guide() -> None:
    assert guide.published() == guide.Published(0, guide.NATIONAL)
    assert guide.read("roles") is guide.national("roles")


def test_stable_keys_come_from_the_national_guide_without_the_database() -> None:
    from community_insights.portal.people import roles
    from community_insights.portal.reflections.permissions import CORE_ROLES

    assert tuple(roles.role_definitions()) == roles.ROLE_KEYS
    assert tuple(k for k, r in roles.role_definitions().items() if r.team == "core") == CORE_ROLES
    assert [n for n, _ in phases.national_phase_choices()] == [p.number for p in phases.phases()]
