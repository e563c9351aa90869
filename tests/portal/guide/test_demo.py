"""The demo ends with Northmoor's guide at version 2, prompted by a retrospective card; Riverdale's stays national."""

from __future__ import annotations

from typing import Any

import pytest

from community_insights.portal import guide
from community_insights.portal.core.demo import load_demo
from community_insights.portal.guide import demo, selectors
from community_insights.portal.programme.current import using
from community_insights.portal.programme.models import Programme
from tests.portal.datasets.conftest import dataset_folders  # noqa: F401 - the private folders for uploads


@pytest.mark.django_db
def test_the_demo_guide_is_at_version_2_with_a_change_note(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        context = load_demo(password="a-long-and-unusual-passphrase")
        load_demo(password="a-long-and-unusual-passphrase")  # again: no third version
    versions = list(selectors.version_list())
    assert [v.number for v in versions] == [2, 1]
    current = versions[0]
    assert current.change_note == demo.NOTE
    assert current.prompted_by is not None
    assert current.prompted_by.project == context.projects["digital_exclusion"]
    assert "DPIA" in current.prompted_by.text
    texts = [i["text"] for p in guide.read("phases")["phases"] for part in p["parts"] for i in part["achieved"]]
    assert demo.NEW in texts and demo.OLD not in texts
    assert context.projects["digital_exclusion"].guide_version.number == 1  # started under the national guide
    # Riverdale, the demo's second programme, keeps its own guide: the national one, as its version 1.
    riverdale = Programme.objects.get(slug="riverdale")
    with using(riverdale):
        assert [v.number for v in selectors.version_list()] == [1]
        texts = [i["text"] for p in guide.read("phases")["phases"] for part in p["parts"] for i in part["achieved"]]
        assert demo.OLD in texts and demo.NEW not in texts
