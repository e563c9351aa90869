"""The guide becomes each programme's: existing versions go to the first programme, others get a copy of its history."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

OTHERS = [("programme", "0004_programmes_as_tenants"), ("projects", "0004_project_programme")]
BEFORE = [("guide", "0002_national_guide"), *OTHERS]
AFTER = [("guide", "0005_guide_version_programme_required"), *OTHERS]


def _apps(target: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return MigrationExecutor(connection).loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_existing_versions_go_to_the_first_programme_and_others_keep_the_words_they_ran_under() -> None:
    old = _apps(BEFORE)
    Programme, Version, Project = (
        old.get_model("programme", "Programme"),
        old.get_model("guide", "GuideVersion"),
        old.get_model("projects", "Project"),
    )
    Version.objects.all().delete()
    first = Programme.objects.order_by("pk").first() or Programme.objects.create(slug="community-insights")
    riverdale = Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    now = timezone.now()
    one = Version.objects.create(number=1, status="published", content={"a": 1}, digest="1" * 64, published_at=now)
    two = Version.objects.create(
        number=2, status="published", content={"a": 2}, digest="2" * 64, published_at=now, based_on=one
    )
    draft = Version.objects.create(status="draft", content={"a": 3}, digest="3" * 64, based_on=two)
    ours = Project.objects.create(programme=first, title="Ours", slug="ours", question="?", guide_version=two)
    theirs = Project.objects.create(programme=riverdale, title="Theirs", slug="theirs", question="?", guide_version=one)

    new = _apps(AFTER)
    Version, Project = new.get_model("guide", "GuideVersion"), new.get_model("projects", "Project")
    firsts = Version.objects.filter(programme_id=first.pk)
    assert sorted(firsts.values_list("pk", flat=True)) == sorted([one.pk, two.pk, draft.pk])
    copies = {v.number: v for v in Version.objects.filter(programme_id=riverdale.pk)}
    assert sorted(copies) == [1, 2] and copies[2].content == {"a": 2} and copies[2].based_on_id == copies[1].pk
    assert Project.objects.get(pk=ours.pk).guide_version_id == two.pk
    assert Project.objects.get(pk=theirs.pk).guide_version_id == copies[1].pk  # the same words, now Riverdale's

    back = _apps(BEFORE)
    Version, Project = back.get_model("guide", "GuideVersion"), back.get_model("projects", "Project")
    assert Version.objects.count() == 3 and Project.objects.get(pk=theirs.pk).guide_version_id == one.pk


@pytest.fixture(autouse=True)
def _every_migration_afterwards() -> Iterator[None]:
    """The tests after this one need the whole schema back, not only this app's migrations."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
