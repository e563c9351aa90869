"""The sign-off page's figures are the safe copy's own, column by column, for every remedy action."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from community_insights.portal.datasets import engine, services, storage
from community_insights.portal.datasets.models import Dataset, DataSource
from tests.portal.access import World

pytestmark = pytest.mark.django_db

OVERRIDES = {
    "nhs_number": ("pseudonymise", {"type": "NHS_NUMBER", "prefix": "P-"}),
    "ethnicity": ("keep", {}),
}


def _every_action_plan(world: World, dataset: Dataset) -> Any:
    draft = services.plan_create(actor=world.user("data_analyst"), dataset=dataset)
    data = engine.plan_to_dict(engine.load_plan_text(draft.plan_yaml))
    columns = []
    for c in data["columns"]:
        action, params = OVERRIDES.get(c["column"], (c["action"], c.get("params") or {}))
        columns.append({"column": c["column"], "action": action, "params": params, "reason": "Test."})
    assert {c["action"] for c in columns} == set(engine.actions()), "the plan uses every remedy action"
    return services.plan_update(
        actor=world.user("data_analyst"),
        plan=draft,
        columns=columns,
        min_group_size=data["min_group_size"],
        quasi_identifiers=data["quasi_identifiers"],
        small_groups=data["small_groups"],
        change_note="Every action, to compare the report with the file.",
    )


def _file_counts(copy: Any) -> tuple[int, dict[str, tuple[int, int, int]]]:
    text = b"".join(storage.iter_decrypted(copy.stored_name)).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    counts = {}
    for name in rows[0]:
        values = [(r[name] or "").strip() for r in rows]
        counts[name] = (
            sum(1 for v in values if v not in ("", "*")),
            sum(1 for v in values if v == "*"),
            sum(1 for v in values if v == ""),
        )
    return len(rows), counts


def test_every_figure_in_the_safe_copy_column_matches_the_file_for_every_action(
    world: World, upload: Callable[..., Dataset], django_capture_on_commit_callbacks: Any
) -> None:
    dataset = upload()
    plan = _every_action_plan(world, dataset)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_apply(actor=world.user("data_analyst"), plan=plan)
    plan.refresh_from_db()
    rows, counts = _file_counts(plan.safe_copy)
    client = Client()
    client.force_login(world.user("information_rights"))
    html = client.get(reverse("datasets:plan_sign_off", kwargs={"dataset_id": dataset.pk, "number": plan.number}))
    page = html.content.decode()
    shown = dict(re.findall(r'data-measured="([^"]+)">([^<]+)<', page))
    assert set(shown) == set(counts), "every column of the safe copy is measured"
    for name, (kept, suppressed, blank) in counts.items():
        numbers = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", shown[name])][:3]
        assert numbers == [kept, suppressed, blank], (name, shown[name])
    assert f"{rows} after" in page.replace(",", "")


def test_sign_off_shows_the_paperwork_and_approving_unsettled_paperwork_needs_a_reason(
    world: World, source: DataSource, upload: Callable[..., Dataset], django_capture_on_commit_callbacks: Any
) -> None:
    source.legal_basis = "to_be_agreed"
    source.save()
    source.sharing_agreement.delete()  # no agreement in governance: "Needed"
    dataset = upload()
    plan = services.plan_create(actor=world.user("data_analyst"), dataset=dataset)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_apply(actor=world.user("data_analyst"), plan=plan)
    url = reverse("datasets:plan_sign_off", kwargs={"dataset_id": dataset.pk, "number": plan.number})
    client = Client()
    client.force_login(world.user("information_rights"))
    page = client.get(url).content.decode()
    assert "To be agreed" in page and "Needed" in page and "still to be agreed" in page
    assert reverse("datasets:plan_sample", kwargs={"dataset_id": dataset.pk, "number": plan.number}) in page
    refused = client.post(url, {"decision": "approve", "comment": "Looks fine."})
    assert refused.status_code == 200 and "Say why you approve while the paperwork is not settled" in (
        refused.content.decode()
    )
    plan.refresh_from_db()
    assert plan.status == "awaiting_sign_off"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url,
            {"decision": "approve", "comment": "Looks fine.", "paperwork_reason": "The DSA is signed on Monday."},
        )
    assert done.status_code == 302
    decided = plan.sign_offs.get()
    assert "The DSA is signed on Monday." in decided.comment
    from community_insights.portal.core.models import AuditEntry

    assert AuditEntry.objects.get(action="datasets.plan_approve").changes["paperwork_reason_given"] is True


def test_the_finished_check_is_told_to_the_team_each_with_a_link(
    world: World, upload: Callable[..., Dataset], django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    dataset = upload()
    finished = [m for m in mail.outbox if "has finished" in m.subject]
    link = reverse("datasets:findings", kwargs={"dataset_id": dataset.pk})
    assert len(finished) >= 2 and all(len(m.to) == 1 and link in m.body for m in finished)
    assert [world.user("information_rights").email] in [m.to for m in finished]
    assert [world.user("vcs_member_lead").email] not in [m.to for m in finished], "no link to a page they cannot open"
