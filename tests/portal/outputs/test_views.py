"""The outputs pages: make a chart in a form, see its preview and safety check, sign it off, download it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from community_insights.portal.core.models import AuditEntry
from community_insights.portal.outputs.models import Output, OutputVersion
from tests.portal.access import World

pytestmark = pytest.mark.django_db


def test_analyst_makes_a_chart_and_information_rights_approve_it(
    world: World, approved_copy: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    analyst = client_for("data_analyst")
    listing = analyst.get(reverse("outputs:project_outputs", kwargs={"slug": world.project.slug}))
    new_url = reverse("outputs:output_new", kwargs={"slug": world.project.slug, "copy_id": approved_copy.pk})
    assert new_url in listing.content.decode()
    form = analyst.get(new_url).content.decode()
    assert '<option value="household_size">' in form  # the safe copy's columns, no code to write
    with django_capture_on_commit_callbacks(execute=True):  # the background build runs when the request commits
        answer = analyst.post(
            new_url,
            {
                "title": "Visits by ward",
                "kind": "chart",
                "first": "ward",
                "second": "household_size",
                "measure": "count",
                "chart_kind": "stacked",
                "preset": "ons",
                "narrative": "Small households visit most.",
                "caveats": "Not for funding applications.",
            },
        )
    output = Output.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("outputs:output_detail", args=[output.pk])
    page = analyst.get(answer["Location"]).content.decode()
    assert "<svg" in page and "Output safety check" in page and "Not for funding applications." in page
    assert "Files can be downloaded once information rights approve" in page

    version = OutputVersion.objects.get()
    officer = client_for("information_rights")
    sign_off_url = reverse("outputs:version_sign_off", args=[version.pk])
    sign_off = officer.get(sign_off_url).content.decode()
    assert "(threshold rule)" in sign_off  # the reasons for hidden cells, for the officer only
    assert officer.post(sign_off_url, {"decision": "approve", "comment": "Checked."}).status_code == 302

    member = client_for("communities_representative")
    download = member.get(reverse("outputs:version_download", args=[version.pk, "svg"]))
    assert download.status_code == 200 and download["Content-Type"] == "image/svg+xml"
    assert b"hidden to protect people" in download.content
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "outputs.list_view",
        "outputs.output_view",
        "outputs.version_approve",
        "outputs.version_download",
    } <= actions


def test_a_form_error_is_one_message_per_field(world: World, approved_copy: Any, client_for: Any) -> None:
    analyst = client_for("data_analyst")
    url = reverse("outputs:output_new", kwargs={"slug": world.project.slug, "copy_id": approved_copy.pk})
    page = analyst.post(url, {"title": "Hours", "kind": "chart", "first": "ward", "measure": "sum"}).content.decode()
    assert "Choose the number column to total or average" in page
    assert not Output.objects.exists()


def test_a_build_waiting_for_the_worker_shows_its_progress(world: World, approved_copy: Any, client_for: Any) -> None:
    from community_insights.portal.outputs import services

    output = services.output_create(actor=world.user("data_analyst"), safe_copy=approved_copy, kind="chart", title="T")
    version = services.version_build(actor=world.user("data_analyst"), output=output, settings={"by": ["ward"]})
    assert version.status == OutputVersion.Status.BUILDING and version.job.status == "queued"  # not committed yet
    page = client_for("delivery_lead").get(reverse("outputs:output_detail", args=[output.pk])).content.decode()
    assert "is being built and checked" in page and "Waiting to start" in page
    services.job_run(job_id=version.job.pk)  # the worker
    version.refresh_from_db()
    assert version.status == OutputVersion.Status.AWAITING_SIGN_OFF and version.job.rows_done == 3


def test_a_build_that_fails_says_so_in_plain_words(world: World, approved_copy: Any) -> None:
    from community_insights.portal.outputs import services

    output = services.output_create(actor=world.user("data_analyst"), safe_copy=approved_copy, kind="chart", title="T")
    version = services.version_build(actor=world.user("data_analyst"), output=output, settings={"by": ["ward"]})
    approved_copy.plan.status = "superseded"
    approved_copy.plan.save()
    services.job_run(job_id=version.job.pk)
    version.refresh_from_db()
    assert version.status == OutputVersion.Status.FAILED and "no longer approved" in version.refusal
    assert AuditEntry.objects.filter(action="outputs.version_fail").exists()
