"""The demo programme loads through the services, in every phase, and loads again without duplicates."""

from __future__ import annotations

import pytest

from community_insights.portal.core.demo import load_demo
from community_insights.portal.people.models import Organisation, User
from community_insights.portal.projects.models import Project
from community_insights.portal.projects.selectors import project_team


@pytest.mark.django_db
def test_demo_is_believable_and_idempotent() -> None:
    context = load_demo(password="a-long-and-unusual-passphrase")
    councils = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL)
    assert [list(c.programmes.values_list("slug", flat=True)) for c in councils] == [
        ["community-insights"],
        ["riverdale"],
    ], "one council of each programme"
    assert Organisation.objects.filter(kind=Organisation.Kind.VCS).count() >= 4
    assert set(Project.objects.values_list("phase", flat=True)) == {1, 2, 3, 4}, "a project in every phase"
    assert context.staff.is_staff
    # One project lacks a data analyst and another has a facilitator beyond the guide's range: the
    # team page has something to show.
    warnings = [w for p in Project.objects.all() for w in project_team(project=p).warnings]
    assert any("no data scientist or analyst" in w for w in warnings)
    assert any("18 to 25 days" in w for w in warnings)
    counts = (User.objects.count(), Organisation.objects.count(), Project.objects.count())
    load_demo(password="a-long-and-unusual-passphrase")
    assert (User.objects.count(), Organisation.objects.count(), Project.objects.count()) == counts
