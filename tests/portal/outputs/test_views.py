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
    world: World, approved_copy: Any, client_for: Any
) -> None:
    analyst = client_for("data_analyst")
    listing = analyst.get(reverse("outputs:project_outputs", kwargs={"slug": world.project.slug}))
    new_url = reverse("outputs:output_new", kwargs={"slug": world.project.slug, "copy_id": approved_copy.pk})
    assert new_url in listing.content.decode()
    form = analyst.get(new_url).content.decode()
    assert '<option value="household_size">' in form  # the safe copy's columns, no code to write
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
